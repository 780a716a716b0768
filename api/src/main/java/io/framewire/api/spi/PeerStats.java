package io.framewire.api.spi;

/**
 * What a transport counted for one connected peer since it connected, for metrics.
 *
 * @param peerId          the peer's id (as in messages and health)
 * @param framesSent      video frames sent to it
 * @param bytesSent       bytes sent to it on the wire (media, retransmissions and control)
 * @param packetsSent     media packets sent to it
 * @param retransmissions packets sent again after its NACKs
 * @param nacksReceived   NACK messages it sent
 * @param keyframeRequests key-frame requests it sent (PLI and FIR)
 * @param roundTripMicros the last measured round-trip time, -1 before any
 * @since 2.2
 */
public record PeerStats(String peerId, long framesSent, long bytesSent, long packetsSent, long retransmissions,
                        long nacksReceived, long keyframeRequests, long roundTripMicros) {
}
