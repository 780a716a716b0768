package io.framewire.benchmarks;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.ServerConfig;
import io.framewire.api.spi.PeerStats;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.plugin.testpattern.PatternContent;
import io.framewire.plugin.testpattern.SceneHolder;
import io.framewire.plugin.testpattern.TestPatternSource;
import io.framewire.plugin.webrtc.WebRtcSettings;
import io.framewire.plugin.webrtc.WebRtcTransport;
import io.framewire.runtime.StreamSession;
import io.framewire.testing.ChromeDevTools;
import io.framewire.testing.net.LinkProfile;
import io.framewire.testing.net.LinkStats;
import io.framewire.testing.net.UdpImpairmentRelay;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Streaming through impaired links (see README.md and docs/network-harness.md): an embedded
 * {@link StreamSession} (the test pattern's {@link PatternContent#NOISE noise} content, 1080p30,
 * libx264 at 8000 kbit/s, WebRTC on 127.0.0.1 announcing {@code mediaAddresses=127.0.0.2}), a
 * {@link UdpImpairmentRelay} on 127.0.0.2 mirroring the server's media ports, and headless Chromium
 * playing the stream with the shipped web client. For each {@link NetworkScenario} it loads the
 * page afresh (a new peer), reads the page's {@code getStats()}, the server's per-peer counters and
 * the relay's counters once a second, prints a line per second and a summary, and at the end the
 * scenarios side by side.
 *
 * <p>Today's server sends at a fixed bitrate: these figures are the baseline a congestion
 * controller will be compared with.
 *
 * <pre>
 * java -cp ... io.framewire.benchmarks.NetworkImpairmentBenchmark [cleanSeconds=30] [impairedSeconds=30] [stepPhaseSeconds=10]
 * </pre>
 * A duration of 0 leaves that scenario out.
 */
public final class NetworkImpairmentBenchmark {
    private static final int W = 1920;
    private static final int H = 1080;
    private static final int FPS = 30;
    private static final int KBPS = 8000;
    private static final String TOKEN = "network-impairment-benchmark-token-0123";
    private static final String SERVER_IP = "127.0.0.1";
    private static final String RELAY_IP = "127.0.0.2";
    /** Figures "after 10 s" leave out the connection's start. */
    private static final int SETTLE_SECONDS = 10;

    private NetworkImpairmentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clean = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int impaired = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int phase = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        List<NetworkScenario> scenarios = new ArrayList<>();
        if (clean > 0) {
            scenarios.add(NetworkScenario.clean(clean));
        }
        if (impaired > 0) {
            scenarios.add(NetworkScenario.bottleneck(impaired));
        }
        if (phase > 0) {
            scenarios.add(NetworkScenario.steps(phase));
        }
        String chromium = ChromeDevTools.findChromium();
        if (chromium == null) {
            throw new IllegalStateException("Chromium is needed (apt-get install chromium)");
        }
        System.out.printf(Locale.ROOT, "NetworkImpairmentBenchmark: test pattern content=noise %dx%d @%d fps, libx264 %d kbit/s (fixed),"
                        + " WebRTC on %s announcing %s (the relay), %d CPUs, load average %s%n", W, H, FPS, KBPS, SERVER_IP, RELAY_IP,
                Runtime.getRuntime().availableProcessors(), SyntheticFrames.loadAverage());

        ServerConfig config = ServerConfig.builder().width(W).height(H).fps(FPS).bitrateKbps(KBPS).build();
        WebRtcTransport webrtc = new WebRtcTransport(relayedSettings(TOKEN, SERVER_IP, RELAY_IP));
        StreamSession session = StreamSession.builder(config)
                .source("test-pattern", new TestPatternSource(new SceneHolder(), PatternContent.NOISE))
                .encoder("libx264", new Libx264EncoderFactory())
                .transport("webrtc", webrtc)
                .start();
        List<ScenarioResult> results = new ArrayList<>();
        try (UdpImpairmentRelay relay = new UdpImpairmentRelay(InetAddress.getByName(RELAY_IP),
                InetAddress.getByName(SERVER_IP), LinkProfile.CLEAN, LinkProfile.CLEAN);
             ChromeDevTools chrome = ChromeDevTools.launch(chromium, 1280, 720)) {
            relay.followServerPorts(ProcessHandle.current().pid(), 20);
            chrome.setViewport(1280, 720);
            chrome.addScriptOnNewDocument(LinkSample.CAPTURE_PC);
            String url = "http://" + SERVER_IP + ":" + webrtc.port() + "/?token=" + TOKEN + "&overlay=0";
            for (NetworkScenario scenario : scenarios) {
                chrome.navigate("about:blank"); // the previous peer goes away
                Thread.sleep(1500);
                results.add(run(scenario, url, chrome, relay, webrtc));
            }
            if (!relay.errors().isEmpty()) {
                System.out.println("relay errors: " + relay.errors());
            }
        } finally {
            session.close();
        }
        printSideBySide(results);
        System.out.printf("load average at the end: %s%n", SyntheticFrames.loadAverage());
    }

    private static ScenarioResult run(NetworkScenario scenario, String url, ChromeDevTools chrome, UdpImpairmentRelay relay,
                                      WebRtcTransport webrtc) throws Exception {
        NetworkScenario.Step first = scenario.steps().get(0);
        relay.setToClient(first.toClient());
        relay.setToServer(first.toServer());
        LinkStats toClient0 = relay.totalToClient();
        LinkStats toServer0 = relay.totalToServer();
        PeerStats server0 = LinkSample.sum(webrtc.peerStats());
        relay.resetPeaks();
        System.out.println();
        System.out.printf("== scenario %s, %d s: to browser: %s; to server: %s%n", scenario.name(), scenario.seconds(),
                first.toClient(), first.toServer());
        for (NetworkScenario.Step s : scenario.steps().subList(1, scenario.steps().size())) {
            System.out.printf("   at %d s: to browser: %s%n", s.atSecond(), s.toClient());
        }
        System.out.println("    t  link kbit/s | server: first sends kbit/s, retx/s | relay to browser: in (= sent) kbit/s, forwarded kbit/s,"
                + " queue drops/s, lost/s, longest queue wait ms | browser: received kbit/s, fps, freezes, playout ms, rtt ms, PLIs");
        long t0 = System.nanoTime();
        chrome.navigate(url);
        List<LinkSample> samples = new ArrayList<>();
        samples.add(sample(0, chrome, relay, webrtc, toClient0, toServer0, server0));
        for (int t = 1; t <= scenario.seconds(); t++) {
            long due = t0 + t * 1_000_000_000L;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            NetworkScenario.Step step = scenario.stepAt(t);
            if (step.atSecond() == t && t > 0) {
                relay.setToClient(step.toClient());
                relay.setToServer(step.toServer());
            }
            LinkSample s = sample((now - t0) / 1e9, chrome, relay, webrtc, toClient0, toServer0, server0);
            relay.resetPeaks(); // the queue peaks of the next sample are those of its own second
            printSecond(scenario, t, samples.get(samples.size() - 1), s);
            samples.add(s);
        }
        ScenarioResult result = ScenarioResult.of(scenario, samples, SETTLE_SECONDS);
        result.print();
        return result;
    }

    private static LinkSample sample(double seconds, ChromeDevTools chrome, UdpImpairmentRelay relay, WebRtcTransport webrtc,
                                     LinkStats toClient0, LinkStats toServer0, PeerStats server0) throws Exception {
        PeerStats server = LinkSample.sum(webrtc.peerStats());
        LinkStats toClient = relay.totalToClient().since(toClient0);
        LinkStats toServer = relay.totalToServer().since(toServer0);
        Object json = chrome.evaluate(LinkSample.BROWSER_STATS);
        PeerStats sent = new PeerStats("all", server.framesSent() - server0.framesSent(), server.bytesSent() - server0.bytesSent(),
                server.packetsSent() - server0.packetsSent(), server.retransmissions() - server0.retransmissions(),
                server.nacksReceived() - server0.nacksReceived(), server.keyframeRequests() - server0.keyframeRequests(),
                server.roundTripMicros());
        return new LinkSample(seconds, JSON.std.mapFrom(json == null ? "{}" : json), sent, toClient, toServer);
    }

    private static void printSecond(NetworkScenario scenario, int t, LinkSample a, LinkSample b) {
        double dt = b.seconds() - a.seconds();
        int rate = scenario.stepAt(t).toClient().rateKbps();
        double playout = b.browserSince(a, "jitterBufferEmittedCount") > 0
                ? 1000 * b.browserSince(a, "jitterBufferDelay") / b.browserSince(a, "jitterBufferEmittedCount") : Double.NaN;
        System.out.printf(Locale.ROOT, "  %3d  %5s       | %6.0f, %5.0f                | %6.0f, %6.0f, %5.0f, %4.0f, %6.1f"
                        + "             | %6.0f, %4.1f, %3.0f, %6.1f, %5.1f, %3.0f%n",
                t, rate == 0 ? "-" : Integer.toString(rate),
                (b.serverSent().bytesSent() - a.serverSent().bytesSent()) * 8 / dt / 1000,
                (b.serverSent().retransmissions() - a.serverSent().retransmissions()) / dt,
                b.sentKbpsSince(a),
                (b.toClient().bytesForwarded() - a.toClient().bytesForwarded()) * 8 / dt / 1000,
                (b.toClient().packetsOverflowed() - a.toClient().packetsOverflowed()) / dt,
                (b.toClient().packetsLost() - a.toClient().packetsLost()) / dt,
                b.toClient().maxQueueDelayMillis(),
                b.browserSince(a, "bytesReceived") * 8 / dt / 1000,
                b.browserSince(a, "framesDecoded") / dt,
                Math.max(0, b.browser("freezeCount")),
                playout,
                b.browser("rtt") < 0 ? Double.NaN : b.browser("rtt") * 1000,
                Math.max(0, b.browser("pliCount")));
    }

    private static void printSideBySide(List<ScenarioResult> results) {
        if (results.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("side by side (fixed bitrate, today's server; figures from second " + SETTLE_SECONDS + " to the end"
                + " unless marked 'whole run'):");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-44s", ""));
        for (ScenarioResult r : results) {
            head.append(String.format(Locale.ROOT, "%16s", r.scenario().name()));
        }
        System.out.println(head);
        for (String row : ScenarioResult.ROWS) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-44s", row));
            for (ScenarioResult r : results) {
                line.append(String.format(Locale.ROOT, "%16s", r.cell(row)));
            }
            System.out.println(line);
        }
    }

    /** The default WebRTC settings on {@code bind} with an HTTP port picked by the system, announcing {@code media}. */
    static WebRtcSettings relayedSettings(String token, String bind, String media) {
        WebRtcSettings defaults = WebRtcTransport.defaultSettings(token, bind, 0);
        return (WebRtcSettings) Proxy.newProxyInstance(WebRtcSettings.class.getClassLoader(), new Class<?>[]{WebRtcSettings.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("mediaAddresses")) {
                        return new String[]{media};
                    }
                    try {
                        return method.invoke(defaults, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
