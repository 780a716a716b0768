package io.framewire.api;

/**
 * What kind of frames a server session takes, chosen once at server start.
 */
public enum VideoInput {
    /** Raw BGRA8 pixels (host memory or a CUDA device buffer / CUDA Array Interface). */
    BGRA(null),
    /** A DLPack tensor (H x W x 4, uint8) handed over by address. */
    TENSOR(null),
    /** Pre-encoded H.264 access units (Annex B). */
    H264(Codec.H264),
    /** Pre-encoded H.265 access units (Annex B). */
    H265(Codec.H265),
    /** Pre-encoded AV1 temporal units (low-overhead bitstream format). */
    AV1(Codec.AV1);

    private final Codec codec;

    VideoInput(Codec codec) {
        this.codec = codec;
    }

    /** @return true for pre-encoded input that the server passes through without encoding */
    public boolean isBitstream() {
        return codec != null;
    }

    /** @return the codec of a bitstream input, or null for pixel input */
    public Codec codec() {
        return codec;
    }
}
