package io.framewire.plugin.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

class FfmpegEncoderTest {
    private static final int FRAMES = 30;
    private static final int BITRATE_CHANGE_AT = 10;
    private static final int KEY_REQUEST_AT = 15;
    private static final int REPEAT_FROM = 20;
    private static final int REPEAT_TO = 23; // exclusive
    private static final double LUMA_TOLERANCE = 6.0;

    private record Run(List<EncodedFrame> frames, List<ByteBuffer> units, List<Integer> expectedIndex) {
    }

    private static ServerConfig config(int w, int h, int kbps) {
        return ServerConfig.builder().width(w).height(h).fps(30).bitrateKbps(kbps).build();
    }

    /** 30 frames: bitrate halved at 10, key frame asked for (encode's keyframe=true) at 15, repeats (no submit) at 20..22. */
    private static Run run(EncoderFactory factory, int w, int h, int kbps, boolean direct, int pitchPad) throws Exception {
        assertNull(factory.unavailableReason(), "a software encoder must be in the natives");
        List<EncodedFrame> frames = new ArrayList<>();
        List<ByteBuffer> units = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        try (Encoder enc = factory.create(config(w, h, kbps))) {
            assertNull(enc.encode(1, 0, false, false), "nothing submitted yet: nothing to send");
            int last = -1;
            for (int i = 0; i < FRAMES; i++) {
                if (i == BITRATE_CHANGE_AT) {
                    enc.setBitrateKbps(kbps / 2);
                }
                boolean repeat = i >= REPEAT_FROM && i < REPEAT_TO;
                if (!repeat) {
                    enc.submit(TestVideo.picture(w, h, i, direct, pitchPad));
                    last = i;
                }
                boolean askKey = i == KEY_REQUEST_AT; // the runtime's one keyframe path: encode(..., keyframe=true, ...)
                EncodedFrame f = enc.encode(1000 + i, i * 33_333L, askKey, repeat);
                assertNotNull(f, factory.codec() + " frame " + i + ": low delay means one access unit per encode");
                assertEquals(factory.codec(), f.codec());
                assertEquals(1000 + i, f.frameNumber());
                assertEquals(i * 33_333L, f.ptsMicros());
                assertEquals(repeat, f.repeat());
                assertTrue(f.data().remaining() > 0);
                assertTrue(f.data().isReadOnly());
                frames.add(f);
                units.add(f.data());
                expected.add(last);
            }
        }
        return new Run(frames, units, expected);
    }

    private static void checkDecoded(List<TestVideo.Decoded> decoded, Run run, int w, int h) {
        assertEquals(FRAMES, decoded.size(), "decoded frame count = input count (no dropped or held frames)");
        int[][] unused = TestVideo.samplePoints(w, h);
        for (int i = 0; i < decoded.size(); i++) {
            TestVideo.Decoded d = decoded.get(i);
            assertEquals(w, d.width());
            assertEquals(h, d.height());
            int want = run.expectedIndex().get(i);
            double expGrey = TestVideo.expectedLuma(TestVideo.markGrey(want), TestVideo.markGrey(want), TestVideo.markGrey(want));
            assertEquals(expGrey, d.luma()[0], 3.0, "output " + i + " must show input picture " + want
                    + " (order preserved, no B-frame reordering)");
            for (int c = 0; c < 4; c++) {
                int[] rgb = TestVideo.COLOURS[c];
                assertEquals(TestVideo.expectedLuma(rgb[0], rgb[1], rgb[2]), d.luma()[1 + c], LUMA_TOLERANCE,
                        "output " + i + " stripe " + c + " luma (BT.601 limited range) at " + unused[1 + c][0] + "," + unused[1 + c][1]);
            }
        }
    }

    private static void checkH264(Run run) {
        List<EncodedFrame> f = run.frames();
        for (int i = 0; i < f.size(); i++) {
            List<Integer> types = TestVideo.nalTypes(f.get(i).data(), false);
            boolean shouldBeKey = i == 0 || i == KEY_REQUEST_AT;
            assertEquals(shouldBeKey, f.get(i).keyframe(), "frame " + i + " keyframe flag, NALs " + types);
            if (shouldBeKey) {
                assertTrue(types.contains(7) && types.contains(8) && types.contains(5), "IDR with SPS+PPS at " + i + ": " + types);
                assertTrue(types.indexOf(7) < types.indexOf(5) && types.indexOf(8) < types.indexOf(5),
                        "SPS/PPS precede the IDR slice at " + i + ": " + types);
            } else {
                assertFalse(types.contains(5) || types.contains(7), "no IDR/SPS at " + i + " (infinite GOP): " + types);
                assertTrue(types.contains(1), "non-IDR slice at " + i + ": " + types);
            }
        }
    }

    @Test
    void libx264At720pDecodesInOrderWithExpectedLuma() throws Exception {
        Run run = run(new Libx264EncoderFactory(), 1280, 720, 4000, true, 0);
        checkH264(run);
        checkDecoded(TestVideo.decode(AV_CODEC_ID_H264, new String[]{"h264"}, run.units(), TestVideo.samplePoints(1280, 720)),
                run, 1280, 720);
        // 1-frame VBV, CBR-like: after halving to 2000 kbit/s, P frames stay in budget (flat picture: far below)
        for (int i = BITRATE_CHANGE_AT; i < FRAMES; i++) {
            if (!run.frames().get(i).keyframe()) {
                assertTrue(run.frames().get(i).data().remaining() <= 2_000_000 / 8 / 30 * 2, "frame " + i + " size");
            }
        }
    }

    @Test
    void libx264SmallHeapBufferWithPaddedPitch() throws Exception {
        Run run = run(new Libx264EncoderFactory(), 320, 240, 1000, false, 64);
        checkH264(run);
        checkDecoded(TestVideo.decode(AV_CODEC_ID_H264, new String[]{"h264"}, run.units(), TestVideo.samplePoints(320, 240)),
                run, 320, 240);
    }

    @Test
    void libx264OddishSize() throws Exception {
        Run run = run(new Libx264EncoderFactory(), 322, 182, 1000, true, 0); // not multiples of 16
        checkH264(run);
        checkDecoded(TestVideo.decode(AV_CODEC_ID_H264, new String[]{"h264"}, run.units(), TestVideo.samplePoints(322, 182)),
                run, 322, 182);
    }

    @Test
    void keyframeParameterForcesIdr() throws Exception {
        try (Encoder enc = new Libx264EncoderFactory().create(config(320, 240, 1000))) {
            enc.submit(TestVideo.picture(320, 240, 0, true, 0));
            assertTrue(enc.encode(0, 0, false, false).keyframe());
            assertFalse(enc.encode(1, 1, false, true).keyframe());
            EncodedFrame key = enc.encode(2, 2, true, true);
            assertTrue(key.keyframe());
            List<Integer> types = TestVideo.nalTypes(key.data(), false);
            assertTrue(types.contains(7) && types.contains(8) && types.contains(5), types.toString());
        }
    }

    @Test
    void libx265DecodesInOrder() throws Exception {
        Run run = run(new Libx265EncoderFactory(), 320, 240, 1000, true, 0);
        List<Integer> first = TestVideo.nalTypes(run.frames().get(0).data(), true);
        assertTrue(first.contains(32) && first.contains(33) && first.contains(34), "VPS+SPS+PPS first: " + first);
        assertTrue(first.contains(19) || first.contains(20), "IDR first: " + first);
        assertTrue(run.frames().get(0).keyframe());
        assertTrue(run.frames().get(KEY_REQUEST_AT).keyframe());
        List<Integer> k = TestVideo.nalTypes(run.frames().get(KEY_REQUEST_AT).data(), true);
        assertTrue(k.contains(33) && (k.contains(19) || k.contains(20)), "requested IDR with SPS: " + k);
        assertTrue(run.frames().get(BITRATE_CHANGE_AT).keyframe(), "x265 reopens on a bitrate change: IDR");
        assertFalse(run.frames().get(1).keyframe());
        checkDecoded(TestVideo.decode(AV_CODEC_ID_HEVC, new String[]{"hevc"}, run.units(), TestVideo.samplePoints(320, 240)),
                run, 320, 240);
    }

    @Test
    void libsvtav1DecodesInOrder() throws Exception {
        Run run = run(new Libsvtav1EncoderFactory(), 320, 240, 1000, true, 0);
        assertTrue(run.frames().get(0).keyframe());
        assertTrue(run.frames().get(KEY_REQUEST_AT).keyframe());
        assertFalse(run.frames().get(1).keyframe());
        checkDecoded(TestVideo.decode(AV_CODEC_ID_AV1, new String[]{"libdav1d", "libaom-av1"}, run.units(),
                TestVideo.samplePoints(320, 240)), run, 320, 240);
    }

    @Test
    void nvencReportsAClearReasonWhenItCannotRun() throws Exception {
        for (EncoderFactory f : List.of(new H264NvencEncoderFactory(), new HevcNvencEncoderFactory(), new Av1NvencEncoderFactory())) {
            String name = ((FfmpegEncoderFactory) f).spec().encoderName();
            assertTrue(f.hardware());
            String reason = f.unavailableReason();
            assertTrue(reason == f.unavailableReason() || reason.equals(f.unavailableReason()), "probed once, cached");
            if (reason == null) { // a machine with NVENC: it must actually work
                try (Encoder enc = f.create(config(320, 240, 1000))) {
                    enc.submit(TestVideo.picture(320, 240, 0, true, 0));
                    EncodedFrame out = enc.encode(0, 0, false, false);
                    assertTrue(out == null || out.keyframe());
                }
            } else {
                System.out.println("unavailableReason: " + reason);
                assertTrue(reason.startsWith(name + ": "), reason);
                assertTrue(reason.contains("NVENC-capable GPU"), reason);
                assertFalse(reason.contains("\n"), "one line: " + reason);
                Exception e = assertThrows(FfmpegException.class, () -> f.create(config(320, 240, 1000)));
                assertEquals(reason, e.getMessage());
            }
        }
    }

    @Test
    void refusesNonHostAndWrongSizeFramesNamingTheField() throws Exception {
        try (Encoder enc = new Libx264EncoderFactory().create(config(320, 240, 1000))) {
            InvalidFrameException kind = assertThrows(InvalidFrameException.class,
                    () -> enc.submit(VideoFrame.deviceBuffer(0x10000, 320, 240, 1280)));
            assertEquals("kind", kind.field());
            assertTrue(kind.getMessage().contains("DEVICE_BGRA") && kind.getMessage().contains("HOST_NV12"), kind.getMessage());
            InvalidFrameException bits = assertThrows(InvalidFrameException.class,
                    () -> enc.submit(VideoFrame.encoded(ByteBuffer.allocate(8), 320, 240, 8)));
            assertEquals("kind", bits.field());
            InvalidFrameException width = assertThrows(InvalidFrameException.class,
                    () -> enc.submit(TestVideo.picture(328, 240, 0, true, 0)));
            assertEquals("width", width.field());
            assertTrue(width.getMessage().startsWith("width=328"), width.getMessage());
            InvalidFrameException height = assertThrows(InvalidFrameException.class,
                    () -> enc.submit(TestVideo.picture(320, 200, 0, true, 0)));
            assertEquals("height", height.field());
            // refused frames leave no picture behind
            assertNull(enc.encode(0, 0, false, false));
        }
    }

    @Test
    void theFrameRateChangesLiveWithAnIdr() throws Exception {
        List<ByteBuffer> units = new java.util.ArrayList<>();
        try (Encoder enc = new Libx264EncoderFactory().create(config(320, 240, 1000))) {
            for (int i = 0; i < 20; i++) {
                if (i == 10) {
                    enc.setFps(60);
                }
                enc.submit(TestVideo.picture(320, 240, i, true, 0));
                io.framewire.api.spi.EncodedFrame f = enc.encode(i, i * 20_000L, i == 0, false);
                units.add(f.data());
                assertEquals(i == 0 || i == 10, f.keyframe(), "frame " + i + ": key frames only at the start and the change");
            }
        }
        assertEquals(20, TestVideo.decode(AV_CODEC_ID_H264, new String[] {"h264"}, units,
                TestVideo.samplePoints(320, 240)).size(), "the whole stream decodes");
    }

    @Test
    void afterAFrameRateDropWithABitrateCutTheIdrIsSizedForTheNewBitrate() throws Exception {
        // the network's rate fell: the frame rate halves (a new encoder) and the bitrate drops 8x in
        // the same frame; the IDR must fit the new rate's one-frame VBV, not the old one's
        int w = 640;
        int h = 360;
        try (Encoder enc = new Libx264EncoderFactory().create(config(w, h, 8000))) {
            int oldIdr = 0;
            for (int i = 0; i < 5; i++) {
                enc.submit(noise(w, h, i));
                io.framewire.api.spi.EncodedFrame f = enc.encode(i, i * 33_333L, i == 0, false);
                if (i == 0) {
                    oldIdr = f.data().remaining();
                }
            }
            enc.setFps(15);
            enc.setBitrateKbps(1000);
            enc.submit(noise(w, h, 5));
            io.framewire.api.spi.EncodedFrame idr = enc.encode(5, 5 * 33_333L, false, false);
            assertTrue(idr.keyframe(), "a new encoder starts with an IDR");
            int vbvBytes = 1000 * 1000 / 15 / 8;
            // x264 may overshoot a tiny VBV on noise ("VBV underflow"), but not by the 8x of the old rate
            assertTrue(idr.data().remaining() < 3 * vbvBytes, "IDR of " + idr.data().remaining()
                    + " bytes after the cut to 1000 kbit/s at 15 fps (VBV " + vbvBytes + " bytes; the IDR at 8000 kbit/s was "
                    + oldIdr + ")");
            assertTrue(oldIdr > 3 * vbvBytes, "the content fills the old rate: " + oldIdr);
        }
    }

    /** Random grey noise (every frame different): content that fills any bitrate. */
    private static VideoFrame noise(int width, int height, int seed) {
        java.util.Random random = new java.util.Random(seed);
        ByteBuffer buf = ByteBuffer.allocateDirect(width * height * 4);
        for (int i = 0; i < width * height; i++) {
            byte v = (byte) random.nextInt(256);
            buf.put(v).put(v).put(v).put((byte) 255);
        }
        buf.flip();
        return VideoFrame.hostBuffer(buf, width, height, width * 4);
    }

    @Test
    void nv12FromTheGpuPathIsEncodedWithItsLumaKept() throws Exception {
        int w = 320;
        int h = 240;
        int pitch = 384; // padded, as the CUDA importer's planes are
        java.nio.ByteBuffer luma = java.nio.ByteBuffer.allocateDirect(pitch * h);
        java.nio.ByteBuffer chroma = java.nio.ByteBuffer.allocateDirect(pitch * h / 2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < pitch; x++) {
                luma.put(y * pitch + x, (byte) (x < w / 2 ? 60 : 180)); // two luma halves
            }
        }
        for (int i = 0; i < pitch * h / 2; i++) {
            chroma.put(i, (byte) 128); // neutral chroma
        }
        List<ByteBuffer> units = new java.util.ArrayList<>();
        try (Encoder enc = new Libx264EncoderFactory().create(config(w, h, 1000))) {
            assertTrue(enc.acceptedKinds().contains(VideoFrame.Kind.HOST_NV12));
            for (int i = 0; i < 10; i++) {
                enc.submit(VideoFrame.hostNv12(luma, chroma, w, h, pitch));
                units.add(enc.encode(i, i * 33_333L, i == 0, false).data());
            }
        }
        int[][] points = {{w / 4, h / 2}, {3 * w / 4, h / 2}};
        List<TestVideo.Decoded> decoded = TestVideo.decode(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264,
                new String[] {"h264"}, units, points);
        assertEquals(10, decoded.size());
        TestVideo.Decoded last = decoded.get(decoded.size() - 1);
        assertEquals(60, last.luma()[0], 4, "left half luma");
        assertEquals(180, last.luma()[1], 4, "right half luma");
    }

    @Test
    void closeTwiceIsSafeAndUseAfterCloseFailsClearly() throws Exception {
        Encoder enc = new Libx264EncoderFactory().create(config(320, 240, 1000));
        enc.submit(TestVideo.picture(320, 240, 0, true, 0));
        assertNotNull(enc.encode(0, 0, false, false));
        enc.close();
        enc.close();
        assertThrows(IllegalStateException.class, () -> enc.encode(1, 1, false, true));
        assertThrows(IllegalStateException.class, () -> enc.submit(TestVideo.picture(320, 240, 0, true, 0)));
    }

    @Test
    void submitAndEncodeOnTwoThreads() throws Exception {
        int w = 320, h = 240;
        List<ByteBuffer> units = new ArrayList<>();
        try (Encoder enc = new Libx264EncoderFactory().create(config(w, h, 1000))) {
            VideoFrame[] pics = new VideoFrame[FRAMES];
            for (int i = 0; i < FRAMES; i++) {
                pics[i] = TestVideo.picture(w, h, i, true, 0);
            }
            ExecutorService ingest = Executors.newSingleThreadExecutor();
            AtomicBoolean stop = new AtomicBoolean();
            Future<?> submits = ingest.submit(() -> {
                int i = 0;
                while (!stop.get()) {
                    enc.submit(pics[i++ % FRAMES]);
                }
                return null;
            });
            long lastFrame = -1;
            for (int n = 0; n < 60; n++) {
                EncodedFrame f = enc.encode(n, n, false, false);
                if (f != null) {
                    units.add(f.data());
                    assertTrue(f.frameNumber() > lastFrame);
                    lastFrame = f.frameNumber();
                }
            }
            stop.set(true);
            submits.get(10, TimeUnit.SECONDS);
            ingest.shutdown();
        }
        List<TestVideo.Decoded> decoded = TestVideo.decode(AV_CODEC_ID_H264, new String[]{"h264"}, units, TestVideo.samplePoints(w, h));
        assertEquals(units.size(), decoded.size());
        for (TestVideo.Decoded d : decoded) { // every picture is one whole input picture: stripes intact
            for (int c = 0; c < 4; c++) {
                int[] rgb = TestVideo.COLOURS[c];
                assertEquals(TestVideo.expectedLuma(rgb[0], rgb[1], rgb[2]), d.luma()[1 + c], LUMA_TOLERANCE);
            }
        }
    }

    @Test
    void settingsFromConfiguration() {
        EncoderSettings s = EncoderSettings.from(CodecSpec.LIBX264,
                java.util.Map.of("preset", "superfast", "threads", "1", "profile", "main", "scaler", "point",
                        "options", "crf=23;x264-params=keyint=infinite:aud=1"));
        assertEquals("superfast", s.preset());
        assertEquals(1, s.threads());
        assertEquals("main", s.profile());
        assertEquals("keyint=infinite:aud=1", s.options().get("x264-params"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderSettings.from(CodecSpec.LIBX264, java.util.Map.of("threads", "many")));
        assertTrue(e.getMessage().startsWith("threads=many"));
    }
}
