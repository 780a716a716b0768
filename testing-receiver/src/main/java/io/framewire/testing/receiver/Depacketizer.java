package io.framewire.testing.receiver;

/**
 * Rebuilds one access unit (temporal unit for AV1) from the RTP payloads of its packets, fed in
 * sequence order. The receiver calls {@link #payload} for each packet of a frame and
 * {@link #finish} at the packet with the marker bit; {@link #reset} drops a partial frame (after a
 * lost packet).
 */
public interface Depacketizer {

    /**
     * @param data a packet's RTP payload
     * @param off  where it starts
     * @param len  its length
     * @throws IllegalArgumentException on a malformed payload
     */
    void payload(byte[] data, int off, int len);

    /** @return the access unit assembled since the last finish/reset (Annex B or low-overhead OBUs), then resets */
    byte[] finish();

    /** Drops whatever was assembled. */
    void reset();

    /**
     * @param accessUnit an access unit as {@link #finish} returns it
     * @return true if a decoder can start from it (IDR / IRAP / a sequence header with a key frame)
     */
    boolean isKeyframe(byte[] accessUnit);

    /** @return a depacketizer for the codec */
    static Depacketizer forCodec(io.framewire.api.Codec codec) {
        return switch (codec) {
            case H264 -> new H264Depacketizer();
            case H265 -> new H265Depacketizer();
            case AV1 -> new Av1Depacketizer();
            default -> throw new IllegalArgumentException("no RTP payload format for " + codec);
        };
    }
}
