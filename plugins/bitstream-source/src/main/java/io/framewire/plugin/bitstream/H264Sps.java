package io.framewire.plugin.bitstream;

import io.framewire.api.InvalidFrameException;

/**
 * H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1): the coded size after frame cropping, the
 * profile, and the reordering facts (VUI {@code bitstream_restriction}: {@code max_num_reorder_frames};
 * Baseline / Constrained Baseline and {@code pic_order_cnt_type == 2} admit no reordering).
 */
public final class H264Sps {
    private H264Sps() {
    }

    /**
     * @param rbsp the SPS payload after the 1-byte NAL header, emulation prevention removed
     * @throws InvalidFrameException field {@code sps} when it is cut short or corrupt
     */
    public static SequenceInfo parse(byte[] rbsp) {
        BitReader r = new BitReader(rbsp, 0, rbsp.length, "sps");
        int profileIdc = r.u(8);
        int constraints = r.u(8);
        r.u(8); // level_idc
        r.ue(); // seq_parameter_set_id
        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        if (highProfileSyntax(profileIdc)) {
            chromaFormatIdc = r.ue();
            if (chromaFormatIdc > 3) {
                throw new InvalidFrameException("sps.chroma_format_idc", chromaFormatIdc, "must be 0..3");
            }
            if (chromaFormatIdc == 3) {
                separateColourPlane = r.flag();
            }
            r.ue(); // bit_depth_luma_minus8
            r.ue(); // bit_depth_chroma_minus8
            r.bit(); // qpprime_y_zero_transform_bypass_flag
            if (r.flag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.flag()) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue(); // log2_max_frame_num_minus4
        int pocType = r.ue();
        if (pocType == 0) {
            r.ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            r.bit(); // delta_pic_order_always_zero_flag
            r.se(); // offset_for_non_ref_pic
            r.se(); // offset_for_top_to_bottom_field
            int cycle = r.ue();
            if (cycle > 255) {
                throw new InvalidFrameException("sps.num_ref_frames_in_pic_order_cnt_cycle", cycle, "must be 0..255");
            }
            for (int i = 0; i < cycle; i++) {
                r.se();
            }
        } else if (pocType != 2) {
            throw new InvalidFrameException("sps.pic_order_cnt_type", pocType, "must be 0..2");
        }
        r.ue(); // max_num_ref_frames
        r.bit(); // gaps_in_frame_num_value_allowed_flag
        int widthMbs = r.ue() + 1;
        int heightMapUnits = r.ue() + 1;
        boolean frameMbsOnly = r.flag();
        if (!frameMbsOnly) {
            r.bit(); // mb_adaptive_frame_field_flag
        }
        r.bit(); // direct_8x8_inference_flag
        int cropL = 0, cropR = 0, cropT = 0, cropB = 0;
        if (r.flag()) { // frame_cropping_flag
            cropL = r.ue();
            cropR = r.ue();
            cropT = r.ue();
            cropB = r.ue();
        }
        int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        int subWidthC = chromaArrayType == 3 ? 1 : 2;
        int subHeightC = chromaArrayType == 1 ? 2 : 1;
        int cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
        int cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
        long width = 16L * widthMbs - (long) cropUnitX * (cropL + cropR);
        long height = 16L * heightMapUnits * (frameMbsOnly ? 1 : 2) - (long) cropUnitY * (cropT + cropB);
        if (width <= 0 || height <= 0 || width > 65536 || height > 65536) {
            throw new InvalidFrameException("sps.frame_cropping", width + "x" + height,
                    "the cropped size must be positive (coded " + 16L * widthMbs + "x"
                            + 16L * heightMapUnits * (frameMbsOnly ? 1 : 2) + ")");
        }
        int reorder = SequenceInfo.UNKNOWN;
        if (r.flag()) { // vui_parameters_present_flag
            reorder = vuiMaxNumReorderFrames(r);
        }
        boolean baseline = profileIdc == 66;
        boolean constrainedBaseline = baseline && (constraints & 0x40) != 0
                || (profileIdc == 77 || profileIdc == 88) && (constraints & 0xC0) == 0xC0;
        if (reorder == SequenceInfo.UNKNOWN && (baseline || constrainedBaseline || pocType == 2)) {
            reorder = 0; // no B slices in (Constrained) Baseline; POC type 2: output order = decoding order
        }
        return new SequenceInfo((int) width, (int) height, reorder, profileName(profileIdc, constrainedBaseline));
    }

    /** Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices. */
    static boolean highProfileSyntax(int p) {
        return switch (p) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    private static void skipScalingList(BitReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + r.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    /** Reads vui_parameters() up to bitstream_restriction; @return max_num_reorder_frames or UNKNOWN. */
    private static int vuiMaxNumReorderFrames(BitReader r) {
        if (r.flag()) { // aspect_ratio_info_present_flag
            if (r.u(8) == 255) { // Extended_SAR
                r.skip(32);
            }
        }
        if (r.flag()) { // overscan_info_present_flag
            r.bit();
        }
        if (r.flag()) { // video_signal_type_present_flag
            r.skip(4); // video_format, video_full_range_flag
            if (r.flag()) { // colour_description_present_flag
                r.skip(24);
            }
        }
        if (r.flag()) { // chroma_loc_info_present_flag
            r.ue();
            r.ue();
        }
        if (r.flag()) { // timing_info_present_flag
            r.skip(65);
        }
        boolean nalHrd = r.flag();
        if (nalHrd) {
            skipHrd(r);
        }
        boolean vclHrd = r.flag();
        if (vclHrd) {
            skipHrd(r);
        }
        if (nalHrd || vclHrd) {
            r.bit(); // low_delay_hrd_flag
        }
        r.bit(); // pic_struct_present_flag
        if (!r.flag()) { // bitstream_restriction_flag
            return SequenceInfo.UNKNOWN;
        }
        r.bit(); // motion_vectors_over_pic_boundaries_flag
        r.ue(); // max_bytes_per_pic_denom
        r.ue(); // max_bits_per_mb_denom
        r.ue(); // log2_max_mv_length_horizontal
        r.ue(); // log2_max_mv_length_vertical
        return r.ue(); // max_num_reorder_frames
    }

    private static void skipHrd(BitReader r) {
        int cpbCnt = r.ue() + 1;
        if (cpbCnt > 32) {
            throw new InvalidFrameException("sps.vui.hrd.cpb_cnt_minus1", cpbCnt - 1, "must be 0..31");
        }
        r.skip(8); // bit_rate_scale, cpb_size_scale
        for (int i = 0; i < cpbCnt; i++) {
            r.ue();
            r.ue();
            r.bit();
        }
        r.skip(20);
    }

    static String profileName(int profileIdc, boolean constrainedBaseline) {
        if (constrainedBaseline) {
            return "Constrained Baseline";
        }
        return switch (profileIdc) {
            case 66 -> "Baseline";
            case 77 -> "Main";
            case 88 -> "Extended";
            case 100 -> "High";
            case 110 -> "High 10";
            case 122 -> "High 4:2:2";
            case 244 -> "High 4:4:4 Predictive";
            case 44 -> "CAVLC 4:4:4 Intra";
            default -> "profile_idc " + profileIdc;
        };
    }
}
