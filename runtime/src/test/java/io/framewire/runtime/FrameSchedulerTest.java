package io.framewire.runtime;

import io.framewire.testing.spi.Frames;
import io.framewire.api.HealthReport;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.StageEvent;
import io.framewire.api.spi.StageLoadContext;
import io.framewire.api.spi.StageLoader;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.RecordingTransport;
import io.framewire.testing.spi.RecordingTransport.Sent;
import io.framewire.testing.spi.SolidSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.framewire.testing.spi.Frames.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler's promises: continuity, loading frame, pacing, and a source that throws or stalls. */
class FrameSchedulerTest {
    private static final int RED = 0xFFFF0000;
    private static final int GREEN = 0xFF00FF00;

    private StreamSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    /** Holds the stage lock for {@code millis}, reporting progress every 100 ms. */
    static final class SlowLoader implements StageLoader {
        final long millis;
        final AtomicLong sourceCallsAtStart = new AtomicLong(-1);
        final AtomicLong sourceCallsAtEnd = new AtomicLong(-1);
        final SolidSource source;

        SlowLoader(long millis, SolidSource source) {
            this.millis = millis;
            this.source = source;
        }

        @Override
        public boolean canLoad(URI uri) {
            return "slow".equals(uri.getScheme());
        }

        @Override
        public void load(URI uri, StageLoadContext context) throws InterruptedException {
            sourceCallsAtStart.set(source.calls.get());
            for (long t = 0; t < millis && !context.isCancelled(); t += 100) {
                context.progress((double) t / millis, "step " + t);
                Thread.sleep(100);
            }
            source.argb = GREEN; // the new stage looks different
            sourceCallsAtEnd.set(source.calls.get());
        }
    }

    @Test
    void aLoadHoldingTheStageLockForSecondsLeavesNoGapAndRepeatsTheLastGoodFrame() throws Exception {
        int fps = 20;
        long interval = TimeUnit.SECONDS.toNanos(1) / fps;
        SolidSource source = new SolidSource(RED);
        SlowLoader loader = new SlowLoader(2000, source);
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, fps)).source("solid", source)
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).stageLoader("slow", loader).start();
        await("first real frame", 5000, () -> !transport.frames.isEmpty() && transport.lastCentrePixel() == RED);

        transport.context.onStageLoad("peer-1", URI.create("slow:scene"));
        await("load started", 5000, () -> loader.sourceCallsAtStart.get() >= 0);
        int atLoadStart = transport.frames.size();
        await("load finished", 10000, () -> transport.sentStageEvent(StageEvent.Kind.LOADED, "slow:scene"));
        int atLoadEnd = transport.frames.size();
        await("new stage on screen", 5000, () -> transport.lastCentrePixel() == GREEN);

        List<Sent> frames = transport.frames;
        List<Sent> duringLoad = frames.subList(atLoadStart + 1, atLoadEnd - 1);
        assertTrue(duringLoad.size() >= 30, "frames kept flowing during the 2 s load: " + duringLoad.size());
        assertTrue(duringLoad.stream().allMatch(Sent::repeat), "frames during the load repeat the last good frame");
        assertTrue(duringLoad.stream().allMatch(f -> f.centrePixel() == RED), "and show the old stage");
        assertEquals(loader.sourceCallsAtStart.get(), loader.sourceCallsAtEnd.get(), "the source is not called during a load");
        long gap = Frames.largestGap(frames, 1, frames.size());
        assertTrue(gap <= 2 * interval, "largest gap " + gap / 1e6 + " ms must be <= 2 intervals (" + 2 * interval / 1e6 + " ms)");
        assertTrue(transport.stageEvents().stream().filter(e -> e.kind() == StageEvent.Kind.PROGRESS).count() >= 10, "progress announced");
    }

    @Test
    void theLoadingFrameIsSentBeforeTheFirstFrame() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FrameSource lateSource = request -> {
            if (release.getCount() > 0) {
                return null; // nothing yet
            }
            return Frames.solid(request.width(), request.height(), RED);
        };
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("late", lateSource)
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        await("some frames", 5000, () -> transport.frames.size() >= 5);
        assertEquals(HealthReport.State.STARTING, session.health().state());
        assertFalse(session.isReady());
        int loadingCentre = transport.frames.get(0).centrePixel();
        assertEquals(LoadingFrame.BAND, loadingCentre, "the loading picture's centre band");
        assertTrue(transport.frames.get(0).keyframe(), "the stream starts with a key frame");
        release.countDown();
        await("real frame", 5000, () -> transport.lastCentrePixel() == RED);
        assertTrue(session.isReady());
        assertEquals(HealthReport.State.READY, session.health().state());
    }

    @Test
    void aThrowingSourceIsCountedAndTheLastGoodFrameRepeats() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FrameSource flaky = request -> {
            if (calls.incrementAndGet() > 3) {
                throw new IllegalStateException("renderer crashed");
            }
            return Frames.solid(request.width(), request.height(), RED);
        };
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("flaky", flaky)
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        await("frames after the failures", 5000, () -> calls.get() > 20);
        int sentBefore = transport.frames.size();
        await("the loop goes on", 5000, () -> transport.frames.size() > sentBefore + 5);
        assertEquals(RED, transport.lastCentrePixel(), "last good frame repeated");
        assertTrue(transport.frames.get(transport.frames.size() - 1).repeat());
        assertTrue(session.health().counters().sourceErrors() >= 17, "errors counted: " + session.health().counters());
    }

    @Test
    void aStalledSourceNeverStopsTheStreamAndCanBeSwappedOut() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        FrameSource stalling = request -> {
            if (calls.incrementAndGet() > 2) {
                stuck.await(); // never returns until the test ends
            }
            return Frames.solid(request.width(), request.height(), RED);
        };
        int fps = 20;
        RecordingTransport transport = new RecordingTransport();
        SolidSource green = new SolidSource(GREEN);
        StreamSession.Builder builder = StreamSession.builder(Frames.config(64, 48, fps)).source("green", green)
                .source("stalling", stalling).encoder("fake", new FakeEncoderFactory()).transport("rec", transport);
        session = builder.start();
        try {
            await("stall", 5000, () -> calls.get() >= 3);
            int atStall = transport.frames.size();
            await("frames during the stall", 5000, () -> transport.frames.size() >= atStall + 20);
            List<Sent> stalled = transport.frames.subList(atStall + 1, atStall + 20);
            assertTrue(stalled.stream().allMatch(f -> f.repeat() && f.centrePixel() == RED));
            // the guard notices within about three intervals, then keeps the grid
            assertTrue(Frames.largestGap(transport.frames, atStall + 2, atStall + 20) <= 2 * (1_000_000_000L / fps));
            assertTrue(session.counters().stalledTicks.get() > 10);

            session.select(new PluginSelection("green", "fake", "rec"));
            await("the new source's frames", 5000, () -> transport.lastCentrePixel() == GREEN);
        } finally {
            stuck.countDown();
        }
    }

    /** A clock that jumps to each deadline plus some simulated work, and records the deadlines. */
    static final class FakeClock implements PacingClock {
        final AtomicLong now = new AtomicLong(5_000_000_000L);
        final List<Long> deadlines = new CopyOnWriteArrayList<>();
        final long work;
        final int maxTicks;

        FakeClock(long work, int maxTicks) {
            this.work = work;
            this.maxTicks = maxTicks;
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleepUntil(long deadline) throws InterruptedException {
            if (deadlines.size() >= maxTicks) {
                Thread.sleep(Long.MAX_VALUE); // until close() interrupts
            }
            deadlines.add(deadline);
            // wake at the deadline, then the tick "takes" 'work' nanoseconds
            now.set(Math.max(now.get(), deadline) + work);
        }
    }

    @Test
    void pacingHasNoDriftWhenEachTickTakesMostOfItsInterval() throws Exception {
        ServerConfig config = Frames.config(64, 48, 60);
        long interval = config.frameIntervalNanos();
        FakeClock clock = new FakeClock(interval * 9 / 10, 300);
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(config).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).clock(clock).start();
        await("300 ticks", 20_000, () -> clock.deadlines.size() >= 300);
        long start = clock.deadlines.get(0);
        for (int n = 0; n < 300; n++) {
            assertEquals(start + n * interval, (long) clock.deadlines.get(n), "tick " + n + " is off the grid");
        }
        assertEquals(0, session.counters().skippedTicks.get());
    }

    @Test
    void frameNumbersAndTimestampsFollowTheTicks() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("solid", new SolidSource(RED))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        await("frames", 5000, () -> transport.frames.size() >= 20);
        for (int i = 1; i < 20; i++) {
            assertTrue(transport.frames.get(i).frameNumber() > transport.frames.get(i - 1).frameNumber());
        }
    }

    @Test
    void aFrameOfTheWrongSizeIsRefusedAndTheLastGoodFrameStays() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).noSource()
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        session.streamVideo(Frames.solid(64, 48, RED));
        await("red", 5000, () -> !transport.frames.isEmpty() && transport.lastCentrePixel() == RED);
        VideoFrame wrong = Frames.solid(66, 48, GREEN);
        io.framewire.api.InvalidFrameException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.framewire.api.InvalidFrameException.class, () -> session.streamVideo(wrong));
        assertEquals("width", e.field());
        assertTrue(e.getMessage().startsWith("width=66: must equal the stream width 64"), e.getMessage());
        int sent = transport.frames.size();
        await("more frames", 5000, () -> transport.frames.size() > sent + 3);
        assertEquals(RED, transport.lastCentrePixel());
        assertEquals(1, session.health().counters().framesRefused(), "the refused frame is counted");
    }

    @Test
    void pushedFramesAreSentWithoutAPullSource() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).noSource()
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        session.streamVideo(Frames.solid(64, 48, GREEN));
        await("green", 5000, () -> !transport.frames.isEmpty() && transport.lastCentrePixel() == GREEN);
        assertTrue(session.isReady());
    }

    @Test
    void aPushedFrameIsSentAtOnceNotAtTheNextTick() throws Exception {
        int fps = 2; // ticks 500 ms apart: "at once" and "at the next tick" are far apart
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, fps)).noSource()
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        await("loading frames", 5000, () -> transport.frames.size() >= 2);
        Thread.sleep(150); // off the tick grid
        List<Long> waits = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) { // a producer at the session's fps, out of phase with the grid
            int colour = 0xFF000000 | i;
            long pushed = System.nanoTime();
            session.streamVideo(Frames.solid(64, 48, colour));
            await("pushed frame " + i, 5000, () -> transport.frames.stream().anyMatch(f -> f.centrePixel() == colour));
            Sent sent = transport.frames.stream().filter(f -> f.centrePixel() == colour).findFirst().orElseThrow();
            waits.add((sent.nanos() - pushed) / 1_000_000);
            Thread.sleep(Math.max(0, 500 - (System.nanoTime() - pushed) / 1_000_000));
        }
        // the first pushes may wait for the spacing rule (3/4 of an interval after the grid's last
        // tick); within two frames the grid follows the producer and pushed frames go out at once
        for (long wait : waits.subList(2, waits.size())) {
            assertTrue(wait < 50, "pushed frames waited " + waits + " ms; the next tick was up to 500 ms away");
        }
        long repeats = transport.frames.stream().skip(2).filter(Sent::repeat).count();
        assertTrue(repeats <= 2, "a producer on time is not interleaved with repeats: " + repeats);
    }

    @Test
    void pushingFasterThanTheFpsKeepsTheAverageAtTheFps() throws Exception {
        int fps = 10;
        RecordingTransport transport = new RecordingTransport();
        session = StreamSession.builder(Frames.config(64, 48, fps)).noSource()
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        await("loading frames", 5000, () -> transport.frames.size() >= 2);
        int before = transport.frames.size();
        long start = System.nanoTime();
        for (int i = 0; i < 150; i++) {
            session.streamVideo(Frames.solid(64, 48, 0xFF000000 | i));
            Thread.sleep(10); // about 100 pushes a second into a 10 fps session
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int sent = transport.frames.size() - before;
        assertTrue(sent <= fps * seconds + 5, sent + " frames in " + seconds + " s at " + fps + " fps");
        assertTrue(sent >= fps * seconds * 0.7, "and not much fewer: " + sent + " in " + seconds + " s");
    }

    @Test
    void theFrameRateChangesWhileStreaming() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        FakeEncoderFactory encoders = new FakeEncoderFactory();
        session = StreamSession.builder(Frames.config(64, 48, 5)).source("solid", new SolidSource(RED))
                .encoder("fake", encoders).transport("rec", transport).start();
        Thread.sleep(1000);
        int atFive = transport.frames.size();
        session.setFps(40);
        assertEquals(40, session.config().fps());
        int before = transport.frames.size();
        Thread.sleep(1000);
        int atForty = transport.frames.size() - before;
        assertTrue(atFive <= 8, "about 5 frames in the first second: " + atFive);
        assertTrue(atForty >= 25, "about 40 frames in the second after the change: " + atForty);
    }

    @Test
    void renderRequestsCarryTheStreamSize() throws Exception {
        List<FrameRequest> requests = new CopyOnWriteArrayList<>();
        FrameSource recording = request -> {
            requests.add(request);
            return null;
        };
        session = StreamSession.builder(Frames.config(320, 240, 50)).source("rec", recording)
                .encoder("fake", new FakeEncoderFactory()).transport("rec", new RecordingTransport()).start();
        await("requests", 5000, () -> requests.size() >= 3);
        assertEquals(320, requests.get(0).width());
        assertEquals(240, requests.get(0).height());
        for (int i = 1; i < 3; i++) { // pts: microseconds since the start, about one interval (20 ms) apart
            long step = requests.get(i).ptsMicros() - requests.get(i - 1).ptsMicros();
            assertTrue(step > 5_000 && step < 60_000, "pts step " + step + " µs at 50 fps");
        }
    }
}
