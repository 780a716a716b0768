package io.framewire.testing.net;

/**
 * Counters of one direction of an emulated link ({@link ImpairedLink#stats()}), or their sum over
 * several links. Bytes are UDP payload bytes. Every packet that came in is, eventually, exactly one
 * of forwarded, lost, overflowed or still queued / in flight.
 *
 * @param packetsIn           datagrams that arrived at the link
 * @param bytesIn             their bytes
 * @param packetsForwarded    datagrams delivered out of the link
 * @param bytesForwarded      their bytes
 * @param packetsLost         datagrams dropped by the random loss
 * @param bytesLost           their bytes
 * @param packetsOverflowed   datagrams dropped because the bottleneck queue was full (drop-tail)
 * @param bytesOverflowed     their bytes
 * @param queuedBytes         bytes waiting for the bottleneck now
 * @param queueHighWaterBytes the most bytes that waited at once (since the start or {@link ImpairedLink#resetPeaks()})
 * @param maxQueueDelayMillis the longest time a packet waited for the bottleneck (same period)
 */
public record LinkStats(long packetsIn, long bytesIn, long packetsForwarded, long bytesForwarded, long packetsLost,
                        long bytesLost, long packetsOverflowed, long bytesOverflowed, long queuedBytes, long queueHighWaterBytes,
                        double maxQueueDelayMillis) {

    /** All zero. */
    public static final LinkStats ZERO = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** @return the sum of counters; queue figures: sums of the current queues, the largest of the peaks */
    public LinkStats plus(LinkStats o) {
        return new LinkStats(packetsIn + o.packetsIn, bytesIn + o.bytesIn, packetsForwarded + o.packetsForwarded,
                bytesForwarded + o.bytesForwarded, packetsLost + o.packetsLost, bytesLost + o.bytesLost,
                packetsOverflowed + o.packetsOverflowed,
                bytesOverflowed + o.bytesOverflowed, queuedBytes + o.queuedBytes,
                Math.max(queueHighWaterBytes, o.queueHighWaterBytes), Math.max(maxQueueDelayMillis, o.maxQueueDelayMillis));
    }

    /**
     * @return the counters that grew since {@code earlier} (the same link's older snapshot); the queue
     * figures are this snapshot's own
     */
    public LinkStats since(LinkStats earlier) {
        return new LinkStats(packetsIn - earlier.packetsIn, bytesIn - earlier.bytesIn,
                packetsForwarded - earlier.packetsForwarded, bytesForwarded - earlier.bytesForwarded,
                packetsLost - earlier.packetsLost, bytesLost - earlier.bytesLost, packetsOverflowed - earlier.packetsOverflowed,
                bytesOverflowed - earlier.bytesOverflowed, queuedBytes, queueHighWaterBytes, maxQueueDelayMillis);
    }

    /** @return one line: in, forwarded, lost, overflowed, queue peak */
    @Override
    public String toString() {
        return String.format("in %d pkts / %.2f MB, forwarded %d pkts / %.2f MB, lost (random) %d, dropped (queue full) %d pkts / %.2f MB,"
                        + " queue peak %d B / %.1f ms", packetsIn, bytesIn / 1e6, packetsForwarded, bytesForwarded / 1e6, packetsLost,
                packetsOverflowed, bytesOverflowed / 1e6, queueHighWaterBytes, maxQueueDelayMillis);
    }
}
