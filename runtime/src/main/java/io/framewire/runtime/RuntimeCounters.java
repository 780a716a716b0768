package io.framewire.runtime;

import io.framewire.api.HealthReport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the runtime counts, each counter written by the one stage that owns the event (ingest,
 * source pull, pacer, encoder stage) and read by {@code /health} through {@link #snapshot}.
 */
final class RuntimeCounters {
    final AtomicLong framesSent = new AtomicLong();
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

    /** @return the counters now, with the message router's drops */
    HealthReport.Counters snapshot(long droppedMessages) {
        return new HealthReport.Counters(framesSent.get(), framesRepeated.get(), framesRefused.get(), sourceErrors.get(),
                stalledTicks.get(), lockBusyTicks.get(), encodeErrors.get(), skippedTicks.get(), droppedMessages);
    }
}
