package io.framewire.runtime;

import io.framewire.api.HealthReport;

import io.framewire.api.InvalidFrameException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the runtime counts, each counter written by the one stage that owns the event (ingest,
 * source pull, pacer, encoder stage) and read by {@code /health} through {@link #snapshot}.
 */
final class RuntimeCounters {
    /** Refusal reasons beyond this many distinct ones are counted as {@value #OTHER} (labels stay bounded). */
    static final int MAX_REFUSAL_REASONS = 32;
    static final String OTHER = "other";

    final AtomicLong framesSent = new AtomicLong();
    /** New pictures the encoder took (from {@code streamVideo()} or the source), repeats not counted. */
    final AtomicLong framesProduced = new AtomicLong();
    /** Encode calls and their total duration, for the metrics' encode-time summary. */
    final AtomicLong encodes = new AtomicLong();
    final AtomicLong encodeNanos = new AtomicLong();
    /** Refused frames by reason: the field an {@link InvalidFrameException} names, or the failing step. */
    final Map<String, AtomicLong> refusedByReason = new ConcurrentHashMap<>();
    /** Stage loads by how they ended: loaded, failed, cancelled. */
    final Map<String, AtomicLong> stageLoads = new ConcurrentHashMap<>();
    final AtomicLong framesRepeated = new AtomicLong();
    final AtomicLong framesRefused = new AtomicLong();
    final AtomicLong sourceErrors = new AtomicLong();
    final AtomicLong stalledTicks = new AtomicLong();
    final AtomicLong lockBusyTicks = new AtomicLong();
    final AtomicLong encodeErrors = new AtomicLong();
    final AtomicLong skippedTicks = new AtomicLong();
    /** When the last frame went to the transport ({@link PacingClock} nanos), -1 before the first. */
    volatile long lastSendNanos = -1;
    /**
     * When the producer last answered ({@link PacingClock} nanos), -1 before: a new picture was
     * converted, or the active source's render call returned (with or without a frame).
     */
    volatile long lastFreshNanos = -1;

    /**
     * Counts a refused frame under its reason.
     *
     * @param cause    why: an {@link InvalidFrameException} gives its field ({@code unit[3].size} counts as
     *                 {@code unit[].size}), anything else {@code step}
     * @param step     the step that failed, for causes that name no field (e.g. {@code import}, {@code convert})
     */
    void refused(Throwable cause, String step) {
        framesRefused.incrementAndGet();
        String reason = cause instanceof InvalidFrameException e && e.field() != null
                ? e.field().replaceAll("\\[\\d+]", "[]") : step;
        if (!refusedByReason.containsKey(reason) && refusedByReason.size() >= MAX_REFUSAL_REASONS) {
            reason = OTHER;
        }
        refusedByReason.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    /** @return the counters now, with the message router's drops */
    HealthReport.Counters snapshot(long droppedMessages) {
        return new HealthReport.Counters(framesSent.get(), framesRepeated.get(), framesRefused.get(), sourceErrors.get(),
                stalledTicks.get(), lockBusyTicks.get(), encodeErrors.get(), skippedTicks.get(), droppedMessages);
    }
}
