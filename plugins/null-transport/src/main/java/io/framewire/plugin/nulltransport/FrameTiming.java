package io.framewire.plugin.nulltransport;

import io.framewire.api.spi.EncodedFrame;

/** Frames, bytes and the largest gap between two frames, since start. Thread-safe. */
public final class FrameTiming {
    private long frames;
    private long bytes;
    private long keyframes;
    private long repeats;
    private long maxGapNanos;
    private long last;

    synchronized void record(long now, EncodedFrame frame) {
        if (last != 0) {
            maxGapNanos = Math.max(maxGapNanos, now - last);
        }
        last = now;
        frames++;
        bytes += frame.data().remaining();
        keyframes += frame.keyframe() ? 1 : 0;
        repeats += frame.repeat() ? 1 : 0;
    }

    /** @return frames received */
    public synchronized long frames() { return frames; }

    /** @return the largest gap between two frames, in nanoseconds */
    public synchronized long maxGapNanos() { return maxGapNanos; }

    @Override
    public synchronized String toString() {
        return frames + " frames, " + bytes + " bytes, " + keyframes + " key frames, " + repeats
                + " repeated, largest gap " + String.format("%.1f", maxGapNanos / 1e6) + " ms";
    }
}
