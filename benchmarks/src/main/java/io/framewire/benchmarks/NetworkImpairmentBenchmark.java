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

import java.net.InetAddress;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Streaming through impaired links (see README.md and docs/network-harness.md): an embedded
 * {@link StreamSession} (the test pattern's {@link PatternContent#NOISE noise} content, 1080p30,
 * libx264 with a target of 8000 kbit/s, WebRTC on 127.0.0.1 announcing {@code mediaAddresses=127.0.0.2}),
 * a {@link UdpImpairmentRelay} on 127.0.0.2 mirroring the server's media ports, and headless Chromium
 * playing the stream with the shipped web client.
 *
 * <p>One run measures every scenario in each of the {@link Mode modes} it is given, so that the
 * congestion controller (issue 11) and the fixed bitrate of before are compared under the same load: for
 * each mode a fresh session and WebRTC transport ({@code congestionControl=false} for {@code fixed},
 * {@code true} for {@code cc}; the relay, which follows the JVM's UDP ports, and Chromium stay). For
 * each {@link NetworkScenario} it loads the page afresh (a new peer), reads the page's
 * {@code getStats()}, the server's per-peer counters and gauges (in cc mode its estimate and pacer
 * queue) and the relay's counters once a second, prints a line per second and a summary; at the
 * end all results side by side ({@code <scenario> <mode>}), then the goals with the measured
 * values, MET or NOT MET, for the cc results and, for comparison, the fixed ones.
 *
 * <pre>
 * java -cp ... io.framewire.benchmarks.NetworkImpairmentBenchmark [cleanSeconds=30] [impairedSeconds=30] [stepPhaseSeconds=10] [modes=fixed,cc]
 * </pre>
 * A duration of 0 leaves that scenario out; {@code modes} is {@code fixed,cc}, {@code cc} or
 * {@code fixed} (in that order of runs).
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

    /** How the server sends: the WebRTC transport's {@code congestionControl} setting. */
    enum Mode {
        /** {@code congestionControl=false}: the fixed bitrate of before issue 11. */
        FIXED("fixed", false),
        /** {@code congestionControl=true}: the congestion controller (the transport's default). */
        CC("cc", true);

        final String label;
        final boolean congestionControl;

        Mode(String label, boolean congestionControl) {
            this.label = label;
            this.congestionControl = congestionControl;
        }

        /** @return the modes of a comma-separated list of labels, in its order, each once */
        static List<Mode> parse(String list) {
            List<Mode> modes = new ArrayList<>();
            for (String part : list.split(",")) {
                String label = part.trim();
                Mode mode = Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("mode '" + label + "': fixed or cc"));
                if (!modes.contains(mode)) {
                    modes.add(mode);
                }
            }
            return modes;
        }
    }

    public static void main(String[] args) throws Exception {
        int clean = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int impaired = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int phase = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        List<Mode> modes = Mode.parse(args.length > 3 ? args[3] : "fixed,cc");
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
        System.out.printf(Locale.ROOT, "NetworkImpairmentBenchmark: test pattern content=noise %dx%d @%d fps, libx264 target %d kbit/s,"
                        + " WebRTC on %s announcing %s (the relay), modes %s, %d CPUs, load average %s%n", W, H, FPS, KBPS, SERVER_IP,
                RELAY_IP, modes.stream().map(m -> m.label).toList(), Runtime.getRuntime().availableProcessors(),
                SyntheticFrames.loadAverage());

        ServerConfig config = ServerConfig.builder().width(W).height(H).fps(FPS).bitrateKbps(KBPS).build();
        List<ScenarioResult> results = new ArrayList<>();
        try (UdpImpairmentRelay relay = new UdpImpairmentRelay(InetAddress.getByName(RELAY_IP),
                InetAddress.getByName(SERVER_IP), LinkProfile.CLEAN, LinkProfile.CLEAN);
             ChromeDevTools chrome = ChromeDevTools.launch(chromium, 1280, 720)) {
            // the JVM's own ports: each mode's transport binds new ones, which the relay mirrors as they appear
            relay.followServerPorts(ProcessHandle.current().pid(), 20);
            chrome.setViewport(1280, 720);
            chrome.addScriptOnNewDocument(LinkSample.CAPTURE_PC);
            for (Mode mode : modes) {
                WebRtcTransport webrtc = new WebRtcTransport(relayedSettings(TOKEN, SERVER_IP, RELAY_IP, mode.congestionControl));
                StreamSession session = StreamSession.builder(config)
                        .source("test-pattern", new TestPatternSource(new SceneHolder(), PatternContent.NOISE))
                        .encoder("libx264", new Libx264EncoderFactory())
                        .transport("webrtc", webrtc)
                        .start();
                try {
                    String url = "http://" + SERVER_IP + ":" + webrtc.port() + "/?token=" + TOKEN + "&overlay=0";
                    System.out.println();
                    System.out.printf(Locale.ROOT, "=== mode %s: a new session, WebRTC congestionControl=%b, HTTP port %d%n", mode.label,
                            mode.congestionControl, webrtc.port());
                    for (NetworkScenario scenario : scenarios) {
                        chrome.navigate("about:blank"); // the previous peer goes away
                        Thread.sleep(1500);
                        results.add(run(scenario, mode, url, chrome, relay, webrtc));
                    }
                } finally {
                    chrome.navigate("about:blank");
                    session.close();
                }
            }
            if (!relay.errors().isEmpty()) {
                System.out.println("relay errors: " + relay.errors());
            }
        }
        printSideBySide(results);
        printGoals(results);
        System.out.printf("load average at the end: %s%n", SyntheticFrames.loadAverage());
    }

    private static ScenarioResult run(NetworkScenario scenario, Mode mode, String url, ChromeDevTools chrome, UdpImpairmentRelay relay,
                                      WebRtcTransport webrtc) throws Exception {
        NetworkScenario.Step first = scenario.steps().get(0);
        relay.setToClient(first.toClient());
        relay.setToServer(first.toServer());
        LinkStats toClient0 = relay.totalToClient();
        LinkStats toServer0 = relay.totalToServer();
        PeerStats server0 = LinkSample.sum(webrtc.peerStats());
        relay.resetPeaks();
        System.out.println();
        System.out.printf("== scenario %s, mode %s, %d s: to browser: %s; to server: %s%n", scenario.name(), mode.label, scenario.seconds(),
                first.toClient(), first.toServer());
        for (NetworkScenario.Step s : scenario.steps().subList(1, scenario.steps().size())) {
            System.out.printf("   at %d s: to browser: %s%n", s.atSecond(), s.toClient());
        }
        System.out.println("    t  link kbit/s | server: bytesSent kbit/s, retx/s | relay to browser: in (= sent) kbit/s, forwarded kbit/s,"
                + " queue drops/s, lost/s, longest queue wait ms | browser: received kbit/s, fps, freezes, playout ms, rtt ms, PLIs"
                + " | server (cc): estimate kbit/s, pacer queue ms | frames/s: server sent, browser dropped");
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
                // the wall clock of the step, to line up with the server's timestamped debug log
                System.out.printf("   %s: link to the browser now %d kbit/s%n", LocalTime.now(),
                        step.toClient().rateKbps());
            }
            LinkSample s = sample((now - t0) / 1e9, chrome, relay, webrtc, toClient0, toServer0, server0);
            relay.resetPeaks(); // the queue peaks of the next sample are those of its own second
            printSecond(scenario, t, samples.get(samples.size() - 1), s);
            samples.add(s);
        }
        ScenarioResult result = ScenarioResult.of(scenario, mode.label, samples, SETTLE_SECONDS);
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
                server.roundTripMicros(), server.estimatedBitrateBps(), server.sendBitrateBps(), server.pacerQueueMillis(),
                server.fractionLost());
        return new LinkSample(seconds, JSON.std.mapFrom(json == null ? "{}" : json), sent, toClient, toServer);
    }

    private static void printSecond(NetworkScenario scenario, int t, LinkSample a, LinkSample b) {
        double dt = b.seconds() - a.seconds();
        int rate = scenario.stepAt(t).toClient().rateKbps();
        double playout = b.browserSince(a, "jitterBufferEmittedCount") > 0
                ? 1000 * b.browserSince(a, "jitterBufferDelay") / b.browserSince(a, "jitterBufferEmittedCount") : Double.NaN;
        System.out.printf(Locale.ROOT, "  %3d  %5s       | %6.0f, %5.0f                | %6.0f, %6.0f, %5.0f, %4.0f, %6.1f"
                        + "             | %6.0f, %4.1f, %3.0f, %6.1f, %5.1f, %3.0f | %6s, %5s | %4.1f, %4.1f%n",
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
                Math.max(0, b.browser("pliCount")),
                Double.isNaN(b.estimateKbps()) ? "-" : String.format(Locale.ROOT, "%.0f", b.estimateKbps()),
                Double.isNaN(b.pacerQueueMillis()) ? "-" : String.format(Locale.ROOT, "%.0f", b.pacerQueueMillis()),
                (b.serverSent().framesSent() - a.serverSent().framesSent()) / dt,
                b.browserSince(a, "framesDropped") / dt);
    }

    private static void printSideBySide(List<ScenarioResult> results) {
        if (results.isEmpty()) {
            return;
        }
        // each scenario's modes next to each other, in the order of the runs
        List<ScenarioResult> ordered = new ArrayList<>();
        for (ScenarioResult r : results) {
            if (!ordered.contains(r)) {
                for (ScenarioResult same : results) {
                    if (same.scenario().name().equals(r.scenario().name())) {
                        ordered.add(same);
                    }
                }
            }
        }
        int width = 16;
        for (ScenarioResult r : ordered) {
            width = Math.max(width, r.name().length());
            for (String row : ScenarioResult.ROWS) {
                width = Math.max(width, r.cell(row).length());
            }
        }
        String column = "%" + (width + 2) + "s";
        System.out.println();
        System.out.println("side by side (fixed: congestionControl=false, the bitrate of before issue 11; cc: congestionControl=true;"
                + " figures from second " + SETTLE_SECONDS + " to the end unless marked 'whole run'):");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-44s", ""));
        for (ScenarioResult r : ordered) {
            head.append(String.format(Locale.ROOT, column, r.name()));
        }
        System.out.println(head);
        for (String row : ScenarioResult.ROWS) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-44s", row));
            for (ScenarioResult r : ordered) {
                line.append(String.format(Locale.ROOT, column, r.cell(row)));
            }
            System.out.println(line);
        }
    }

    /** The goals of issue 11 per result: the cc results first, then the fixed ones for comparison. */
    private static void printGoals(List<ScenarioResult> results) {
        List<ScenarioResult> ordered = new ArrayList<>();
        for (Mode mode : List.of(Mode.CC, Mode.FIXED)) {
            for (ScenarioResult r : results) {
                if (r.mode().equals(mode.label)) {
                    ordered.add(r);
                }
            }
        }
        if (ordered.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("goals of issue 11 (cc, then fixed for comparison; 3M-40ms-1% and clean from second " + SETTLE_SECONDS
                + " (less in runs shorter than that), 8-1.5-8M from its steps):");
        for (ScenarioResult r : ordered) {
            List<ScenarioResult.Goal> goals = r.goals();
            if (goals.isEmpty()) {
                continue;
            }
            List<NetworkScenario.Step> steps = r.scenario().steps();
            System.out.printf(Locale.ROOT, "  %s (%s):%n", r.name(), steps.size() > 1
                    ? "steps at " + steps.subList(1, steps.size()).stream().map(st -> st.atSecond() + " s").toList()
                    : "from second " + r.from());
            for (ScenarioResult.Goal g : goals) {
                System.out.printf(Locale.ROOT, "    %-58s %-52s %s%n", g.goal(), g.measured(), g.verdict().label);
            }
        }
    }

    /**
     * The default WebRTC settings on {@code bind} with an HTTP port picked by the system, announcing
     * {@code media}, with or without congestion control.
     */
    static WebRtcSettings relayedSettings(String token, String bind, String media, boolean congestionControl) {
        return WebRtcTransport.settings(Map.of("accessToken", token, "bindAddress", bind, "httpPort", 0,
                "mediaAddresses", new String[]{media}, "congestionControl", congestionControl));
    }
}
