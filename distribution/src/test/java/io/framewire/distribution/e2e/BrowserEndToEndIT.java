package io.framewire.distribution.e2e;

import io.framewire.testing.ChromeDevTools;
import io.framewire.testing.PrometheusParser;
import org.junit.Assume;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The shipped distribution, started as a person starts it (Felix, the bundles of bundle/, a
 * load/*.cfg), watched by headless Chromium through the DevTools protocol: standard WebRTC, H.264
 * from libx264, the web client served at {@code /}. No mocks on either side.
 */
public class BrowserEndToEndIT {
    private static final int WIDTH = 1920;
    private static final int HEIGHT = 1080;
    private static final int FPS = 30;
    private static final String TOKEN = "e2e-token-0123456789abcdef";
    private static final String SERVER_HEAP = "768m";
    private static DistributionProcess server;

    @BeforeClass
    public static void startServer() throws Exception {
        server = DistributionProcess.start("e2e-home", List.of("width=" + WIDTH, "height=" + HEIGHT, "fps=" + FPS,
                "source=test-pattern", "encoder=libx264", "transport=webrtc"), TOKEN, SERVER_HEAP);
        server.awaitLog("Framewire is streaming", 60_000);
        server.awaitLog("First BGRA frame ready: " + WIDTH + "x" + HEIGHT, 30_000);
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static ChromeDevTools browser(int width, int height) throws Exception {
        return Browsers.launch(width, height);
    }

    private static void openAndAwaitVideo(ChromeDevTools chrome) throws Exception {
        Browsers.openAndAwaitVideo(chrome, server);
    }

    @Test
    public void theBrowserDecodesTheTestPatternAtTheConfiguredSize() throws Exception {
        try (ChromeDevTools chrome = browser(1280, 720)) {
            openAndAwaitVideo(chrome);
            assertEquals(WIDTH, ((Number) chrome.evaluate("framewire.video.videoWidth")).intValue());
            assertEquals(HEIGHT, ((Number) chrome.evaluate("framewire.video.videoHeight")).intValue());

            int before = ((Number) chrome.evaluate("framewire.stats().framesDecoded")).intValue();
            Thread.sleep(2000);
            int after = ((Number) chrome.evaluate("framewire.stats().framesDecoded")).intValue();
            assertTrue("framesDecoded keeps rising: " + before + " -> " + after, after - before >= FPS);
            System.out.println("e2e client stats: " + chrome.evaluate("JSON.stringify(framewire.stats())"));

            // The viewport has the stream's aspect ratio: the video fills it, bars across the top 3/4.
            List<String> mismatches = Browsers.barMismatches(chrome);
            assertTrue("screenshot shows the colour bars: " + mismatches, mismatches.isEmpty());
        }
    }

    /** /metrics, read by the Prometheus project's own parser while a browser watches. */
    @Test
    public void metricsParseAsPrometheusTextAndCountTheWatchingPeer() throws Exception {
        Optional<String> noParser = PrometheusParser.unavailable();
        Assume.assumeTrue(noParser.orElse(""), noParser.isEmpty());
        try (ChromeDevTools chrome = browser(640, 360)) {
            openAndAwaitVideo(chrome);
            Thread.sleep(1000);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(r.body(), 200, r.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
            List<PrometheusParser.Sample> samples = PrometheusParser.parse(r.body());
            assertTrue(r.body(), PrometheusParser.value(samples, "framewire_peers", Map.of()) >= 1);
            double bytes = samples.stream().filter(s -> s.name().equals("framewire_peer_sent_bytes_total"))
                    .mapToDouble(PrometheusParser.Sample::value).sum();
            assertTrue("bytes sent to the peers: " + bytes + "\n" + r.body(), bytes > 50_000);
            assertTrue(r.body(), PrometheusParser.value(samples, "framewire_frames_sent_total", Map.of()) > FPS);
            assertTrue(r.body(), samples.stream().anyMatch(s -> s.name().equals("framewire_stream_info")
                    && "H264".equals(s.labels().get("codec")) && "libx264".equals(s.labels().get("encoder"))
                    && "READY".equals(s.labels().get("status"))));
        }
    }

    @Test
    public void framesKeepComingThroughATenSecondStageLoad() throws Exception {
        try (ChromeDevTools chrome = browser(1280, 720)) {
            openAndAwaitVideo(chrome);
            // Record every presented frame (requestVideoFrameCallback) and every stage message, then load.
            Object result = chrome.evaluate("new Promise((resolve) => {"
                    + " const v = framewire.video; const times = []; const stage = []; let done = false;"
                    + " const onFrame = (now) => { times.push(now); if (!done) v.requestVideoFrameCallback(onFrame); };"
                    + " v.requestVideoFrameCallback(onFrame);"
                    + " framewire.onStage((m) => { stage.push(m.type + ':' + (m.progress === undefined ? '' : m.progress));"
                    + "   if (m.type === 'stage.loaded' || m.type === 'stage.failed') {"
                    + "     setTimeout(() => { done = true; let gap = 0; for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i-1]);"
                    + "       resolve({maxGap: gap, frames: times.length, spanMs: times[times.length-1] - times[0], stage}); }, 500); } });"
                    + " framewire.loadStage('scene:demo?delayMillis=10000');"
                    + " setTimeout(() => resolve({error: 'no stage.loaded within 25 s', stage}), 25000); })");
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) result;
            assertTrue("stage load finished: " + r, !r.containsKey("error"));
            @SuppressWarnings("unchecked")
            List<String> stage = (List<String>) r.get("stage");
            assertTrue("loaded, not failed: " + stage, stage.stream().anyMatch(s -> s.startsWith("stage.loaded")));
            long progress = stage.stream().filter(s -> s.startsWith("stage.progress")).count();
            assertTrue("progress messages during the load: " + stage, progress >= 10);
            double spanMs = ((Number) r.get("spanMs")).doubleValue();
            assertTrue("frames over the whole load: " + r, spanMs >= 10_000);
            double interval = 1000.0 / FPS;
            double allowed = 2 * interval + 100; // two frame intervals + jitter margin (headless, 2 cores, 1080p)
            double maxGap = ((Number) r.get("maxGap")).doubleValue();
            System.out.printf("e2e stage load: %s frames presented over %.0f ms, largest gap %.1f ms (allowed %.1f), %d progress messages%n",
                    r.get("frames"), spanMs, maxGap, allowed, progress);
            assertTrue("largest gap between presented frames " + maxGap + " ms must be <= " + allowed + " ms: " + r,
                    maxGap <= allowed);
        }
    }

    @Test
    public void aClickInAWindowOfAnotherAspectRatioArrivesAtTheRightStreamPixel() throws Exception {
        try (ChromeDevTools chrome = browser(1000, 1000)) {
            openAndAwaitVideo(chrome);
            // 1920x1080 in 1000x1000 with object-fit: contain: scale 1000/1920, 218.75 px bars above and below.
            double scale = 1000.0 / WIDTH;
            double top = (1000 - HEIGHT * scale) / 2;
            int[][] targets = {{960, 540}, {480, 270}, {1700, 1000}};
            for (int[] t : targets) {
                chrome.click((t[0] + 0.5) * scale, top + (t[1] + 0.5) * scale);
            }
            chrome.click(500, 100); // on the letterbox bar: dropped
            for (int[] t : targets) {
                // the mapping floors to the pixel under the pointer; allow for sub-pixel rounding in the browser
                server.awaitLogMatching("pointer down button 0 at stream \\((\\d+), (\\d+)\\)", 10_000, m ->
                        Math.abs(Integer.parseInt(m.group(1)) - t[0]) <= 1 && Math.abs(Integer.parseInt(m.group(2)) - t[1]) <= 1,
                        "a click mapped to stream pixel " + t[0] + "," + t[1]);
            }
            long downs = Files.readAllLines(server.log()).stream().filter(l -> l.contains("pointer down button 0 at stream")).count();
            assertEquals("the click on the bar is dropped (3 clicks on the picture)", 3, downs);
        }
    }

    @Test
    public void twentyReconnectsLeaveTheServerStreamingWithoutGrowth() throws Exception {
        long pid = server.pid();
        try (ChromeDevTools chrome = browser(640, 360)) {
            openAndAwaitVideo(chrome);
            chrome.navigate("about:blank");
            Thread.sleep(1500);
            collectGarbage(pid);
            int threadsBefore = threads(pid);
            long rssBefore = rssKiB(pid);
            for (int i = 0; i < 20; i++) {
                openAndAwaitVideo(chrome);
                chrome.navigate("about:blank"); // the page goes: its WebSocket and peer connection close
            }
            Thread.sleep(2000); // disconnects settle
            collectGarbage(pid); // native memory owned by unreachable objects (Cleaners) is released
            int threadsAfter = threads(pid);
            long rssAfter = rssKiB(pid);
            System.out.printf("e2e 20 reconnects: threads %d -> %d, RSS %d -> %d MiB%n", threadsBefore, threadsAfter,
                    rssBefore / 1024, rssAfter / 1024);
            assertTrue("threads " + threadsBefore + " -> " + threadsAfter, threadsAfter <= threadsBefore + 2);
            long liveTransports = liveInstances(pid, "io.framewire.plugin.webrtc.WebRtcTransport");
            assertTrue("the histogram is read (the one transport is live): " + liveTransports,
                    liveTransports == 1 || liveTransports == -1);
            long livePeers = liveInstances(pid, "io.framewire.plugin.webrtc.MediaPeer");
            System.out.printf("e2e 20 reconnects: live MediaPeer instances after a full GC: %d%n", livePeers);
            assertTrue("every closed browser session is collected: " + livePeers + " MediaPeer live", livePeers <= 0);
            assertTrue("resident memory " + rssBefore / 1024 + " MiB -> " + rssAfter / 1024 + " MiB",
                    rssAfter - rssBefore < 96 * 1024);
        }
        String health = server.health();
        assertTrue("still streaming: " + health, health.contains("\"READY\""));
    }

    /** A full GC in the server (jcmd GC.run), then time for Cleaners to free what it found. */
    private static void collectGarbage(long pid) throws IOException, InterruptedException {
        Path jcmd = jcmd();
        if (Files.isExecutable(jcmd)) {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue("jcmd GC.run finished", gc.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        } else {
            System.out.println("e2e: no jcmd in " + jcmd.getParent() + ", resident memory measured without a GC");
        }
        Thread.sleep(1000);
    }

    /**
     * Live instances of a class in the server (jcmd GC.class_histogram, which collects first);
     * -1 where the JDK has no jcmd.
     */
    private static long liveInstances(long pid, String className) throws IOException, InterruptedException {
        Path jcmd = jcmd();
        if (!Files.isExecutable(jcmd)) {
            System.out.println("e2e: no jcmd in " + jcmd.getParent() + ", live instances not counted");
            return -1;
        }
        Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(histogram.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue("jcmd GC.class_histogram finished", histogram.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        // rows: "  num:  #instances  #bytes  class name (module)"
        return out.lines().map(String::trim).map(line -> line.split("\\s+"))
                .filter(cols -> cols.length >= 4 && cols[3].equals(className))
                .mapToLong(cols -> Long.parseLong(cols[1])).sum();
    }

    /** The jcmd of the JDK running the tests (the server runs on the same one). */
    private static Path jcmd() {
        return Paths.get(System.getProperty("java.home"), "bin", "jcmd");
    }

    private static int threads(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Paths.get("/proc/" + pid + "/task"))) {
            return (int) tasks.count();
        }
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }
}
