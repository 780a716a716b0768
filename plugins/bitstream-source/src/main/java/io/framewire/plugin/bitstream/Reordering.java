package io.framewire.plugin.bitstream;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;

import java.nio.ByteBuffer;

/**
 * Refuses streams that reorder frames (B-frames). WebRTC carries no composition time: each RTP
 * frame is displayed as it is decoded, so a stream whose output order differs from its decoding
 * order (see docs/bitstream.md for what Chromium does with one) cannot be passed through.
 * Two signs are read: the sequence's own statement (H.264 VUI {@code max_num_reorder_frames}, H.265
 * {@code sps_max_num_reorder_pics}) and, for H.264, a B slice ({@code slice_type} 1 or 6).
 */
final class Reordering {
    private static final String ADVICE = "; WebRTC displays frames in decoding order, so encode without B-frames"
            + " (x264/x265: bframes=0, e.g. ffmpeg -bf 0; NVENC: frameIntervalP=1)";

    private Reordering() {
    }

    /** @throws InvalidFrameException {@code maxReorderFrames} or {@code slice_type} when the unit reorders */
    static void refuseIfReordering(ByteBuffer buf, AccessUnit a) {
        SequenceInfo s = a.sequence();
        if (s != null && s.reorders()) {
            throw new InvalidFrameException("maxReorderFrames", s.maxReorderFrames(),
                    "the stream's " + (a.codec() == Codec.AV1 ? "sequence header" : "SPS") + " allows frame reordering"
                            + ADVICE);
        }
        if (a.codec() != Codec.H264) {
            return;
        }
        for (Unit u : a.units()) {
            if (u.type() == AnnexB.H264_NON_IDR || u.type() == AnnexB.H264_IDR) {
                byte[] head = AnnexB.unescape(buf, u.payloadOffset(), Math.min(u.payloadLength(), 16));
                BitReader r = new BitReader(head, 0, head.length, "slice_header");
                r.ue(); // first_mb_in_slice
                int sliceType = r.ue();
                if (sliceType % 5 == 1) {
                    throw new InvalidFrameException("slice_type", sliceType, "a B slice" + ADVICE);
                }
            }
        }
    }
}
