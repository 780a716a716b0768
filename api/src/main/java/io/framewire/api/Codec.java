package io.framewire.api;

/**
 * The video codecs Framewire carries: the one owner of codec names. An encoder produces one, a
 * bitstream session ({@link VideoInput#H264}, ...) carries one, and the transport negotiates it
 * with the browser before the first frame.
 */
public enum Codec {
    /** H.264 / AVC, Annex B access units. */
    H264(true),
    /** H.265 / HEVC, Annex B access units. */
    H265(true),
    /** AV1, low-overhead bitstream format (OBUs). */
    AV1(true),
    /** Uncompressed test output of the null encoder; no WebRTC transport can carry it. */
    RAW(false);

    private final boolean rtp;

    Codec(boolean rtp) {
        this.rtp = rtp;
    }

    /** @return true when WebRTC has an RTP payload format for it (H.264, H.265, AV1) */
    public boolean hasRtpPayloadFormat() {
        return rtp;
    }
}
