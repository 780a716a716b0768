package io.framewire.api.spi;

/**
 * What a transport counted for one connected peer since it connected, for metrics.
 *
 * @param peerId           the peer's id (as in messages and health)
 * @param framesSent       video frames sent to it
 * @param bytesSent        bytes sent to it on the wire (media, retransmissions and control)
 * @param packetsSent      media packets sent to it
 * @param retransmissions  packets sent again after its NACKs
 * @param nacksReceived    NACK messages it sent
 * @param keyframeRequests key-frame requests it sent (PLI and FIR)
 * @param roundTripMicros  the last measured round-trip time, -1 before any
 * @param estimatedBitrateBps the congestion controller's estimate of what the path to the peer
 *                         carries, bit/s; -1 without congestion control (since 2.4)
 * @param sendBitrateBps   what was sent to it over the last second, retransmissions included, bit/s;
 *                         -1 when not measured (since 2.4)
 * @param pacerQueueMillis how long the oldest packet waiting in its pacer queue has waited, ms; -1
 *                         without a pacer (since 2.4)
 * @param fractionLost     the share of its packets lost, 0..1, from its last report; -1 before any
 *                         (since 2.4)
 * @since 2.2
 */
public record PeerStats(String peerId, long framesSent, long bytesSent, long packetsSent, long retransmissions,
                        long nacksReceived, long keyframeRequests, long roundTripMicros, long estimatedBitrateBps,
                        long sendBitrateBps, long pacerQueueMillis, double fractionLost) {

    /** Counts only, as transports of SPI 2.2/2.3 report them: the 2.4 figures are -1 (not measured). */
    public PeerStats(String peerId, long framesSent, long bytesSent, long packetsSent, long retransmissions,
                     long nacksReceived, long keyframeRequests, long roundTripMicros) {
        this(peerId, framesSent, bytesSent, packetsSent, retransmissions, nacksReceived, keyframeRequests,
                roundTripMicros, -1, -1, -1, -1);
    }
}
