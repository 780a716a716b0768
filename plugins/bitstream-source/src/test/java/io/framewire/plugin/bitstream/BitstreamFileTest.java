package io.framewire.plugin.bitstream;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.FrameRequest;
import io.framewire.plugin.bitstream.file.BitstreamFile;
import io.framewire.plugin.bitstream.file.BitstreamFileSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bitstream-file source on files written from real encoders' output. */
class BitstreamFileTest {
    @TempDir
    Path dir;

    private Path write(String name, List<TestEncoder.Packet> packets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TestEncoder.Packet p : packets) {
            out.writeBytes(p.data());
        }
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    private static byte[] temporalUnit(TestEncoder.Packet p) {
        byte[] d = p.data();
        if (d.length >= 2 && d[0] == 0x12 && d[1] == 0) {
            return d;
        }
        byte[] withTd = new byte[d.length + 2];
        withTd[0] = 0x12; // OBU_TEMPORAL_DELIMITER with obu_has_size_field, size 0
        System.arraycopy(d, 0, withTd, 2, d.length);
        return withTd;
    }

    private Path writeIvf(String name, List<TestEncoder.Packet> packets) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32 + packets.stream().mapToInt(p -> 12 + p.data().length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put("DKIF".getBytes()).putShort((short) 0).putShort((short) 32).put("AV01".getBytes())
                .putShort((short) Streams.W).putShort((short) Streams.H).putInt(30).putInt(1).putInt(packets.size()).putInt(0);
        for (TestEncoder.Packet p : packets) {
            b.putInt(p.data().length).putLong(p.pts()).put(p.data());
        }
        return Files.write(dir.resolve(name), b.array());
    }

    private static void assertUnitsAre(List<TestEncoder.Packet> packets, BitstreamFile file, boolean av1Td) {
        assertEquals(packets.size(), file.units().size(), "one access unit per encoded frame");
        int keys = 0;
        for (int i = 0; i < packets.size(); i++) {
            ByteBuffer u = file.units().get(i).duplicate();
            byte[] got = new byte[u.remaining()];
            u.get(got);
            byte[] want = av1Td ? temporalUnit(packets.get(i)) : packets.get(i).data();
            assertArrayEquals(want, got, "unit " + i);
            keys += packets.get(i).key() ? 1 : 0;
        }
        assertEquals(keys, file.keyframes());
        assertEquals(Streams.W, file.sequence().width());
        assertEquals(Streams.H, file.sequence().height());
    }

    @Test
    void h264BaselineAndHighFilesSplitIntoTheEncodersAccessUnits() throws Exception {
        BitstreamFile baseline = BitstreamFile.load(write("b.h264", Streams.x264Baseline()));
        assertEquals(Codec.H264, baseline.codec());
        assertEquals(VideoInput.H264, baseline.videoInput());
        assertUnitsAre(Streams.x264Baseline(), baseline, false);
        assertUnitsAre(Streams.x264High(), BitstreamFile.load(write("h.264", Streams.x264High())), false);
    }

    @Test
    void h265FileSplitsIntoTheEncodersAccessUnits() throws Exception {
        BitstreamFile f = BitstreamFile.load(write("c.hevc", Streams.x265()));
        assertEquals(Codec.H265, f.codec());
        assertUnitsAre(Streams.x265(), f, false);
    }

    @Test
    void av1IvfAndObuFilesSplitIntoTemporalUnits() throws Exception {
        BitstreamFile ivf = BitstreamFile.load(writeIvf("a.ivf", Streams.av1()));
        assertEquals(Codec.AV1, ivf.codec());
        assertUnitsAre(Streams.av1(), ivf, false);
        List<TestEncoder.Packet> withTd = new ArrayList<>();
        for (TestEncoder.Packet p : Streams.av1()) {
            withTd.add(new TestEncoder.Packet(temporalUnit(p), p.key(), p.pts()));
        }
        assertUnitsAre(Streams.av1(), BitstreamFile.load(write("a.obu", withTd)), true);
    }

    @Test
    void badFilesAreRefusedNamingWhatIsWrong() throws Exception {
        InvalidFrameException ext = assertThrows(InvalidFrameException.class,
                () -> BitstreamFile.load(write("clip.mp4", Streams.x264Baseline())));
        assertEquals("path", ext.field());
        assertTrue(ext.getMessage().contains(".h264") && ext.getMessage().contains(".ivf"), ext.getMessage());
        Path empty = Files.write(dir.resolve("empty.h264"), new byte[0]);
        assertTrue(assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(empty)).getMessage()
                .contains("empty"));
        InvalidFrameException noKey = assertThrows(InvalidFrameException.class,
                () -> BitstreamFile.load(write("p.h264", Streams.x264Baseline().subList(1, 4))));
        assertEquals("unit[0].keyframe", noKey.field());
        byte[] ivf = Files.readAllBytes(writeIvf("cut.ivf", Streams.av1()));
        Path cut = Files.write(dir.resolve("cut2.ivf"), Arrays.copyOf(ivf, ivf.length - 5));
        InvalidFrameException truncated = assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(cut));
        assertTrue(truncated.field().startsWith("ivf.frame[7]"), truncated.field());
        Path notIvf = write("x.ivf", Streams.x264Baseline());
        assertEquals("ivf.signature", assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(notIvf)).field());
    }

    @Test
    void theSourcePlaysEveryUnitInOrderAndLoops() throws Exception {
        Path file = write("loop.h264", Streams.x264Baseline());
        BitstreamFileSource source = new BitstreamFileSource(file.toString(), true);
        int n = Streams.x264Baseline().size();
        for (int i = 0; i < 2 * n + 1; i++) {
            VideoFrame f = source.render(new FrameRequest(Streams.W, Streams.H, i, 0));
            assertNotNull(f);
            assertEquals(VideoFrame.Kind.BITSTREAM, f.kind());
            byte[] got = new byte[f.sizeBytes()];
            f.hostBuffer().duplicate().get(got);
            assertArrayEquals(Streams.x264Baseline().get(i % n).data(), got, "tick " + i);
        }
    }

    @Test
    void withoutLoopItStopsAtTheEndAndAFileOfAnotherSizeIsNotPlayed() throws Exception {
        Path file = write("once.h264", Streams.x264Baseline());
        BitstreamFileSource once = new BitstreamFileSource(file.toString(), false);
        for (int i = 0; i < Streams.x264Baseline().size(); i++) {
            assertNotNull(once.render(new FrameRequest(Streams.W, Streams.H, i, 0)));
        }
        assertNull(once.render(new FrameRequest(Streams.W, Streams.H, 99, 0)), "the end");
        BitstreamFileSource other = new BitstreamFileSource(file.toString(), true);
        assertNull(other.render(new FrameRequest(640, 480, 0, 0)), "320x240 file, 640x480 session");
        assertNull(new BitstreamFileSource("", true).render(new FrameRequest(Streams.W, Streams.H, 0, 0)));
        assertNull(new BitstreamFileSource(dir.resolve("missing.h264").toString(), true)
                .render(new FrameRequest(Streams.W, Streams.H, 0, 0)));
    }

    @Test
    void theShippedSampleIsA1080pH264LoopWithRegularKeyframes() throws Exception {
        Path sample = Path.of("../../distribution/src/main/dist/samples/testsrc-1080p30.h264");
        BitstreamFile f = BitstreamFile.load(sample);
        assertEquals(Codec.H264, f.codec());
        assertEquals(1920, f.sequence().width());
        assertEquals(1080, f.sequence().height());
        assertEquals(150, f.units().size(), "5 s at 30 fps");
        assertEquals(5, f.keyframes(), "a key frame every 30 frames");
        assertEquals(0, Math.max(0, f.sequence().maxReorderFrames()), "no B-frames");
    }
}
