package io.framewire.plugin.webrtc.rtp;

/**
 * Receives the RTP packets a {@link RtpPacketizer} produces.
 *
 * <p>The array is the packetizer's reusable work buffer: it is only valid during the call. A sink
 * that keeps the packet (a send queue, {@link RtpHistory}) must copy {@code packet[0, length)}.
 * The sink may change the array in place up to {@code length + }{@link #SPARE_BYTES}, as SRTP
 * protection does (it encrypts the payload and appends its tag): the packetizer writes every
 * byte of the next packet again.
 */
@FunctionalInterface
public interface PacketSink {

    /**
     * Bytes the array has after each packet at least: room for an SRTP authentication tag (10 bytes
     * for the HMAC-SHA1-80 profiles, 16 for AEAD-GCM) so the packet can be protected where it is.
     */
    int SPARE_BYTES = 16;

    /**
     * Takes one complete RTP packet (RTP header, header extensions, payload).
     *
     * @param packet the buffer holding the packet from index 0; valid only during this call
     * @param length the packet's length in bytes
     * @param marker true when this is the last packet of the access unit (the RTP marker bit)
     */
    void accept(byte[] packet, int length, boolean marker);
}
