package io.framewire.plugin.bitstream.file;

import io.framewire.api.Codec;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.plugin.bitstream.Streams;
import io.framewire.plugin.bitstream.TestEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DS component, activated as Declarative Services would: with a settings proxy. */
class BitstreamFileSourceTest {
    @TempDir
    Path dir;
    private int tick;

    private VideoFrame render(BitstreamFileSource s, int w, int h) {
        tick++;
        return s.render(new FrameRequest(w, h, tick, tick * 33_333L));
    }

    private VideoFrame render(BitstreamFileSource s) {
        return render(s, Streams.W, Streams.H);
    }

    private void assertPlays(BitstreamFileSource s, List<TestEncoder.Packet> packets, int ticks, boolean obu) {
        for (int i = 0; i < ticks; i++) {
            VideoFrame f = render(s);
            assertNotNull(f, "tick " + i);
            assertEquals(VideoFrame.Kind.BITSTREAM, f.kind());
            assertEquals(Streams.W, f.width());
            assertEquals(Streams.H, f.height());
            TestEncoder.Packet p = packets.get(i % packets.size());
            byte[] want = obu ? TestFiles.temporalUnit(p) : p.data();
            assertEquals(want.length, f.sizeBytes(), "tick " + i);
            assertArrayEquals(want, TestFiles.bytes(f.hostBuffer()), "tick " + i + " plays unit " + i % packets.size());
        }
    }

    @Test
    void playsEveryCodecInOrderAndWrapsToTheFirstKeyFrame() throws Exception {
        record Case(Path file, List<TestEncoder.Packet> packets, Codec codec, boolean obu) {
        }
        List<Case> cases = List.of(
                new Case(TestFiles.concat(dir.resolve("b.h264"), Streams.x264Baseline()), Streams.x264Baseline(), Codec.H264, false),
                new Case(TestFiles.concat(dir.resolve("h.264"), Streams.x264High()), Streams.x264High(), Codec.H264, false),
                new Case(TestFiles.concat(dir.resolve("c.h265"), Streams.x265()), Streams.x265(), Codec.H265, false),
                new Case(TestFiles.ivf(dir.resolve("a.ivf"), Streams.av1()), Streams.av1(), Codec.AV1, false),
                new Case(TestFiles.obu(dir.resolve("a.obu"), Streams.av1()), Streams.av1(), Codec.AV1, true));
        for (Case c : cases) {
            BitstreamFileSource s = new BitstreamFileSource(TestFiles.config(c.file().toString(), true));
            assertEquals(c.codec(), s.codec(), c.file().toString());
            assertTrue(c.packets().get(0).key(), "unit 0, where the loop starts again, is a key frame");
            assertPlays(s, c.packets(), 2 * c.packets().size() + 3, c.obu());
        }
    }

    @Test
    void withoutLoopItEndsAndStaysEnded() throws Exception {
        Path file = TestFiles.concat(dir.resolve("once.h265"), Streams.x265());
        BitstreamFileSource s = new BitstreamFileSource(TestFiles.config(file.toString(), false));
        assertPlays(s, Streams.x265(), Streams.x265().size(), false);
        for (int i = 0; i < 3; i++) {
            assertNull(render(s), "after the end");
        }
    }

    @Test
    void modifiedReloadsAndStartsTheNewFileAtItsFirstUnit() throws Exception {
        Path h264 = TestFiles.concat(dir.resolve("a.h264"), Streams.x264Baseline());
        Path av1 = TestFiles.ivf(dir.resolve("b.ivf"), Streams.av1());
        BitstreamFileSource s = new BitstreamFileSource(TestFiles.config(h264.toString(), true));
        assertPlays(s, Streams.x264Baseline(), 3, false);
        s.modified(TestFiles.config(av1.toString(), false));
        assertEquals(Codec.AV1, s.codec());
        assertPlays(s, Streams.av1(), Streams.av1().size(), false);
        assertNull(render(s), "loop=false came with the new settings");
        s.modified(TestFiles.config(h264.toString(), true));
        assertPlays(s, Streams.x264Baseline(), 10, false);
        s.modified(TestFiles.config("", true));
        assertNull(s.codec());
        assertNull(render(s));
    }

    @Test
    void noPathWarnsOnceNamingThePidAndKey() throws Exception {
        BitstreamFileSource s = new BitstreamFileSource(TestFiles.config("", true));
        TestFiles.Logged<List<VideoFrame>> out = TestFiles.capture(() -> {
            List<VideoFrame> frames = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                frames.add(render(s));
            }
            return frames;
        });
        assertTrue(out.value().stream().allMatch(f -> f == null));
        assertEquals(1, out.count("WARN"), out.log());
        assertEquals(1, out.count("'path' in " + BitstreamFileSource.PID), out.log());
    }

    @Test
    void anUnreadableFileWarnsOnceNamingPathPidAndKey() throws Exception {
        Path missing = dir.resolve("missing.h264");
        TestFiles.Logged<List<VideoFrame>> out = TestFiles.capture(() -> {
            BitstreamFileSource s = new BitstreamFileSource(TestFiles.config(missing.toString(), true));
            List<VideoFrame> frames = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                frames.add(render(s));
            }
            return frames;
        });
        assertTrue(out.value().stream().allMatch(f -> f == null));
        assertEquals(1, out.count("WARN"), out.log());
        assertTrue(out.log().contains(missing.toString()) && out.log().contains("'path' of " + BitstreamFileSource.PID),
                out.log());
    }

    @Test
    void aFileOfAnotherSizeWarnsOnceNamingBothSizes() throws Exception {
        Path file = TestFiles.concat(dir.resolve("s.h264"), Streams.x264Baseline());
        BitstreamFileSource s = new BitstreamFileSource(TestFiles.config(file.toString(), true));
        TestFiles.Logged<List<VideoFrame>> out = TestFiles.capture(() -> {
            List<VideoFrame> frames = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                frames.add(render(s, 640, 480));
            }
            return frames;
        });
        assertTrue(out.value().stream().allMatch(f -> f == null));
        assertEquals(1, out.count("WARN"), out.log());
        assertTrue(out.log().contains("320x240") && out.log().contains("640x480"), out.log());
        assertPlays(s, Streams.x264Baseline(), 2, false); // the right size plays from the first unit
    }

    @Test
    void loadingLogsWhatTheSessionNeeds() throws Exception {
        Path file = TestFiles.obu(dir.resolve("x.obu"), Streams.av1());
        String log = TestFiles.capture(() -> new BitstreamFileSource(TestFiles.config(file.toString(), true))).log();
        for (String s : List.of(file.toString(), "AV1", "8 access units", "2 key frames", "320x240", "videoInput=AV1")) {
            assertTrue(log.contains(s), log + " names " + s);
        }
    }

    /**
     * Settings change on one thread while another renders: every frame is a whole unit of one of the
     * two files, nothing throws, and once a change has returned the next frame is the new file's first.
     */
    @Test
    void settingsChangeWhileRendering() throws Exception {
        Path h264 = TestFiles.concat(dir.resolve("a.h264"), Streams.x264Baseline());
        Path h265 = TestFiles.concat(dir.resolve("b.h265"), Streams.x265());
        List<byte[]> allowed = new ArrayList<>();
        Streams.x264Baseline().forEach(p -> allowed.add(p.data()));
        Streams.x265().forEach(p -> allowed.add(p.data()));
        BitstreamFileSource s = new BitstreamFileSource(TestFiles.config(h264.toString(), true));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] rendered = new int[1];
        Thread pacer = new Thread(() -> {
            try {
                while (!stop.get()) {
                    VideoFrame f = s.render(new FrameRequest(Streams.W, Streams.H, rendered[0]++, 0));
                    byte[] got = TestFiles.bytes(f.hostBuffer());
                    assertTrue(allowed.stream().anyMatch(a -> Arrays.equals(a, got)), "a whole unit");
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "pacer");
        pacer.start();
        for (int i = 0; i < 40 && failure.get() == null; i++) {
            s.modified(TestFiles.config((i % 2 == 0 ? h265 : h264).toString(), true));
        }
        stop.set(true);
        pacer.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(rendered[0] > 0);
        s.modified(TestFiles.config(h265.toString(), true));
        assertPlays(s, Streams.x265(), 1, false);
    }
}
