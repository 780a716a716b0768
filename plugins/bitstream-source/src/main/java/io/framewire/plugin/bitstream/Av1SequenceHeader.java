package io.framewire.plugin.bitstream;

import io.framewire.api.InvalidFrameException;

/**
 * AV1 sequence header OBU (AV1 spec 5.5): profile, {@code reduced_still_picture_header}, the operating
 * points, timing and decoder model info skipped, then {@code max_frame_width/height_minus_1}.
 *
 * @param seqProfile                {@code seq_profile} (0 Main, 1 High, 2 Professional)
 * @param reducedStillPictureHeader {@code reduced_still_picture_header}: every frame is a key frame
 * @param maxFrameWidth             {@code max_frame_width_minus_1 + 1}
 * @param maxFrameHeight            {@code max_frame_height_minus_1 + 1}
 */
public record Av1SequenceHeader(int seqProfile, boolean reducedStillPictureHeader, int maxFrameWidth,
                                int maxFrameHeight) {

    /**
     * @param data   buffer
     * @param offset first payload byte of the OBU
     * @param length payload bytes
     * @throws InvalidFrameException field {@code sequence_header} when cut short
     */
    public static Av1SequenceHeader parse(byte[] data, int offset, int length) {
        BitReader r = new BitReader(data, offset, length, "sequence_header");
        int profile = r.u(3);
        r.bit(); // still_picture
        boolean reduced = r.flag();
        if (reduced) {
            r.u(5); // seq_level_idx[0]
        } else {
            boolean decoderModelInfo = false;
            int bufferDelayLength = 0;
            if (r.flag()) { // timing_info_present_flag
                r.skip(64); // num_units_in_display_tick, time_scale
                if (r.flag()) { // equal_picture_interval
                    r.uvlc(); // num_ticks_per_picture_minus_1
                }
                decoderModelInfo = r.flag();
                if (decoderModelInfo) {
                    bufferDelayLength = r.u(5) + 1;
                    r.skip(32); // num_units_in_decoding_tick
                    r.skip(10); // buffer_removal_time_length_minus_1, frame_presentation_time_length_minus_1
                }
            }
            boolean initialDisplayDelay = r.flag();
            int ops = r.u(5) + 1;
            for (int i = 0; i < ops; i++) {
                r.skip(12); // operating_point_idc
                int level = r.u(5);
                if (level > 7) {
                    r.bit(); // seq_tier
                }
                if (decoderModelInfo && r.flag()) { // decoder_model_present_for_this_op
                    r.skip(2L * bufferDelayLength + 1);
                }
                if (initialDisplayDelay && r.flag()) {
                    r.skip(4);
                }
            }
        }
        int wBits = r.u(4) + 1;
        int hBits = r.u(4) + 1;
        long w = r.bits(wBits) + 1;
        long h = r.bits(hBits) + 1;
        return new Av1SequenceHeader(profile, reduced, (int) w, (int) h);
    }

    /** @return the size and profile as a {@link SequenceInfo}; AV1 reordering is {@link SequenceInfo#UNKNOWN} */
    public SequenceInfo info() {
        String name = switch (seqProfile) {
            case 0 -> "Main";
            case 1 -> "High";
            case 2 -> "Professional";
            default -> "seq_profile " + seqProfile;
        };
        return new SequenceInfo(maxFrameWidth, maxFrameHeight, SequenceInfo.UNKNOWN, name);
    }
}
