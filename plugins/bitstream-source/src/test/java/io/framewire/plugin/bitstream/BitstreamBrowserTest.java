package io.framewire.plugin.bitstream;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.plugin.webrtc.WebRtcTransport;
import io.framewire.runtime.StreamSession;
import io.framewire.testing.ChromeDevTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Pre-encoded streams pushed through a passthrough session to headless Chromium over WebRTC: the
 * browser decodes them and shows the source's picture, a late joiner starts at a key frame, and a
 * 10 s producer stall keeps the page connected with the picture on screen.
 */
class BitstreamBrowserTest {
    static final int W = 640;
    static final int H = 360;
    static final int FPS = 30;
    private static final String TOKEN = "bitstream-browser-test-token-0123";
    /** Records every RTCPeerConnection the page makes, for raw getStats(). */
    static final String CAPTURE_PC = "(() => { const O = window.RTCPeerConnection; window.__pcs = [];"
            + " window.RTCPeerConnection = class extends O { constructor(...a) { super(...a); window.__pcs.push(this); } }; })();";
    private static final String INBOUND = "(async () => { const pcs = window.__pcs || []; const pc = pcs[pcs.length - 1];"
            + " if (!pc) return '{}'; const r = await pc.getStats(); let o = {};"
            + " r.forEach((s) => { if (s.type === 'inbound-rtp' && (s.kind || s.mediaType) === 'video') o = s; });"
            + " o.connectionState = pc.connectionState; o.peerConnections = pcs.length; return JSON.stringify(o); })()";

    private StreamSession session;
    private Producer producer;
    private final List<ChromeDevTools> browsers = new ArrayList<>();

    @BeforeAll
    static void needsChromium() {
        Assumptions.assumeTrue(ChromeDevTools.findChromium() != null,
                "Chromium is needed for the browser tests (apt-get install chromium; .ci/run does it)");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ChromeDevTools b : browsers) {
            b.close();
        }
        if (producer != null) {
            producer.stop();
        }
        if (session != null) {
            session.close();
        }
    }

    /** Pushes pre-encoded units at the fps in a loop; answers key-frame requests by skipping to the next key frame. */
    static final class Producer implements Runnable {
        final StreamSession session;
        final List<TestEncoder.Packet> packets;
        final AtomicBoolean keyWanted = new AtomicBoolean();
        final AtomicBoolean paused = new AtomicBoolean();
        final AtomicLong pushed = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        Producer(StreamSession session, List<TestEncoder.Packet> packets) {
            this.session = session;
            this.packets = packets;
            session.onKeyframeRequest(() -> keyWanted.set(true));
            thread = new Thread(this, "test-producer");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            long interval = TimeUnit.SECONDS.toNanos(1) / FPS;
            long due = System.nanoTime();
            int i = 0;
            while (running) {
                due += interval;
                LockSupport.parkNanos(due - System.nanoTime());
                if (paused.get()) {
                    continue;
                }
                if (keyWanted.getAndSet(false)) {
                    while (!packets.get(i).key()) {
                        i = (i + 1) % packets.size();
                    }
                }
                byte[] au = packets.get(i).data();
                session.streamVideo(VideoFrame.encoded(ByteBuffer.wrap(au), W, H, au.length));
                pushed.incrementAndGet();
                i = (i + 1) % packets.size();
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2_000);
        }
    }

    static List<TestEncoder.Packet> quadrants(TestEncoder.Config cfg) {
        return TestEncoder.encode(cfg, W, H, 90, Set.of(0, 30, 60), true);
    }

    private String start(VideoInput input, EncoderFactory factory, List<TestEncoder.Packet> packets) {
        ServerConfig config = ServerConfig.builder().width(W).height(H).fps(FPS).videoInput(input).build();
        WebRtcTransport webrtc = new WebRtcTransport(WebRtcTransport.defaultSettings(TOKEN, "127.0.0.1", 0));
        session = StreamSession.builder(config).noSource().encoder("bitstream", factory).transport("webrtc", webrtc).start();
        producer = new Producer(session, packets);
        return "http://127.0.0.1:" + webrtc.port() + "/?token=" + TOKEN + "&overlay=0";
    }

    private ChromeDevTools open(String url) throws Exception {
        ChromeDevTools chrome = ChromeDevTools.launch(ChromeDevTools.findChromium(), W, H);
        browsers.add(chrome);
        chrome.setViewport(W, H);
        chrome.addScriptOnNewDocument(CAPTURE_PC);
        chrome.navigate(url);
        return chrome;
    }

    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> inbound(ChromeDevTools chrome) throws Exception {
        return (java.util.Map<String, Object>) com.fasterxml.jackson.jr.ob.JSON.std.anyFrom((String) chrome.evaluate(INBOUND));
    }

    static long number(java.util.Map<String, Object> stats, String key) {
        Object v = stats.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    static long awaitDecoded(ChromeDevTools chrome, long atLeast, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long decoded = 0;
        while (System.nanoTime() < deadline) {
            decoded = number(inbound(chrome), "framesDecoded");
            if (decoded >= atLeast) {
                return decoded;
            }
            Thread.sleep(100);
        }
        fail("framesDecoded " + decoded + " < " + atLeast + " after " + timeoutMs + " ms; client state "
                + chrome.evaluate("window.framewire && framewire.state") + "; stats " + inbound(chrome));
        return decoded;
    }

    /**
     * Samples each quadrant's centre in a screenshot (the page shows the video filling the viewport).
     *
     * @return one line per quadrant whose colour is off by more than 60 in a channel; empty when all match
     */
    static List<String> quadrantMismatches(ChromeDevTools chrome) throws Exception {
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(chrome.screenshot()));
        List<String> out = new ArrayList<>();
        for (int q = 0; q < 4; q++) {
            int x = shot.getWidth() * (q % 2 == 0 ? 1 : 3) / 4;
            int y = shot.getHeight() * (q < 2 ? 1 : 3) / 4 - shot.getHeight() / 8; // clear of the moving bar
            int rgb = shot.getRGB(x, y);
            int[] got = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
            for (int c = 0; c < 3; c++) {
                if (Math.abs(got[c] - TestEncoder.QUADRANT_RGB[q][c]) > 60) {
                    out.add(String.format("quadrant %d at (%d,%d): got #%02x%02x%02x", q, x, y, got[0], got[1], got[2]));
                    break;
                }
            }
        }
        return out;
    }

    static void assertPictureMatches(ChromeDevTools chrome, String what) throws Exception {
        List<String> m = quadrantMismatches(chrome);
        for (int i = 0; i < 20 && !m.isEmpty(); i++) { // the first frames may still be on their way
            Thread.sleep(250);
            m = quadrantMismatches(chrome);
        }
        assertTrue(m.isEmpty(), what + ": the browser's picture is the source's: " + m);
    }

    @Test
    void aPushedH264StreamIsDecodedAndShowsTheSourcePicture() throws Exception {
        String url = start(VideoInput.H264, new BitstreamPassthroughFactory.H264(), quadrants(TestEncoder.x264Baseline()));
        ChromeDevTools chrome = open(url);
        long first = awaitDecoded(chrome, 10, 20_000);
        Thread.sleep(2_000);
        long later = number(inbound(chrome), "framesDecoded");
        assertTrue(later >= first + 40, "framesDecoded rises at about 30 fps: " + first + " -> " + later + " in 2 s");
        assertPictureMatches(chrome, "H.264");
        assertEquals(0, session.health().counters().framesRefused());
    }

    @Test
    void aPushedAv1StreamIsDecodedAndShowsTheSourcePicture() throws Exception {
        String url = start(VideoInput.AV1, new BitstreamPassthroughFactory.Av1(), quadrants(TestEncoder.svtav1()));
        ChromeDevTools chrome = open(url);
        long first = awaitDecoded(chrome, 10, 20_000);
        Thread.sleep(2_000);
        java.util.Map<String, Object> stats = inbound(chrome);
        assertTrue(number(stats, "framesDecoded") >= first + 40, "AV1 framesDecoded rises: " + first + " -> " + stats);
        assertPictureMatches(chrome, "AV1");
    }

    @Test
    void aBrowserJoiningMidStreamStartsAtAKeyframe() throws Exception {
        String url = start(VideoInput.H264, new BitstreamPassthroughFactory.H264(), quadrants(TestEncoder.x264Baseline()));
        ChromeDevTools early = open(url);
        awaitDecoded(early, 10, 20_000);
        Thread.sleep(1_500); // the producer is mid-GOP when the next one joins
        long pushedBefore = producer.pushed.get();
        ChromeDevTools late = open(url);
        awaitDecoded(late, 30, 20_000);
        java.util.Map<String, Object> stats = inbound(late);
        assertTrue(number(stats, "keyFramesDecoded") >= 1, "the late page decoded a key frame: " + stats);
        assertTrue(producer.pushed.get() > pushedBefore);
        assertPictureMatches(late, "the late joiner");
        assertPictureMatches(early, "the first page, still");
    }

    @Test
    void aTenSecondProducerStallKeepsThePageConnectedAndThePictureOnScreen() throws Exception {
        String url = start(VideoInput.H264, new BitstreamPassthroughFactory.H264(), quadrants(TestEncoder.x264Baseline()));
        ChromeDevTools chrome = open(url);
        awaitDecoded(chrome, 60, 20_000);
        producer.paused.set(true);
        long stallStart = System.nanoTime();
        long decodedAtStall = number(inbound(chrome), "framesDecoded");
        ChromeDevTools joiner = null;
        while (System.nanoTime() - stallStart < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(2_000);
            java.util.Map<String, Object> s = inbound(chrome);
            assertEquals("connected", s.get("connectionState"), "during the stall: " + s);
            assertEquals("connected", chrome.evaluate("framewire.state"), "the web client does not reconnect");
            assertEquals(1L, number(s, "peerConnections"), "no second connection");
            assertTrue(quadrantMismatches(chrome).isEmpty(), "the picture stays, not black: " + quadrantMismatches(chrome));
            if (joiner == null) {
                joiner = open(url); // joins while the producer is silent
            }
        }
        long decodedInStall = number(inbound(chrome), "framesDecoded") - decodedAtStall;
        assertTrue(decodedInStall <= 5, "the decoding page is not sent the old key frame again: " + decodedInStall);
        assertTrue(number(inbound(joiner), "framesDecoded") >= 1, "the page that joined during the stall got the last"
                + " key frame: " + inbound(joiner));
        assertPictureMatches(joiner, "the page that joined during the stall");
        producer.paused.set(false);
        long resumed = number(inbound(chrome), "framesDecoded");
        awaitDecoded(chrome, resumed + 30, 10_000);
        long joinerResumed = number(inbound(joiner), "framesDecoded");
        awaitDecoded(joiner, joinerResumed + 30, 10_000);
        assertPictureMatches(chrome, "after the stall");
        assertPictureMatches(joiner, "the joiner after the stall");
        assertTrue(session.health().counters().framesRepeated() >= 1, "re-sends counted: " + session.health());
    }
}
