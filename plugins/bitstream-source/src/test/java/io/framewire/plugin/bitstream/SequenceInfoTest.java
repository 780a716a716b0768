package io.framewire.plugin.bitstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Codec;
import org.junit.jupiter.api.Test;

/** Coded size and profile read from SPS / sequence headers made by real encoders. */
class SequenceInfoTest {

    private static SequenceInfo info(TestEncoder.Packet p, Codec codec) {
        AccessUnit au = AccessUnit.analyze(p.buffer(), codec);
        assertTrue(au.keyframe(), "first packet is a key frame: " + au.unitNames());
        assertTrue(au.parameterSets(), "first packet carries the parameter sets: " + au.unitNames());
        assertNotNull(au.sequence());
        return au.sequence();
    }

    @Test
    void h264SizeAt720pAndCropped1080p() {
        SequenceInfo s = info(Streams.first(TestEncoder.x264Baseline(), 1280, 720), Codec.H264);
        assertEquals(1280, s.width());
        assertEquals(720, s.height());
        assertTrue(s.profile().contains("Baseline"), s.profile());
        // 1080 is not a multiple of 16: the SPS codes 68 macroblock rows (1088) and crops 8 lines
        SequenceInfo hd = info(Streams.first(TestEncoder.x264High(2), 1920, 1080), Codec.H264);
        assertEquals(1920, hd.width());
        assertEquals(1080, hd.height());
        assertEquals("High", hd.profile()); // High syntax: chroma_format_idc etc. parsed before the size
    }

    @Test
    void h265SizeAt720pAndWithConformanceWindow() {
        SequenceInfo s = info(Streams.first(TestEncoder.x265(0), 1280, 720), Codec.H265);
        assertEquals(1280, s.width());
        assertEquals(720, s.height());
        assertEquals("Main", s.profile());
        // 330x246 is not a multiple of the minimum coding block (8): coded 336x248, cropped by the window
        SequenceInfo odd = info(Streams.first(TestEncoder.x265(0), 330, 246), Codec.H265);
        assertEquals(330, odd.width());
        assertEquals(246, odd.height());
    }

    @Test
    void av1SizeFromSequenceHeader() {
        SequenceInfo s = info(Streams.first(TestEncoder.svtav1(), 1280, 720), Codec.AV1);
        assertEquals(1280, s.width());
        assertEquals(720, s.height());
        assertEquals("Main", s.profile());
        SequenceInfo small = info(Streams.av1().get(0), Codec.AV1);
        assertEquals(Streams.W, small.width());
        assertEquals(Streams.H, small.height());
    }
}
