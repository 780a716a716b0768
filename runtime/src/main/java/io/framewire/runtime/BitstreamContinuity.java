package io.framewire.runtime;

import io.framewire.api.Defaults;

import java.util.concurrent.TimeUnit;

/**
 * The scheduler's bitstream mode: what a pre-encoded session sends on a tick without a new access
 * unit. The server cannot encode the last picture again, and repeating a P-frame would apply its
 * changes twice, so a tick without news sends nothing: measured in Chromium, a viewer keeps the
 * last picture and the connection through 30 s of silence (docs/bitstream-measurements.md). What a
 * silent producer would starve is a viewer with no picture yet (it joined, or lost packets and asked
 * for a key frame): once the producer has been silent for {@link Defaults#BITSTREAM_STALL_RESEND_MILLIS},
 * the last key frame (with its parameter sets) is re-sent start-only (only waiting viewers take it),
 * at once when a viewer asks and then once per that interval while the silence lasts.
 *
 * <p>Used by the emitting thread only.
 */
final class BitstreamContinuity {
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(Defaults.BITSTREAM_STALL_RESEND_MILLIS);

    private long lastFreshNanos = Long.MIN_VALUE;
    private long lastResendNanos = Long.MIN_VALUE;

    /** A new access unit goes out at {@code now}. */
    void fresh(long now) {
        lastFreshNanos = now;
    }

    /**
     * @param now            the tick's time
     * @param keyframeWanted a viewer asked for a key frame
     * @return true when this tick without a new access unit should re-send the last key frame
     */
    boolean resendKeyframe(long now, boolean keyframeWanted) {
        if (lastFreshNanos == Long.MIN_VALUE || now - lastFreshNanos < STALL_NANOS) {
            return false; // nothing sent yet, or the producer is merely between two frames
        }
        if (!keyframeWanted && lastResendNanos != Long.MIN_VALUE && now - lastResendNanos < STALL_NANOS) {
            return false;
        }
        lastResendNanos = now;
        return true;
    }
}
