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

    /**
     * The rate of the last {@code count} arrivals: their bytes less the first one's over the time
     * from the first to the last (each packet's bytes are in by its arrival), or -1 while fewer have
     * arrived within the window or they arrived at one instant. Short, so it shows a rate that just
     * changed: at 1.5 Mbit/s ten 1200-byte packets span 64 ms.
     */
    long recentBps(int count) {
        if (count < 2 || packets.size() < count) {
            return -1;
        }
        long bytes = 0;
        long last = Long.MIN_VALUE;
        long first = Long.MIN_VALUE;
        int firstSize = 0;
        int n = 0;
        for (java.util.Iterator<long[]> it = packets.descendingIterator(); it.hasNext() && n < count; n++) {
            long[] p = it.next();
            if (last == Long.MIN_VALUE) {
                last = p[0];
            }
            first = p[0];
            firstSize = (int) p[1];
            bytes += p[1];
        }
        long span = last - first;
        return span <= 0 ? -1 : (bytes - firstSize) * 8 * 1_000_000 / span;
    }

    private void reset() {
        packets.clear();
        windowBytes = 0;
        firstArrival = Long.MIN_VALUE;
        latestArrival = Long.MIN_VALUE;
    }
}
