package io.framewire.plugin.testpattern;

import io.framewire.api.spi.StageLoadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

class SceneFileLoaderTest {

    /** Records progress calls with their times. */
    static final class Recorder implements StageLoadContext {
        final List<Double> fractions = new ArrayList<>();
        final List<String> details = new ArrayList<>();
        final List<Long> nanos = new ArrayList<>();
        BooleanSupplier cancelled = () -> false;

        @Override
        public synchronized void progress(double fraction, String detail) {
            fractions.add(fraction);
            details.add(detail);
            nanos.add(System.nanoTime());
        }

        @Override
        public boolean isCancelled() {
            return cancelled.getAsBoolean();
        }
    }

    static Recorder recorder() {
        return new Recorder();
    }

    @Test
    void canLoad() {
        SceneFileLoader l = new SceneFileLoader(new SceneHolder(), 0);
        assertTrue(l.canLoad(URI.create("file:/tmp/a.json")));
        assertTrue(l.canLoad(URI.create("file:///tmp/a.JSON")));
        assertTrue(l.canLoad(URI.create("file:/tmp/a.json?delayMillis=5")));
        assertTrue(l.canLoad(URI.create("scene:demo")));
        assertTrue(l.canLoad(URI.create("scene:demo?delayMillis=10000")));
        assertFalse(l.canLoad(URI.create("file:/tmp/a.txt")));
        assertFalse(l.canLoad(URI.create("http://host/a.json")));
        assertFalse(l.canLoad(URI.create("scene:a/b")));
        assertFalse(l.canLoad(URI.create("a.json")));
        assertFalse(l.canLoad(null));
    }

    @Test
    void loadsBuiltInDemoAndReportsProgress() throws Exception {
        SceneHolder holder = new SceneHolder();
        Recorder ctx = recorder();
        new SceneFileLoader(holder, 0).load(URI.create("scene:demo"), ctx);
        Scene s = holder.current();
        assertEquals("demo", s.name());
        assertEquals(3, s.shapes().size());
        assertEquals(Shape.Kind.CIRCLE, s.shapes().get(1).kind());
        assertEquals(0.0, ctx.fractions.get(0));
        assertEquals(1.0, ctx.fractions.get(ctx.fractions.size() - 1));
        for (int i = 1; i < ctx.fractions.size(); i++) {
            assertTrue(ctx.fractions.get(i) >= ctx.fractions.get(i - 1), "progress never goes back: " + ctx.fractions);
        }
    }

    @Test
    void loadsFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, SceneTest.GOOD);
        SceneHolder holder = new SceneHolder();
        new SceneFileLoader(holder, 0, List.of(dir)).load(f.toUri(), recorder());
        assertEquals("s1", holder.current().name());
    }

    @Test
    void badFileKeepsPreviousScene(@TempDir Path dir) throws Exception {
        SceneHolder holder = new SceneHolder();
        SceneFileLoader l = new SceneFileLoader(holder, 0, List.of(dir));
        l.load(URI.create("scene:demo"), recorder());
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"name\":\"bad\",\"shapes\":[{\"kind\":\"rect\",\"x\":0,\"y\":0,\"w\":0.5,\"h\":0.5,\"color\":\"blue\"}]}");
        SceneFormatException e = assertThrows(SceneFormatException.class, () -> l.load(f.toUri(), recorder()));
        assertEquals("uri", e.field());
        assertTrue(e.getMessage().endsWith("not valid scene JSON (at shapes[0].color)"), e.getMessage());
        assertFalse(e.getMessage().contains("blue"), "the file's content is not echoed: " + e.getMessage());
        assertEquals("demo", holder.current().name());
        e = assertThrows(SceneFormatException.class, () -> l.load(dir.resolve("none.json").toUri(), recorder()));
        assertEquals("uri", e.field());
        assertTrue(e.getMessage().endsWith(": not found"), e.getMessage());
        e = assertThrows(SceneFormatException.class, () -> l.load(URI.create("scene:nosuch"), recorder()));
        assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
        assertEquals("demo", holder.current().name());
    }

    @Test
    void configuredDelayReportsProgressAtLeastEvery250ms() throws Exception {
        SceneHolder holder = new SceneHolder();
        Recorder ctx = recorder();
        long t0 = System.nanoTime();
        new SceneFileLoader(holder, 600).load(URI.create("scene:demo"), ctx);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(tookMs >= 600, "took " + tookMs);
        assertEquals("demo", holder.current().name());
        assertTrue(ctx.fractions.size() >= 5, "progress calls: " + ctx.fractions);
        long prev = t0;
        for (long n : ctx.nanos) {
            assertTrue((n - prev) / 1_000_000 <= 250, "gap " + (n - prev) / 1_000_000 + " ms");
            prev = n;
        }
        for (int i = 1; i < ctx.fractions.size(); i++) {
            assertTrue(ctx.fractions.get(i) >= ctx.fractions.get(i - 1), ctx.fractions.toString());
            assertTrue(ctx.fractions.get(i) <= 1.0);
        }
        assertEquals(1.0, ctx.fractions.get(ctx.fractions.size() - 1));
    }

    @Test
    void uriDelayOverridesConfiguredDelay() throws Exception {
        SceneHolder holder = new SceneHolder();
        SceneFileLoader slow = new SceneFileLoader(holder, 60_000);
        assertEquals(60_000, slow.delayFor(URI.create("scene:demo")));
        assertEquals(10_000, slow.delayFor(URI.create("scene:demo?delayMillis=10000")));
        assertEquals(7, slow.delayFor(URI.create("file:/x/a.json?loadDelayMillis=7")));
        long t0 = System.nanoTime();
        slow.load(URI.create("scene:demo?delayMillis=0"), recorder());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000);
        assertEquals("demo", holder.current().name());

        SceneFileLoader fast = new SceneFileLoader(new SceneHolder(), 0);
        Recorder ctx = recorder();
        t0 = System.nanoTime();
        fast.load(URI.create("scene:blank?delayMillis=300"), ctx);
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(took >= 300, "took " + took);
        assertTrue(ctx.details.stream().anyMatch(d -> d.contains("/300 ms")), ctx.details.toString());

        SceneFormatException e = assertThrows(SceneFormatException.class,
                () -> fast.delayFor(URI.create("scene:demo?delayMillis=abc")));
        assertEquals("delayMillis", e.field());
        assertTrue(e.getMessage().contains("abc"));
        e = assertThrows(SceneFormatException.class, () -> fast.delayFor(URI.create("scene:demo?delayMillis=-1")));
        assertTrue(e.getMessage().contains("-1"));
    }

    @Test
    void cancellationLeavesOldSceneAndReturnsEarly() throws Exception {
        SceneHolder holder = new SceneHolder();
        SceneFileLoader l = new SceneFileLoader(holder, 0);
        l.load(URI.create("scene:blank"), recorder());
        assertEquals("blank", holder.current().name());
        Recorder ctx = recorder();
        AtomicBoolean cancel = new AtomicBoolean();
        ctx.cancelled = cancel::get;
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
            }
            cancel.set(true);
        });
        canceller.start();
        long t0 = System.nanoTime();
        l.load(URI.create("scene:demo?delayMillis=10000"), ctx);
        long took = (System.nanoTime() - t0) / 1_000_000;
        canceller.join();
        assertTrue(took < 2_000, "returned after " + took + " ms");
        assertEquals("blank", holder.current().name(), "cancelled load must not change the scene");
        assertTrue(ctx.fractions.size() >= 2);
        assertTrue(ctx.fractions.get(ctx.fractions.size() - 1) < 1.0);
    }

    @Test
    void cancelledBeforeStartChangesNothing() throws Exception {
        SceneHolder holder = new SceneHolder();
        Recorder ctx = recorder();
        ctx.cancelled = () -> true;
        new SceneFileLoader(holder, 0).load(URI.create("scene:demo"), ctx);
        assertSame(Scene.EMPTY, holder.current());
    }
}
