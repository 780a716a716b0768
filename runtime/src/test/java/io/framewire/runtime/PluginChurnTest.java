package io.framewire.runtime;

import io.framewire.api.Codec;
import io.framewire.api.HealthReport;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.Frames;
import io.framewire.testing.spi.RecordingTransport;
import io.framewire.testing.spi.SolidSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.framewire.testing.spi.Frames.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugins coming and going under a running session: the stream never stops, a new encoder starts
 * from the last good picture (or a notice picture), and a selection that is not installed never
 * replaces what runs.
 */
class PluginChurnTest {
    private static final int RED = 0xFFFF0000;
    private static final int BLUE = 0xFF0000FF;
    private static final int FPS = 50;
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1) / FPS;

    private StreamSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    private static int last(RecordingTransport transport) {
        return transport.frames.isEmpty() ? 0 : transport.lastCentrePixel();
    }

    /** A source whose one buffer is wiped when it is "deactivated", as a native source frees its memory. */
    static final class FreeingSource implements FrameSource {
        final VideoFrame frame = Frames.solid(64, 48, RED);

        @Override
        public VideoFrame render(FrameRequest request) {
            return frame;
        }

        void free() {
            ByteBuffer b = frame.hostBuffer();
            for (int i = 0; i < b.limit(); i++) {
                b.put(i, (byte) 0x11);
            }
        }
    }

    @Test
    void theActiveEncoderGoingAwayFallsBackToAutoFromTheLastGoodPictureWithoutAGap() throws Exception {
        FakeEncoderFactory chosen = new FakeEncoderFactory(Codec.H264, false, null);
        FakeEncoderFactory other = new FakeEncoderFactory(Codec.H264, false, null);
        RecordingTransport transport = new RecordingTransport();
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, FPS)).noSource()
                .encoder("other", other).encoder("chosen", chosen).transport("rec", transport);
        session = builder.start();
        session.streamVideo(Frames.solid(64, 48, BLUE)); // one picture, then the producer is quiet
        await("the picture is sent", 5000, () -> last(transport) == BLUE);
        int before = transport.frames.size();

        builder.registry().removeEncoder("chosen", chosen);
        session.refreshPlugins(); // what the OSGi unbind does

        await("the fallback encoder sends", 5000, () -> !other.made.isEmpty() && transport.frames.size() > before + 10);
        assertTrue(chosen.made.get(0).closed, "the encoder of the removed factory is closed");
        assertEquals(1, other.made.size(), "auto chose the remaining encoder");
        assertTrue(transport.frames.subList(before, transport.frames.size()).stream().allMatch(f -> f.centrePixel() == BLUE),
                "the fallback encoder starts from the last good picture");
        long gap = Frames.largestGap(transport.frames, before - 1, transport.frames.size());
        assertTrue(gap < 2 * INTERVAL_NANOS, "largest gap " + gap / 1000 + " µs, interval " + INTERVAL_NANOS / 1000 + " µs");
        HealthReport health = session.health();
        assertEquals("other", health.plugins().encoder());
        assertTrue(health.problems().stream().anyMatch(p -> p.startsWith("encoder 'chosen' is not installed")
                && p.contains("auto chose 'other'")), health.problems().toString());

        builder.registry().addEncoder("chosen", chosen); // it comes back: selected again, from the last good picture
        session.refreshPlugins();
        await("the selected encoder is back", 5000, () -> chosen.made.size() == 2);
        int back = transport.frames.size();
        await("it sends", 5000, () -> transport.frames.size() > back + 5);
        assertEquals(BLUE, transport.lastCentrePixel());
        assertEquals("chosen", session.health().plugins().encoder());
        assertTrue(session.health().problems().isEmpty(), session.health().problems().toString());
    }

    /** Its encoders' first frame takes {@link #FIRST_ENCODE_MILLIS}, as libx264's does (threads, look-ahead). */
    static final class SlowFirstFrameEncoders extends FakeEncoderFactory {
        static final long FIRST_ENCODE_MILLIS = 120;
        final List<String> firstEncodeThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

        SlowFirstFrameEncoders() {
            super(Codec.H264, false, null);
        }

        @Override
        public io.framewire.api.spi.Encoder create(io.framewire.api.ServerConfig config) {
            io.framewire.api.spi.Encoder inner = super.create(config);
            return new io.framewire.api.spi.Encoder() {
                private boolean started;

                @Override
                public Codec codec() {
                    return inner.codec();
                }

                @Override
                public void submit(io.framewire.api.VideoFrame frame) throws Exception {
                    inner.submit(frame);
                }

                @Override
                public io.framewire.api.spi.EncodedFrame encode(long n, long pts, boolean key, boolean repeat) throws Exception {
                    if (!started) {
                        started = true;
                        firstEncodeThreads.add(Thread.currentThread().getName());
                        Thread.sleep(FIRST_ENCODE_MILLIS);
                    }
                    return inner.encode(n, pts, key, repeat);
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        }
    }

    @Test
    void aReplacementEncodersSlowFirstFrameIsEncodedBeforeItIsSwappedInNotOnThePacer() throws Exception {
        FakeEncoderFactory chosen = new FakeEncoderFactory(Codec.H264, false, null);
        SlowFirstFrameEncoders slow = new SlowFirstFrameEncoders();
        RecordingTransport transport = new RecordingTransport();
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, FPS)).noSource()
                .encoder("slow", slow).encoder("chosen", chosen).transport("rec", transport);
        session = builder.start();
        session.streamVideo(Frames.solid(64, 48, BLUE));
        await("the picture is sent", 5000, () -> last(transport) == BLUE);
        int before = transport.frames.size();

        builder.registry().removeEncoder("chosen", chosen);
        session.refreshPlugins(); // the slow one takes over

        await("the replacement sends", 5000, () -> !slow.made.isEmpty() && transport.frames.size() > before + 10);
        assertEquals(1, slow.firstEncodeThreads.size());
        assertTrue(!slow.firstEncodeThreads.get(0).equals("framewire-pacer"),
                "the first (slow) frame is encoded before the swap: " + slow.firstEncodeThreads);
        long gap = Frames.largestGap(transport.frames, before - 1, transport.frames.size());
        assertTrue(gap < 2 * INTERVAL_NANOS, "largest gap " + gap / 1000 + " µs, interval " + INTERVAL_NANOS / 1000 + " µs");
        assertEquals(BLUE, transport.lastCentrePixel());
    }

    @Test
    void theFallbackKeepsTheCodecOnTheWireSoPeersNeedNotNegotiateAgain() throws Exception {
        FakeEncoderFactory chosen = new FakeEncoderFactory(Codec.H264, false, null);
        FakeEncoderFactory hevcHardware = new FakeEncoderFactory(Codec.H265, true, null); // auto's first pick otherwise
        FakeEncoderFactory sameCodec = new FakeEncoderFactory(Codec.H264, false, null);
        RecordingTransport transport = new RecordingTransport();
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, FPS)).source("red", new SolidSource(RED))
                .encoder("hevc", hevcHardware).encoder("same", sameCodec).encoder("chosen", chosen).transport("rec", transport);
        session = builder.start();
        await("frames", 5000, () -> transport.frames.size() > 3);
        builder.registry().removeEncoder("chosen", chosen);
        session.refreshPlugins();
        await("the fallback sends", 5000, () -> !sameCodec.made.isEmpty());
        assertTrue(hevcHardware.made.isEmpty(), "auto kept H.264 instead of its usual first choice");
        assertEquals(1, transport.starts, "the transport was not restarted");
    }

    @Test
    void aSourceThatIsNotInstalledKeepsTheRunningOneUntilItAppears() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, FPS))
                .source("red", new SolidSource(RED)).encoder("fake", new FakeEncoderFactory()).transport("rec", transport);
        session = builder.start();
        await("red frames", 5000, () -> last(transport) == RED);

        session.select(new PluginSelection("camera", "fake", "rec"));
        int before = transport.frames.size();
        await("frames go on", 5000, () -> transport.frames.size() > before + 10);
        assertTrue(transport.frames.subList(before, transport.frames.size()).stream().allMatch(f -> f.centrePixel() == RED),
                "the running source stays");
        assertFalse(transport.frames.get(transport.frames.size() - 1).repeat(), "still rendered, not repeated");
        HealthReport health = session.health();
        assertEquals("red", health.plugins().source());
        assertEquals(1, health.problems().size(), health.problems().toString());
        assertTrue(health.problems().get(0).startsWith("source 'camera' is not installed (installed: red); 'red' stays"),
                health.problems().get(0));

        builder.registry().addSource("camera", new SolidSource(BLUE));
        session.refreshPlugins();
        await("the selected source takes over", 5000, () -> last(transport) == BLUE);
        assertEquals("camera", session.health().plugins().source());
        assertTrue(session.health().problems().isEmpty());
    }

    @Test
    void aMistypedEncoderOrTransportNeverReplacesTheRunningOne() throws Exception {
        FakeEncoderFactory encoders = new FakeEncoderFactory();
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, FPS)).source("red", new SolidSource(RED))
                .encoder("fake", encoders).transport("rec", transport).start();
        await("frames", 5000, () -> transport.frames.size() > 3);

        session.select(new PluginSelection("red", "nope", "rec"));
        session.select(new PluginSelection("red", "nope", "nada"));
        int before = transport.frames.size();
        await("frames go on", 5000, () -> transport.frames.size() > before + 10);
        assertEquals(1, encoders.made.size(), "no other encoder was made");
        assertFalse(encoders.made.get(0).closed, "the running encoder stays");
        assertFalse(transport.stopped, "the running transport stays");
        HealthReport health = session.health();
        assertEquals(new HealthReport.ActivePlugins("red", "fake", "rec"), health.plugins());
        assertEquals(2, health.problems().size(), health.problems().toString());
        assertTrue(health.problems().get(0).startsWith("encoder 'nope' is not installed (installed: fake); 'fake' stays"));
        assertTrue(health.problems().get(1).startsWith("transport 'nada' is not installed (installed: rec); 'rec' keeps"));
    }

    @Test
    void aNewEncoderAfterTheSourceWentAwayStartsFromACopyOfItsLastPicture() throws Exception {
        FreeingSource source = new FreeingSource();
        FakeEncoderFactory first = new FakeEncoderFactory();
        FakeEncoderFactory second = new FakeEncoderFactory();
        RecordingTransport transport = new RecordingTransport();
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, FPS)).source("freeing", source)
                .encoder("second", second).encoder("first", first).transport("rec", transport);
        session = builder.start();
        await("red frames", 5000, () -> last(transport) == RED);

        session.sourceRemoved("freeing"); // the OSGi unbind order: tell the session, then remove
        builder.registry().removeSource("freeing", source);
        session.refreshPlugins();
        source.free(); // the source deactivates and frees its buffer
        assertNull(session.health().plugins().source());

        session.select(new PluginSelection("freeing", "second", "rec"));
        await("the new encoder sends", 5000, () -> !second.made.isEmpty() && transport.frames.size() > 3);
        int before = transport.frames.size();
        await("more frames", 5000, () -> transport.frames.size() > before + 5);
        assertEquals(RED, transport.lastCentrePixel(), "the copy of the last picture, not the freed buffer");
    }

    @Test
    void whenTheLastPictureCannotBeKeptANewEncoderStartsFromANoticePicture() throws Exception {
        FreeingSource source = new FreeingSource();
        FakeEncoderFactory first = new FakeEncoderFactory();
        FakeEncoderFactory second = new FakeEncoderFactory();
        RecordingTransport transport = new RecordingTransport();
        StreamSessionTest.GateLoader loader = new StreamSessionTest.GateLoader();
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, FPS)).source("freeing", source)
                .encoder("second", second).encoder("first", first).transport("rec", transport).stageLoader("gate", loader);
        session = builder.start();
        await("red frames", 5000, () -> last(transport) == RED);
        session.requestStageLoad(URI.create("gate:hold")); // holds the stage lock: no safe moment to copy
        assertTrue(loader.entered.await(5, TimeUnit.SECONDS));
        try {
            session.sourceRemoved("freeing");
            builder.registry().removeSource("freeing", source);
            session.refreshPlugins();
            source.free();
            session.select(new PluginSelection("freeing", "second", "rec"));
            await("the new encoder sends", 5000, () -> !second.made.isEmpty() && transport.frames.size() > 3);
            int before = transport.frames.size();
            await("more frames", 5000, () -> transport.frames.size() > before + 5);
            assertEquals(LoadingFrame.BAND, transport.lastCentrePixel(), "a notice picture, never the freed buffer");
        } finally {
            loader.release.countDown();
        }
    }

    @Test
    void healthSaysStalledWhenTheProducerIsQuietLongerThanTheMaximumAge() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, FPS)).noSource().encoder("fake", new FakeEncoderFactory())
                .transport("rec", transport).maxFrameAgeMillis(300).start();
        session.streamVideo(Frames.solid(64, 48, RED));
        await("ready", 5000, session::isReady);
        assertEquals(HealthReport.State.READY, session.health().state());
        await("stalled", 5000, () -> session.health().state() == HealthReport.State.STALLED);
        HealthReport stalled = session.health();
        assertFalse(stalled.ready(), "not ready: /health answers 503");
        assertTrue(stalled.freshFrameAgeMillis() > 300, stalled.toString());
        assertTrue(stalled.frameAgeMillis() < 300, "frames are still sent (the last good picture): " + stalled);
        session.streamVideo(Frames.solid(64, 48, BLUE));
        await("fresh again", 5000, () -> session.health().state() == HealthReport.State.READY);
    }

    @Test
    void aSourceWithNothingNewIsAliveNotStalled() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        FrameSource still = new FrameSource() {
            private boolean first = true;

            @Override
            public VideoFrame render(FrameRequest request) {
                VideoFrame f = first ? Frames.solid(64, 48, RED) : null;
                first = false;
                return f;
            }
        };
        session = StreamSession.builder(Frames.config(64, 48, FPS)).source("still", still)
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).maxFrameAgeMillis(200).start();
        await("ready", 5000, session::isReady);
        Thread.sleep(500);
        HealthReport health = session.health();
        assertEquals(HealthReport.State.READY, health.state(), health.toString());
        assertTrue(health.freshFrameAgeMillis() < 200, health.toString());
    }
}
