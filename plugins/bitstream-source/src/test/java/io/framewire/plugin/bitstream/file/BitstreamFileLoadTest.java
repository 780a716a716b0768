package io.framewire.plugin.bitstream.file;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.VideoInput;
import io.framewire.plugin.bitstream.AccessUnit;
import io.framewire.plugin.bitstream.Streams;
import io.framewire.plugin.bitstream.TestEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BitstreamFile} on files written from libx264, libx265 and libsvtav1 output (8 frames, keys at 0 and 4). */
class BitstreamFileLoadTest {
    @TempDir
    Path dir;

    /** One access unit per packet, byte for byte, with the encoder's key frames where it put them. */
    private static void assertSplitLikeTheEncoder(List<TestEncoder.Packet> packets, BitstreamFile file, boolean obu) {
        assertEquals(packets.size(), file.units().size(), "access units == frames encoded");
        for (int i = 0; i < packets.size(); i++) {
            ByteBuffer u = file.units().get(i);
            assertTrue(u.isReadOnly(), "unit " + i + " is read-only");
            byte[] want = obu ? TestFiles.temporalUnit(packets.get(i)) : packets.get(i).data();
            assertArrayEquals(want, TestFiles.bytes(u), "unit " + i);
        }
        assertEquals(TestFiles.keyIndexes(packets), file.keyframeIndexes(), "key frame positions");
        assertEquals(List.copyOf(Streams.KEYS).stream().sorted().toList(), file.keyframeIndexes());
        assertEquals(2, file.keyframes());
        assertEquals(Streams.W + "x" + Streams.H, file.size());
        for (int k : file.keyframeIndexes()) {
            assertTrue(AccessUnit.analyze(file.units().get(k), file.codec()).keyframe(), "unit " + k + " is a key frame");
        }
    }

    @Test
    void h264BaselineAndHigh() throws Exception {
        BitstreamFile baseline = BitstreamFile.load(TestFiles.concat(dir.resolve("b.h264"), Streams.x264Baseline()));
        assertEquals(Codec.H264, baseline.codec());
        assertEquals(VideoInput.H264, baseline.videoInput());
        assertSplitLikeTheEncoder(Streams.x264Baseline(), baseline, false);
        BitstreamFile high = BitstreamFile.load(TestFiles.concat(dir.resolve("h.264"), Streams.x264High()));
        assertEquals(Codec.H264, high.codec());
        assertSplitLikeTheEncoder(Streams.x264High(), high, false);
    }

    @Test
    void h265UnderEachExtension() throws Exception {
        for (String name : List.of("c.h265", "c.265", "C.HEVC")) {
            BitstreamFile f = BitstreamFile.load(TestFiles.concat(dir.resolve(name), Streams.x265()));
            assertEquals(Codec.H265, f.codec(), name);
            assertEquals(VideoInput.H265, f.videoInput());
            assertSplitLikeTheEncoder(Streams.x265(), f, false);
        }
    }

    @Test
    void av1AsIvfAndAsObuStream() throws Exception {
        BitstreamFile ivf = BitstreamFile.load(TestFiles.ivf(dir.resolve("a.ivf"), Streams.av1()));
        assertEquals(Codec.AV1, ivf.codec());
        assertEquals(VideoInput.AV1, ivf.videoInput());
        assertSplitLikeTheEncoder(Streams.av1(), ivf, false);
        BitstreamFile obu = BitstreamFile.load(TestFiles.obu(dir.resolve("a.obu"), Streams.av1()));
        assertEquals(Codec.AV1, obu.codec());
        assertSplitLikeTheEncoder(Streams.av1(), obu, true);
    }

    @Test
    void unitsAreSlicesOfOneLoadedCopy() throws Exception {
        BitstreamFile f = BitstreamFile.load(TestFiles.concat(dir.resolve("s.h264"), Streams.x264Baseline()));
        long total = f.units().stream().mapToLong(ByteBuffer::remaining).sum();
        assertEquals(Files.size(f.path()), total, "the units cover the file");
        assertThrows(UnsupportedOperationException.class, () -> f.units().add(ByteBuffer.allocate(1)));
    }

    @Test
    void unknownExtensionNamesThePathAndTheAcceptedOnes() throws Exception {
        Path mp4 = TestFiles.concat(dir.resolve("clip.mp4"), Streams.x264Baseline());
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(mp4));
        assertEquals("path", e.field());
        for (String s : List.of(mp4.toString(), ".h264", ".264", ".h265", ".265", ".hevc", ".ivf", ".obu")) {
            assertTrue(e.getMessage().contains(s), e.getMessage() + " names " + s);
        }
    }

    @Test
    void emptyAndTooLargeFilesAreRefusedNamingPathAndSize() throws Exception {
        Path empty = Files.write(dir.resolve("empty.h264"), new byte[0]);
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(empty));
        assertEquals("path", e.field());
        assertTrue(e.getMessage().contains(empty + " (0 bytes)") && e.getMessage().contains("empty"), e.getMessage());

        Path big = dir.resolve("big.h265");
        long size = BitstreamFile.MAX_FILE_BYTES + 1;
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(size); // sparse: nothing is read, the size alone refuses it
        }
        e = assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(big));
        assertEquals("path", e.field());
        assertTrue(e.getMessage().contains(big + " (" + size + " bytes)") && e.getMessage().contains("256 MiB"),
                e.getMessage());
    }

    @Test
    void aFileThatDoesNotStartWithAKeyFrameAndItsSetsIsRefused() throws Exception {
        Path h264 = TestFiles.concat(dir.resolve("p.h264"), Streams.x264Baseline().subList(1, 4));
        Path h265 = TestFiles.concat(dir.resolve("p.h265"), Streams.x265().subList(1, 4));
        Path ivf = TestFiles.ivf(dir.resolve("p.ivf"), Streams.av1().subList(1, 4));
        for (Path p : List.of(h264, h265, ivf)) {
            InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(p));
            assertEquals("unit[0].keyframe", e.field(), e.getMessage());
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("key frame"), e.getMessage());
        }
    }

    @Test
    void anIvfWhoseLastFrameIsCutIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(TestFiles.ivf(dir.resolve("whole.ivf"), Streams.av1()));
        Path cut = Files.write(dir.resolve("cut.ivf"), Arrays.copyOf(whole, whole.length - 5));
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(cut));
        assertEquals("ivf.frame[7].size", e.field());
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("runs past the end"), e.getMessage());
        Path header = Files.write(dir.resolve("header.ivf"), Arrays.copyOf(whole, whole.length
                - Streams.av1().get(7).data().length - 4)); // 8 of the last frame header's 12 bytes
        assertEquals("ivf.frame[7].header", assertThrows(InvalidFrameException.class,
                () -> BitstreamFile.load(header)).field());
        Path notIvf = TestFiles.concat(dir.resolve("x.ivf"), Streams.x264Baseline());
        assertEquals("ivf.signature", assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(notIvf)).field());
    }

    @Test
    void anObuStreamWhoseLastObuIsCutIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(TestFiles.obu(dir.resolve("whole.obu"), Streams.av1()));
        Path cut = Files.write(dir.resolve("cut.obu"), Arrays.copyOf(whole, whole.length - 5));
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(cut));
        assertTrue(e.field().matches("obu\\[\\d+]\\.obu_size"), e.field());
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("runs past"), e.getMessage());
    }

    /**
     * Annex B has no lengths: a slice cut short still looks whole and is played as it is (the
     * decoder conceals the rest); a last NAL unit cut inside its header is refused.
     */
    @Test
    void anAnnexBFileWhoseLastAccessUnitIsCut() throws Exception {
        List<TestEncoder.Packet> packets = Streams.x264Baseline();
        byte[] whole = Files.readAllBytes(TestFiles.concat(dir.resolve("whole.h264"), packets));
        Path cut = Files.write(dir.resolve("cut.h264"), Arrays.copyOf(whole, whole.length - 5));
        BitstreamFile f = BitstreamFile.load(cut);
        assertEquals(packets.size(), f.units().size());
        assertEquals(packets.get(7).data().length - 5, f.units().get(7).remaining());

        byte[] last = packets.get(7).data();
        int lastStartCode = lastStartCode(last);
        Path noHeader = Files.write(dir.resolve("noheader.h264"),
                Arrays.copyOf(whole, whole.length - last.length + lastStartCode + 3));
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(noHeader));
        assertTrue(e.field().matches("nal\\[\\d+]\\.size"), e.field());
        assertTrue(e.getMessage().contains(noHeader.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    /** @return where the last {@code 00 00 01} in {@code b} begins */
    private static int lastStartCode(byte[] b) {
        for (int i = b.length - 3; i >= 0; i--) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                return i;
            }
        }
        throw new AssertionError("no start code");
    }

    @Test
    void aSizeChangeInsideTheFileIsRefused() throws Exception {
        BitstreamFile sample = BitstreamFile.load(SAMPLE);
        Path mixed = dir.resolve("mixed.h264");
        Files.write(mixed, Files.readAllBytes(TestFiles.concat(dir.resolve("small.h264"), Streams.x264Baseline())));
        Files.write(mixed, TestFiles.bytes(sample.units().get(0)), java.nio.file.StandardOpenOption.APPEND);
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> BitstreamFile.load(mixed));
        assertEquals("unit[8].size", e.field());
        assertEquals("1920x1080", e.value());
        assertTrue(e.getMessage().contains("320x240") && e.getMessage().contains(mixed.toString()), e.getMessage());
    }

    /** The shipped sample (the module's tests run in plugins/bitstream-source). */
    static final Path SAMPLE = Path.of("../../distribution/src/main/dist/samples/testsrc-1080p30.h264");
}
