package io.framewire.plugin.bitstream;

/**
 * What a sequence parameter set (H.264/H.265 SPS) or an AV1 sequence header says about the stream.
 *
 * @param width            coded picture width after cropping (H.264 frame cropping, H.265 conformance
 *                         window); AV1: {@code max_frame_width_minus_1 + 1}
 * @param height           coded picture height after cropping; AV1: {@code max_frame_height_minus_1 + 1}
 * @param maxReorderFrames how many frames may precede another in decoding order and follow it in
 *                         output order: 0 means no B-frame reordering; {@link #UNKNOWN} when the
 *                         stream does not say (H.264 without VUI bitstream_restriction in a profile that
 *                         allows B-frames; AV1, which has no output reordering of shown frames)
 * @param profile          profile name, e.g. {@code "High"}, {@code "Constrained Baseline"}, {@code "Main"}
 */
public record SequenceInfo(int width, int height, int maxReorderFrames, String profile) {
    /** {@link #maxReorderFrames()} when the stream does not say. */
    public static final int UNKNOWN = -1;

    /** @return true when the stream says it reorders frames (B-frames); false when it says it does not or is silent */
    public boolean reorders() {
        return maxReorderFrames > 0;
    }
}
