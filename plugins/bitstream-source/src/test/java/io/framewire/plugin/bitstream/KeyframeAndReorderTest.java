package io.framewire.plugin.bitstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Codec;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Keyframe detection against the encoder's own key flag on every packet, and the reordering facts of
 * the SPS against the packets' actual presentation order.
 */
class KeyframeAndReorderTest {

    /** Every packet's analysis agrees with the encoder's key flag; returns the number of key frames. */
    private static int checkKeyframes(List<TestEncoder.Packet> packets, Codec codec) {
        int keys = 0;
        int nonKeys = 0;
        for (int i = 0; i < packets.size(); i++) {
            TestEncoder.Packet p = packets.get(i);
            AccessUnit au = AccessUnit.analyze(p.buffer(), codec);
            assertEquals(p.key(), au.keyframe(), "packet " + i + " " + au.unitNames());
            if (au.keyframe()) {
                keys++;
                assertTrue(au.parameterSets(), "key frame " + i + " repeats the parameter sets: " + au.unitNames());
            } else {
                nonKeys++;
                assertFalse(au.parameterSets(), "packet " + i + " " + au.unitNames());
            }
        }
        assertTrue(nonKeys > 0, "the stream has inter frames");
        return keys;
    }

    @Test
    void h264BaselineIdrVersusP() {
        assertEquals(2, checkKeyframes(Streams.x264Baseline(), Codec.H264));
        AccessUnit idr = AccessUnit.analyze(Streams.x264Baseline().get(4).buffer(), Codec.H264);
        AccessUnit p = AccessUnit.analyze(Streams.x264Baseline().get(5).buffer(), Codec.H264);
        assertTrue(idr.contains(AnnexB.H264_IDR) && idr.contains(AnnexB.H264_SPS) && idr.contains(AnnexB.H264_PPS));
        assertTrue(p.contains(AnnexB.H264_NON_IDR));
        assertFalse(p.contains(AnnexB.H264_IDR));
    }

    @Test
    void h264HighWithBframesIdrVersusOthers() {
        assertEquals(2, checkKeyframes(Streams.x264High(), Codec.H264));
    }

    @Test
    void h265IdrVersusTrail() {
        assertEquals(2, checkKeyframes(Streams.x265(), Codec.H265));
        AccessUnit idr = AccessUnit.analyze(Streams.x265().get(0).buffer(), Codec.H265);
        assertTrue(idr.contains(AnnexB.H265_IDR_W_RADL) || idr.contains(AnnexB.H265_IDR_N_LP), idr.unitNames().toString());
        assertTrue(idr.contains(AnnexB.H265_VPS) && idr.contains(AnnexB.H265_SPS) && idr.contains(AnnexB.H265_PPS));
    }

    @Test
    void av1KeyFrameVersusInter() {
        assertEquals(2, checkKeyframes(Streams.av1(), Codec.AV1));
        AccessUnit key = AccessUnit.analyze(Streams.av1().get(0).buffer(), Codec.AV1);
        assertTrue(key.contains(Obus.SEQUENCE_HEADER), key.unitNames().toString());
        assertTrue(key.contains(Obus.FRAME) || key.contains(Obus.FRAME_HEADER), key.unitNames().toString());
    }

    /** @return true when some packet's pts is below an earlier one's: the encoder reordered pictures */
    private static boolean reordered(List<TestEncoder.Packet> packets) {
        long max = Long.MIN_VALUE;
        for (TestEncoder.Packet p : packets) {
            if (p.pts() < max) {
                return true;
            }
            max = Math.max(max, p.pts());
        }
        return false;
    }

    private static SequenceInfo sequence(List<TestEncoder.Packet> packets, Codec codec) {
        return AccessUnit.analyze(packets.get(0).buffer(), codec).sequence();
    }

    @Test
    void h264HighWithBframesReportsReordering() {
        assertTrue(reordered(Streams.x264High()), "libx264 bf=2 really reordered");
        SequenceInfo s = sequence(Streams.x264High(), Codec.H264);
        assertEquals("High", s.profile());
        assertTrue(s.maxReorderFrames() > 0, "max_num_reorder_frames " + s.maxReorderFrames());
        assertTrue(s.reorders());
    }

    @Test
    void h264PluginBaselineReportsNoReordering() {
        assertFalse(reordered(Streams.x264Baseline()));
        SequenceInfo s = sequence(Streams.x264Baseline(), Codec.H264);
        assertEquals(0, s.maxReorderFrames());
        assertFalse(s.reorders());
    }

    @Test
    void h265ReorderPicsFollowBframes() {
        assertFalse(reordered(Streams.x265()));
        assertEquals(0, sequence(Streams.x265(), Codec.H265).maxReorderFrames());
        assertTrue(reordered(Streams.x265Bframes()), "libx265 bframes=2 really reordered");
        assertTrue(sequence(Streams.x265Bframes(), Codec.H265).maxReorderFrames() > 0);
    }
}
