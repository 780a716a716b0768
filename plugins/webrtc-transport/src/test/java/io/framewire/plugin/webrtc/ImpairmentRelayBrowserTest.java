package io.framewire.plugin.webrtc;

import io.framewire.api.Codec;
import io.framewire.api.StreamDescription;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.testing.ChromeDevTools;
import io.framewire.testing.net.LinkProfile;
import io.framewire.testing.net.LinkStats;
import io.framewire.testing.net.UdpImpairmentRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The browser reaches the transport through the impairment relay of the testing module: the
 * transport binds 127.0.0.1 and announces {@code mediaAddresses=127.0.0.2}, the relay mirrors the
 * transport's media ports on 127.0.0.2, and every datagram (ICE checks, DTLS, SRTP, RTCP) passes
 * through it. Shown by the SDP answer, the selected candidate pair, the relay's counters, and by
 * cutting the link: while the relay drops everything towards the browser, no frame is decoded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImpairmentRelayBrowserTest {
    private static final String RELAY_IP = "127.0.0.2";
    private static final String CAPTURE_PC = "(() => { const O = window.RTCPeerConnection; window.__pcs = [];"
            + " window.RTCPeerConnection = class extends O { constructor(...a) { super(...a); window.__pcs.push(this); } }; })();";
    private static final String REMOTE_OF_SELECTED_PAIR = "(async () => { const pc = window.__pcs[0];"
            + " const r = await pc.getStats(); let t = null; const byId = {};"
            + " r.forEach((s) => { byId[s.id] = s; if (s.type === 'transport') t = s; });"
            + " const pair = t && byId[t.selectedCandidatePairId]; const remote = pair && byId[pair.remoteCandidateId];"
            + " return remote ? remote.address + ':' + remote.port : null; })()";
    /** Straight from getStats (the client's own stats() is refreshed only once a second). */
    private static final String FRAMES_DECODED = "(async () => { const pc = window.__pcs && window.__pcs[0]; if (!pc) return 0;"
            + " const r = await pc.getStats(); let n = 0;"
            + " r.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') n = s.framesDecoded || 0; }); return n; })()";

    private final FakeTransportContext context =
            new FakeTransportContext(new StreamDescription(Codec.H264, 320, 240, 30, VideoInput.H264));
    private WebRtcTransport transport;
    private UdpImpairmentRelay relay;
    private ChromeDevTools chrome;
    private volatile boolean feeding = true;
    private Thread feeder;

    @BeforeAll
    static void needsChromium() {
        Assumptions.assumeTrue(ChromeDevTools.findChromium() != null,
                "Chromium is needed for the browser tests (apt-get install chromium; .ci/run does it)");
    }

    @AfterEach
    void tearDown() throws Exception {
        feeding = false;
        if (feeder != null) {
            feeder.join(2000);
        }
        if (chrome != null) {
            chrome.close();
        }
        if (transport != null) {
            transport.stop();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void theBrowserPlaysThroughTheRelayAnnouncedByMediaAddresses() throws Exception {
        play(LinkProfile.CLEAN, announcing(RELAY_IP));
        awaitFramesDecoded(30, 30_000);

        String answer = (String) chrome.evaluate("window.__pcs[0].remoteDescription.sdp");
        assertTrue(answer.contains(" udp ") && answer.contains(" " + RELAY_IP + " ") && !answer.contains(" 127.0.0.1 "),
                "the answer's host candidate is the relay's address only:\n" + answer);
        String selected = (String) chrome.evaluate(REMOTE_OF_SELECTED_PAIR);
        assertTrue(selected != null && selected.startsWith(RELAY_IP + ":"), "the browser's selected remote: " + selected);
        int port = Integer.parseInt(selected.substring(selected.indexOf(':') + 1));
        assertTrue(relay.listeningPorts().contains(port), "the relay mirrors port " + port + ": " + relay.listeningPorts());
        LinkStats down = relay.totalToClient();
        LinkStats up = relay.totalToServer();
        assertTrue(down.packetsForwarded() > 30, "media through the relay: " + down);
        assertTrue(up.packetsForwarded() > 3, "ICE checks, DTLS and RTCP through the relay: " + up);

        // cut the link towards the browser: nothing is decoded any more
        relay.setToClient(LinkProfile.CLEAN.withLossPercent(100));
        Thread.sleep(1000); // what was already on its way or in the browser's jitter buffer
        double frozenAt = number(chrome.evaluate(FRAMES_DECODED));
        Thread.sleep(2000);
        assertEquals(frozenAt, number(chrome.evaluate(FRAMES_DECODED)), "no frames while the relay drops everything");
        assertTrue(relay.totalToClient().packetsLost() > 20, relay.totalToClient().toString());

        // and back: the stream has a key frame every 10 frames, so the picture comes back
        relay.setToClient(LinkProfile.CLEAN);
        awaitFramesDecoded(frozenAt + 30, 20_000);
    }

    @Test
    void congestionControlFollowsANarrowLinkAndTellsTheEncoderAndTheOverlay() throws Exception {
        // the looped test stream sends about 0.3 Mbit/s: a 120 kbit/s link towards the browser is congested
        play(LinkProfile.CLEAN.withRateKbps(120).withQueueMillis(300),
                WebRtcTransport.settings(Map.of("accessToken", "", "bindAddress", "127.0.0.1", "httpPort", 0,
                        "mediaAddresses", new String[]{RELAY_IP}, "minBitrateKbps", 50, "startBitrateKbps", 1000)));
        awaitFramesDecoded(5, 30_000);
        String answer = (String) chrome.evaluate("window.__pcs[0].remoteDescription.sdp");
        assertTrue(answer.contains("transport-wide-cc") && answer.contains("a=ssrc-group:FID "),
                "transport-cc and RTX negotiated:\n" + answer);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long estimate = -1;
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            List<io.framewire.api.spi.PeerStats> stats = transport.peerStats();
            estimate = stats.isEmpty() ? -1 : stats.get(0).estimatedBitrateBps();
            if (estimate > 0 && estimate < 400_000) {
                break;
            }
        }
        assertTrue(estimate > 0 && estimate < 400_000,
                "from a 1 Mbit/s start the estimate falls below 400 kbit/s on a 120 kbit/s link: " + estimate
                        + "; peer stats " + transport.peerStats() + "; relay " + relay.totalToClient());
        assertTrue(!context.networkBitrates.isEmpty() && context.networkBitrates.get(context.networkBitrates.size() - 1) < 400,
                "the encoder was told the lower rate: " + context.networkBitrates);
        Thread.sleep(1500); // a 'network' message a second
        Object overlay = chrome.evaluate("(() => { const n = framewire.stats().network;"
                + " return n ? n.estimateKbps + ' ' + document.getElementById('fw-network').textContent : null; })()");
        assertTrue(overlay instanceof String && !((String) overlay).startsWith("null") && !((String) overlay).endsWith("-"),
                "the web client shows the server's network figures: " + overlay);
    }

    /**
     * Starts the relay (clean towards the server, {@code toClient} towards the browser), the
     * transport on {@code settings}, the looped test stream, and Chromium on the web client.
     */
    private void play(LinkProfile toClient, WebRtcSettings settings) throws Exception {
        relay = new UdpImpairmentRelay(InetAddress.getByName(RELAY_IP), InetAddress.getByName("127.0.0.1"),
                LinkProfile.CLEAN, toClient);
        relay.followServerPorts(ProcessHandle.current().pid(), 20);
        transport = new WebRtcTransport(settings);
        transport.start(context);
        feed(BrowserAccessTest.accessUnits("/h264/testsrc-320x240.h264"));
        chrome = ChromeDevTools.launch(ChromeDevTools.findChromium(), 640, 480);
        chrome.addScriptOnNewDocument(CAPTURE_PC);
        chrome.navigate("http://127.0.0.1:" + transport.port() + "/?token=" + transport.accessToken());
    }

    private void awaitFramesDecoded(double atLeast, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        double n = 0;
        while (System.nanoTime() < deadline) {
            n = number(chrome.evaluate(FRAMES_DECODED));
            if (n >= atLeast) {
                return;
            }
            Thread.sleep(100);
        }
        fail("only " + n + " frames decoded (wanted " + atLeast + "); client state " + chrome.evaluate("framewire.state")
                + "; relay to browser " + relay.totalToClient() + ", to server " + relay.totalToServer() + ", errors " + relay.errors());
    }

    private static double number(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : 0;
    }

    /** The default settings on 127.0.0.1 (any free HTTP port), announcing {@code mediaAddress} as the host candidate. */
    private static WebRtcSettings announcing(String mediaAddress) {
        WebRtcSettings defaults = WebRtcTransport.defaultSettings("", "127.0.0.1", 0);
        return (WebRtcSettings) Proxy.newProxyInstance(WebRtcSettings.class.getClassLoader(), new Class<?>[]{WebRtcSettings.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("mediaAddresses")) {
                        return new String[]{mediaAddress};
                    }
                    try {
                        return method.invoke(defaults, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Sends the access units to the transport at 30 fps, in a loop, on a daemon thread. */
    private void feed(List<byte[]> units) {
        feeder = new Thread(() -> {
            long interval = TimeUnit.SECONDS.toNanos(1) / 30;
            long due = System.nanoTime();
            for (long n = 0; feeding; n++) {
                due += interval;
                LockSupport.parkNanos(due - System.nanoTime());
                byte[] au = units.get((int) (n % units.size()));
                transport.send(new EncodedFrame(Codec.H264, ByteBuffer.wrap(au), n, System.nanoTime() / 1000,
                        BrowserAccessTest.isKey(au), false));
            }
        }, "relay-test-feeder");
        feeder.setDaemon(true);
        feeder.start();
    }
}
