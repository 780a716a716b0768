package io.framewire.plugin.webrtc.rtp;

/**
 * Receives the RTP packets a {@link RtpPacketizer} produces.
 *
 * <p>The array is the packetizer's reusable work buffer: it is only valid during the call. A sink
 * that keeps the packet (a send queue, {@link RtpHistory}) must copy {@code packet[0, length)}.
 */
@FunctionalInterface
public interface PacketSink {

    /**
     * Takes one complete RTP packet (12-byte header followed by the payload).
     *
     * @param packet the buffer holding the packet from index 0; valid only during this call
     * @param length the packet's length in bytes
     * @param marker true when this is the last packet of the access unit (the RTP marker bit)
     */
    void accept(byte[] packet, int length, boolean marker);
}
