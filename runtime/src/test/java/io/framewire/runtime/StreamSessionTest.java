package io.framewire.runtime;

import io.framewire.testing.spi.Frames;
import io.framewire.api.Codec;
import io.framewire.api.HealthReport;
import io.framewire.api.ServerConfig;
import io.framewire.api.StreamDescription;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.KeyInput;
import io.framewire.api.spi.PointerInput;
import io.framewire.api.spi.StageEvent;
import io.framewire.api.spi.StageLoadContext;
import io.framewire.api.spi.StageLoader;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.RecordingTransport;
import io.framewire.testing.spi.SolidSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.framewire.testing.spi.Frames.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session-level behaviour: first-frame log, messages during loads, load policy, health, plugin swaps. */
class StreamSessionTest {
    private static final int RED = 0xFFFF0000;
    private static final int BLUE = 0xFF0000FF;

    private StreamSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    /** A loader that holds the stage lock until released. */
    static final class GateLoader implements StageLoader {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> loaded = new CopyOnWriteArrayList<>();
        volatile boolean sawCancel;

        @Override
        public boolean canLoad(URI uri) {
            return "gate".equals(uri.getScheme());
        }

        @Override
        public void load(URI uri, StageLoadContext context) throws InterruptedException {
            entered.countDown();
            while (!release.await(10, TimeUnit.MILLISECONDS)) {
                if (context.isCancelled()) {
                    sawCancel = true;
                    return;
                }
            }
            loaded.add(uri.toString());
        }
    }

    @Test
    void theFirstFrameIsLoggedExactlyOnce() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        RecordingTransport transport = new RecordingTransport();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            session = StreamSession.builder(Frames.config(202, 110, 50)).source("solid", new SolidSource(RED))
                    .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
            await("many frames", 5000, () -> transport.frames.size() >= 10);
            session.streamVideo(Frames.solid(202, 110, BLUE));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        int count = log.split("First BGRA frame ready: 202x110", -1).length - 1;
        assertEquals(1, count, "log was:\n" + log);
    }

    @Test
    void messageCallbacksAreNotBlockedByALoad() throws Exception {
        GateLoader loader = new GateLoader();
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).stageLoader("gate", loader).start();
        List<String> appMessages = new CopyOnWriteArrayList<>();
        session.addMessageListener((peer, json) -> appMessages.add(peer + ":" + json));
        await("first frame", 5000, session::isReady); // before it, health says STARTING even during a load
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                transport.context.onStageLoad("p1", URI.create("gate:a"));
                assertTrue(loader.entered.await(5, TimeUnit.SECONDS));
                // the loader holds the stage lock now; the network thread must still get through at once
                transport.context.onAppMessage("p1", new AppMessage("{\"type\":\"hello\",\"n\":1}"));
                await("app message delivered during the load", 4000,
                        () -> appMessages.contains("p1:{\"type\":\"hello\",\"n\":1}"));
            });
            assertEquals(HealthReport.State.TEMPORARILY_UNAVAILABLE, session.health().state());
            assertEquals("gate:a", session.health().stageLoading());
        } finally {
            loader.release.countDown();
        }
        await("loaded", 5000, () -> session.health().state() == HealthReport.State.READY);
        assertEquals(List.of("gate:a"), loader.loaded);
    }

    @Test
    void aNewLoadCancelsTheRunningOneAndTheNewestWins() throws Exception {
        GateLoader loader = new GateLoader();
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).stageLoader("gate", loader).start();
        session.requestStageLoad(URI.create("gate:first"));
        assertTrue(loader.entered.await(5, TimeUnit.SECONDS));
        session.requestStageLoad(URI.create("gate:second"));
        session.requestStageLoad(URI.create("gate:third"));
        await("first cancelled", 5000, () -> loader.sawCancel);
        loader.release.countDown();
        await("third loaded", 5000, () -> transport.sentStageEvent(StageEvent.Kind.LOADED, "gate:third"));
        assertEquals(List.of("gate:third"), loader.loaded, "only the newest request ran to the end");
        assertTrue(transport.sentStageEvent(StageEvent.Kind.CANCELLED, "gate:first"));
        assertTrue(transport.sentStageEvent(StageEvent.Kind.CANCELLED, "gate:second"));
    }

    @Test
    void aFailingLoadIsAnnouncedAndTheStreamGoesOn() throws Exception {
        StageLoader failing = new StageLoader() {
            @Override
            public boolean canLoad(URI uri) {
                return true;
            }

            @Override
            public void load(URI uri, StageLoadContext context) {
                throw new IllegalArgumentException("shapes[2].color=#zz: not a colour");
            }
        };
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).stageLoader("bad", failing).start();
        session.requestStageLoad(URI.create("file:/x.json"));
        await("failure announced", 5000, () -> transport.stageEvents().stream()
                .anyMatch(e -> e.kind() == StageEvent.Kind.FAILED && e.detail().contains("shapes[2].color=#zz")));
        int sent = transport.frames.size();
        await("still streaming", 5000, () -> transport.frames.size() > sent + 3);
    }

    @Test
    void aLoadNoLoaderAcceptsIsAnnouncedAsFailed() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        session.requestStageLoad(URI.create("nope:x"));
        await("failure", 5000, () -> transport.stageEvents().stream()
                .anyMatch(e -> e.kind() == StageEvent.Kind.FAILED && e.detail().equals("no stage loader accepts uri=nope:x")));
    }

    @Test
    void theApplicationLoadsAStageThroughTheApiAndABadUriIsRefusedNamingIt() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        session.loadStage("nope:app");
        await("announced to the peers", 5000, () -> transport.stageEvents().stream()
                .anyMatch(e -> e.kind() == StageEvent.Kind.FAILED && e.detail().equals("no stage loader accepts uri=nope:app")));
        for (String bad : new String[] {"", "no-scheme", "scene: demo"}) {
            io.framewire.api.InvalidFrameException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.framewire.api.InvalidFrameException.class, () -> session.loadStage(bad));
            assertEquals("uri", e.field(), bad);
        }
        session.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> session.loadStage("scene:demo"));
    }

    @Test
    void typedMessagesReachTheListenersAsJson() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        List<String> received = new CopyOnWriteArrayList<>();
        session.addMessageListener((peer, json) -> received.add(peer + ":" + json));
        transport.context.onInput("p1", new PointerInput(PointerInput.Kind.DOWN, 0, 1, 10, 20, 0, 0));
        transport.context.onInput("p2", new KeyInput(KeyInput.Kind.UP, "a", "KeyA", true, false, false, false, false));
        transport.context.onStageLoad("p3", URI.create("nope:x"));
        await("three messages", 5000, () -> received.size() == 3);
        assertEquals("p1:{\"type\":\"input.pointer\",\"kind\":\"down\",\"button\":0,\"buttons\":1,\"x\":10,\"y\":20}",
                received.get(0));
        assertEquals("p2:{\"type\":\"input.key\",\"kind\":\"up\",\"key\":\"a\",\"code\":\"KeyA\",\"shift\":true,"
                + "\"ctrl\":false,\"alt\":false,\"meta\":false,\"repeat\":false}", received.get(1));
        assertEquals("p3:{\"type\":\"stage.load\",\"uri\":\"nope:x\"}", received.get(2));
        session.sendMessage("{\"hi\":1}");
        assertEquals(List.of("{\"hi\":1}"), transport.appMessages(), "the application's messages go out typed");
    }

    @Test
    void aSlowListenerMakesMessagesDropCountedInHealthAndTheSenderIsTold() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        CountDownLatch release = new CountDownLatch(1);
        session.addMessageListener((peer, json) -> {
            try {
                release.await(); // an application listener that is stuck
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            for (int i = 0; i < 1100; i++) {
                transport.context.onAppMessage("p9", new AppMessage("{\"n\":" + i + "}"));
            }
            long dropped = session.health().counters().droppedMessages();
            assertTrue(dropped >= 1100 - 1024 - 1, "the queue holds 1024, the rest is dropped: " + dropped);
            assertEquals(1, transport.errors().size(), "one busy reply per second, not one per drop: " + transport.errors());
            assertTrue(transport.errors().get(0).startsWith("server busy: message dropped"), transport.errors().get(0));
            assertEquals("p9", transport.messagePeers.get(transport.messagePeers.size() - 1), "the reply goes to the sender");
        } finally {
            release.countDown();
        }
        int sent = transport.frames.size();
        await("still streaming", 5000, () -> transport.frames.size() > sent + 3);
    }

    @Test
    void theTransportStartsWithTheEncodersCodecBeforeTheFirstFrame() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).noSource()
                .encoder("h264", new FakeEncoderFactory(Codec.H264, false, null)).transport("rec", transport).start();
        assertEquals(1, transport.starts, "started at once, no frame needed");
        assertEquals(new StreamDescription(Codec.H264, 64, 48, 50, VideoInput.BGRA), transport.context.stream());
        assertTrue(transport.frames.stream().noneMatch(f -> f.centrePixel() == RED), "no real frame yet");
    }

    @Test
    void aCodecChangeRestartsTheTransportWithTheNewCodec() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("av1", new FakeEncoderFactory(Codec.AV1, false, null))
                .encoder("h264", new FakeEncoderFactory(Codec.H264, false, null)).transport("rec", transport);
        session = builder.start();
        assertEquals(Codec.H264, transport.context.stream().codec());
        session.select(new PluginSelection("solid", "av1", "rec"));
        assertEquals(2, transport.starts, "restarted for the new codec");
        assertEquals(Codec.AV1, transport.context.stream().codec());
        session.select(new PluginSelection("solid", "h264", "rec"));
        session.setBitrateKbps(2000);
        assertEquals(3, transport.starts, "a bitrate change does not restart it");
    }

    @Test
    void theTransportsNetworkEstimateSetsTheEncodersRatesWithinTheConfiguredOnes() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        FakeEncoderFactory encoders = new FakeEncoderFactory();
        FakeEncoderFactory replacements = new FakeEncoderFactory();
        ServerConfig config = ServerConfig.builder().width(64).height(48).fps(50).bitrateKbps(3000).build();
        session = StreamSession.builder(config).source("solid", new SolidSource(RED))
                .encoder("fake", encoders).encoder("other", replacements).transport("rec", transport).start();
        session.select(new PluginSelection("solid", "fake", "rec"));
        await("streaming", 5000, () -> transport.frames.size() > 3);
        transport.context.setNetworkBitrateKbps(1500);
        await("the encoder follows the estimate", 5000, () -> last(encoders).bitrateKbps == 1500);
        assertEquals(new NetworkRates(1500, 50), session.rates());
        transport.context.setNetworkBitrateKbps(9000);
        await("never above the configured bitrate", 5000, () -> last(encoders).bitrateKbps == 3000);
        transport.context.setNetworkBitrateKbps(1500);
        session.select(new PluginSelection("solid", "other", "rec"));
        await("a new encoder takes up the network-limited rate", 5000,
                () -> !replacements.made.isEmpty() && last(replacements).bitrateKbps == 1500);
        transport.context.setNetworkBitrateKbps(0);
        await("no estimate: the configured rates", 5000, () -> last(replacements).bitrateKbps == 3000);
    }

    private static io.framewire.testing.spi.CentrePixelEncoder last(FakeEncoderFactory factory) {
        return factory.made.get(factory.made.size() - 1);
    }

    @Test
    void aPeersKeyframeRequestReachesTheEncoder() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        await("a few delta frames", 5000, () -> transport.frames.size() > 5);
        int before = transport.frames.size();
        assertTrue(transport.frames.subList(1, before).stream().noneMatch(RecordingTransport.Sent::keyframe),
                "only the first frame is a key frame");
        transport.context.requestKeyframe();
        await("a key frame after the request", 5000,
                () -> transport.frames.subList(before, transport.frames.size()).stream().anyMatch(RecordingTransport.Sent::keyframe));
    }

    @Test
    void aTransportSwapKeepsTheStreamAndStopsTheOldOne() throws Exception {
        RecordingTransport first = new RecordingTransport();
        RecordingTransport second = new RecordingTransport();
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("second", second).transport("first", first);
        session = builder.start();
        await("first gets frames", 5000, () -> first.frames.size() > 3);
        session.select(new PluginSelection("solid", "fake", "second"));
        assertTrue(first.stopped);
        await("second gets frames", 5000, () -> second.frames.size() > 3);
        assertTrue(second.frames.get(0).keyframe(), "a new transport starts with a key frame");
    }

    @Test
    void anEncoderThatGoesAwayIsReplacedByTheNextBestOne() throws Exception {
        FakeEncoderFactory hardware = new FakeEncoderFactory(Codec.H264, true, null);
        FakeEncoderFactory software = new FakeEncoderFactory(Codec.H264, false, null);
        RecordingTransport transport = new RecordingTransport();
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("sw", software).encoder("hw", hardware).transport("rec", transport);
        builder.registry().addEncoder("raw", new FakeEncoderFactory());
        session = builder.build();
        session.select(new PluginSelection("solid", PluginRegistry.AUTO, "rec"));
        session.start();
        assertEquals(1, hardware.made.size(), "auto prefers the available hardware encoder");
        builder.registry().removeEncoder("hw", hardware);
        session.refreshPlugins();
        await("the old encoder is closed at the next tick", 5000, () -> hardware.made.get(0).closed);
        assertEquals(1, software.made.size(), "falls back to software, not to RAW");
        int sent = transport.frames.size();
        await("still streaming", 5000, () -> transport.frames.size() > sent + 3);
    }

    @Test
    void closeStopsEverything() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        FakeEncoderFactory encoders = new FakeEncoderFactory();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", encoders).transport("rec", transport).start();
        await("frames", 5000, () -> transport.frames.size() > 3);
        session.close();
        assertTrue(transport.stopped);
        assertTrue(encoders.made.get(0).closed);
        assertEquals(HealthReport.State.STOPPED, session.health().state());
        int after = transport.frames.size();
        Thread.sleep(100);
        assertEquals(after, transport.frames.size(), "no frame after close");
        await("scheduler threads gone", 3000, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("framewire-pacer") && t.isAlive()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> session.streamVideo(Frames.solid(64, 48, RED)));
    }
}
