package io.framewire.plugin.bitstream;

import io.framewire.api.InvalidFrameException;

/**
 * H.265 sequence parameter set (ITU-T H.265 7.3.2.2.1): {@code profile_tier_level} skipped (its
 * general_profile_idc kept), {@code pic_width/height_in_luma_samples} minus the conformance window,
 * and {@code sps_max_num_reorder_pics} of the highest sub-layer.
 */
public final class H265Sps {
    private H265Sps() {
    }

    /**
     * @param rbsp the SPS payload after the 2-byte NAL header, emulation prevention removed
     * @throws InvalidFrameException field {@code sps} when it is cut short or corrupt
     */
    public static SequenceInfo parse(byte[] rbsp) {
        BitReader r = new BitReader(rbsp, 0, rbsp.length, "sps");
        r.u(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.u(3);
        r.bit(); // sps_temporal_id_nesting_flag
        // profile_tier_level(1, maxSubLayersMinus1)
        r.u(2); // general_profile_space
        r.bit(); // general_tier_flag
        int profileIdc = r.u(5);
        r.skip(32 + 4 + 43 + 1); // compatibility flags, source flags, constraint bits, inbld/reserved
        r.u(8); // general_level_idc
        boolean[] subProfile = new boolean[maxSubLayersMinus1];
        boolean[] subLevel = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            subProfile[i] = r.flag();
            subLevel[i] = r.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            r.skip(2L * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (subProfile[i]) {
                r.skip(88);
            }
            if (subLevel[i]) {
                r.skip(8);
            }
        }
        r.ue(); // sps_seq_parameter_set_id
        int chromaFormatIdc = r.ue();
        if (chromaFormatIdc > 3) {
            throw new InvalidFrameException("sps.chroma_format_idc", chromaFormatIdc, "must be 0..3");
        }
        boolean separateColourPlane = chromaFormatIdc == 3 && r.flag();
        int width = r.ue();
        int height = r.ue();
        int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
        int subHeightC = chromaArrayType == 1 ? 2 : 1;
        long w = width;
        long h = height;
        if (r.flag()) { // conformance_window_flag
            long left = r.ue(), right = r.ue(), top = r.ue(), bottom = r.ue();
            w -= subWidthC * (left + right);
            h -= subHeightC * (top + bottom);
        }
        if (w <= 0 || h <= 0 || w > 65536 || h > 65536) {
            throw new InvalidFrameException("sps.pic_size", w + "x" + h,
                    "the size after the conformance window must be positive (coded " + width + "x" + height + ")");
        }
        r.ue(); // bit_depth_luma_minus8
        r.ue(); // bit_depth_chroma_minus8
        r.ue(); // log2_max_pic_order_cnt_lsb_minus4
        boolean orderingInfoForAll = r.flag();
        int reorder = 0;
        for (int i = orderingInfoForAll ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
            r.ue(); // sps_max_dec_pic_buffering_minus1
            reorder = r.ue(); // sps_max_num_reorder_pics: the last one is the highest sub-layer's
            r.ue(); // sps_max_latency_increase_plus1
        }
        return new SequenceInfo((int) w, (int) h, reorder, profileName(profileIdc));
    }

    static String profileName(int profileIdc) {
        return switch (profileIdc) {
            case 1 -> "Main";
            case 2 -> "Main 10";
            case 3 -> "Main Still Picture";
            case 4 -> "Range Extensions";
            default -> "general_profile_idc " + profileIdc;
        };
    }
}
