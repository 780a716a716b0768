package io.framewire.plugin.webrtc.rtp;

import java.nio.ByteBuffer;

/**
 * Splits one encoded access unit (a video frame) into RTP packets.
 *
 * <p>Every packet is at most {@link #maxPacketSize()} bytes including its RTP header and header
 * extensions; all packets of one access unit carry the same timestamp, the marker bit is set on the
 * last one only, and sequence numbers continue (modulo 2<sup>16</sup>) from one call to the next.
 * Implementations are not thread-safe: one packetizer serves one outgoing stream.
 */
public interface RtpPacketizer {

    /**
     * Packetizes one access unit.
     *
     * @param accessUnit   the encoded bytes from its position to its limit; neither the content nor
     *                     the position of the buffer is changed
     * @param rtpTimestamp the RTP timestamp of the access unit (the low 32 bits are used)
     * @param sink         receives the packets, in sending order
     * @throws IllegalArgumentException if the access unit cannot be parsed
     */
    void packetize(ByteBuffer accessUnit, long rtpTimestamp, PacketSink sink);

    /** @return the largest packet this packetizer writes, RTP header and header extensions included */
    int maxPacketSize();

    /** @return the sequence number the next packet will carry (0..65535) */
    int nextSequenceNumber();
}
