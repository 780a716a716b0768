package io.framewire.runtime;

import io.framewire.api.Defaults;

import java.util.concurrent.TimeUnit;

/**
 * The scheduler's bitstream mode: what a pre-encoded session sends on a tick without a new access
 * unit. The server cannot encode the last picture again, and repeating a P-frame would apply its
 * changes twice, so a tick without news sends nothing, until the producer has been silent for
 * {@link Defaults#BITSTREAM_STALL_RESEND_MILLIS}: then the last key frame (with its parameter
 * sets) goes out again, once per that interval, so viewers keep a picture and a live stream (see
 * docs/bitstream.md for what Chromium showed). A viewer that asks for a key frame during a stall
 * gets the last one at once. The encoder (the passthrough) drops the producer's P-frames after such
 * a re-send until the producer's next key frame, which the keyframe-request listeners are asked for.
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
