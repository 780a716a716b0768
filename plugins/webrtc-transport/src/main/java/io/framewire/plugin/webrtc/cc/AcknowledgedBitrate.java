package io.framewire.plugin.webrtc.cc;

import java.util.ArrayDeque;

/**
 * The rate at which packets reached the receiver: bytes reported received whose arrival times fall
 * in the last {@value #WINDOW_MICROS} µs of the receiver's clock. Arrival times (not feedback times)
 * make it immune to feedback bunching; while the link is the bottleneck it measures the link.
 */
final class AcknowledgedBitrate {

    static final long WINDOW_MICROS = 500_000;
    /** Below this much history the rate is too noisy to use. */
    static final long MIN_SPAN_MICROS = 150_000;

    private final ArrayDeque<long[]> packets = new ArrayDeque<>();
    private long windowBytes;
    private long firstArrival = Long.MIN_VALUE;
    private long latestArrival = Long.MIN_VALUE;

    /** Adds a received packet (any order; a jump back of more than the window starts over). */
    void onReceived(long arrivalMicros, int sizeBytes) {
        if (latestArrival != Long.MIN_VALUE && arrivalMicros < latestArrival - WINDOW_MICROS) {
            if (arrivalMicros < latestArrival - 4 * WINDOW_MICROS) {
                reset(); // the receiver's clock went back
            } else {
                return; // too late to count
            }
        }
        if (firstArrival == Long.MIN_VALUE) {
            firstArrival = arrivalMicros;
        }
        latestArrival = Math.max(latestArrival, arrivalMicros);
        packets.addLast(new long[] {arrivalMicros, sizeBytes});
        windowBytes += sizeBytes;
        while (!packets.isEmpty() && packets.peekFirst()[0] <= latestArrival - WINDOW_MICROS) {
            windowBytes -= packets.removeFirst()[1];
        }
    }

    /** @return the acknowledged bitrate in bit/s, or -1 while there is too little history */
    long bps() {
        if (firstArrival == Long.MIN_VALUE) {
            return -1;
        }
        long span = Math.min(WINDOW_MICROS, latestArrival - firstArrival);
        if (span < MIN_SPAN_MICROS) {
            return -1;
        }
        return windowBytes * 8 * 1_000_000 / span;
    }

    private void reset() {
        packets.clear();
        windowBytes = 0;
        firstArrival = Long.MIN_VALUE;
        latestArrival = Long.MIN_VALUE;
    }
}
