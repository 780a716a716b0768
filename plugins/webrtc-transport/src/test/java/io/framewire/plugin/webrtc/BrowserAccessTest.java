package io.framewire.plugin.webrtc;

import io.framewire.api.Codec;
import io.framewire.api.StreamDescription;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.testing.ChromeDevTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The web client in headless Chromium against a {@link WebRtcTransport}: a refused token shows the
 * access-denied text and the page stops reconnecting; a transport restart with another stream size
 * is followed by the open page on its own, which then plays the new size.
 *
 * <p>The video is pre-encoded H.264 from {@code src/test/resources/h264/}, made with (for each size):
 * {@code ffmpeg -f lavfi -i testsrc=size=320x240:rate=30 -frames:v 60 -pix_fmt yuv420p -c:v libx264
 * -profile:v baseline -preset ultrafast -tune zerolatency -g 10 -b:v 300k -bsf:v h264_metadata=aud=insert
 * -f h264 testsrc-320x240.h264}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrowserAccessTest {
    private static final String COUNT_SOCKETS = "(() => { const O = window.WebSocket; window.__sockets = 0;"
            + " window.WebSocket = class extends O { constructor(...a) { super(...a); window.__sockets++; } }; })();";

    private final FakeTransportContext context = new FakeTransportContext(stream(320, 240));
    private final List<ChromeDevTools> browsers = new ArrayList<>();
    private WebRtcTransport transport;
    private Feeder feeder;

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
        if (feeder != null) {
            feeder.stop();
        }
        if (transport != null) {
            transport.stop();
        }
    }

    private static StreamDescription stream(int w, int h) {
        return new StreamDescription(Codec.H264, w, h, 30, VideoInput.H264);
    }

    /** The access units of an Annex B file whose units each start with an access unit delimiter. */
    static List<byte[]> accessUnits(String resource) throws IOException {
        byte[] all;
        try (InputStream in = BrowserAccessTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            all = in.readAllBytes();
        }
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + 4 < all.length; i++) {
            if (all[i] == 0 && all[i + 1] == 0 && all[i + 2] == 0 && all[i + 3] == 1 && (all[i + 4] & 0x1f) == 9) {
                starts.add(i);
            }
        }
        List<byte[]> units = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            units.add(Arrays.copyOfRange(all, starts.get(k), k + 1 < starts.size() ? starts.get(k + 1) : all.length));
        }
        return units;
    }

    static boolean isKey(byte[] au) {
        for (int i = 0; i + 3 < au.length; i++) {
            if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1 && (au[i + 3] & 0x1f) == 5) {
                return true;
            }
        }
        return false;
    }

    /** Sends the current file's access units to the transport at 30 fps, in a loop. */
    final class Feeder implements Runnable {
        private volatile List<byte[]> units;
        private volatile boolean running = true;
        private final Thread thread = new Thread(this, "test-feeder");

        Feeder(List<byte[]> units) {
            this.units = units;
            thread.setDaemon(true);
            thread.start();
        }

        void play(List<byte[]> next) {
            units = next;
        }

        @Override
        public void run() {
            long interval = TimeUnit.SECONDS.toNanos(1) / 30;
            long due = System.nanoTime();
            long n = 0;
            int i = 0;
            List<byte[]> playing = units;
            while (running) {
                due += interval;
                LockSupport.parkNanos(due - System.nanoTime());
                if (playing != units) {
                    playing = units;
                    i = 0; // a new file starts at its first (key) frame
                }
                byte[] au = playing.get(i % playing.size());
                WebRtcTransport t = transport;
                if (t != null) {
                    t.send(new EncodedFrame(Codec.H264, ByteBuffer.wrap(au), n++, System.nanoTime() / 1000, isKey(au), false));
                }
                i++;
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }
    }

    private ChromeDevTools open(String url) throws Exception {
        ChromeDevTools chrome = ChromeDevTools.launch(ChromeDevTools.findChromium(), 640, 480);
        browsers.add(chrome);
        chrome.setViewport(640, 480);
        chrome.addScriptOnNewDocument(COUNT_SOCKETS);
        chrome.navigate(url);
        return chrome;
    }

    private static Object await(ChromeDevTools chrome, String expression, Predicate<Object> done, long timeoutMs, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Object value = null;
        while (System.nanoTime() < deadline) {
            value = chrome.evaluate(expression);
            if (done.test(value)) {
                return value;
            }
            Thread.sleep(100);
        }
        fail(what + " within " + timeoutMs + " ms: " + expression + " = " + value + "; client state "
                + chrome.evaluate("framewire.state") + ", message '" + chrome.evaluate("document.getElementById('fw-message').textContent") + "'");
        return value;
    }

    private static final String VIDEO_SIZE = "(() => { const v = document.getElementById('fw-video');"
            + " return v.videoWidth + 'x' + v.videoHeight; })()";

    @Test
    void aWrongTokenShowsAccessDeniedAndThePageStopsReconnecting() throws Exception {
        transport = new WebRtcTransport(WebRtcTransport.defaultSettings("", "127.0.0.1", 0));
        transport.start(context);
        ChromeDevTools chrome = open("http://127.0.0.1:" + transport.port() + "/?token=wrong-" + transport.accessToken());

        await(chrome, "document.getElementById('fw-message').hidden ? '' : document.getElementById('fw-message').textContent",
                v -> "access denied: the token is wrong or expired".equals(v), 10_000, "the access-denied text");
        assertEquals("denied", chrome.evaluate("framewire.state"));
        long sockets = ((Number) chrome.evaluate("window.__sockets")).longValue();
        Thread.sleep(4_000); // the back-off would have tried again after 0.5, 1 and 2 s
        assertEquals(sockets, ((Number) chrome.evaluate("window.__sockets")).longValue(), "no reconnect attempts");
        assertEquals(1, sockets, "one attempt, then the probe said 403");
        assertEquals("denied", chrome.evaluate("framewire.state"));
    }

    @Test
    void afterARestartWithAnotherSizeTheOpenPageReconnectsAndPlaysTheNewSize() throws Exception {
        List<byte[]> small = accessUnits("/h264/testsrc-320x240.h264");
        List<byte[]> large = accessUnits("/h264/testsrc-480x360.h264");
        assertTrue(isKey(small.get(0)) && isKey(large.get(0)) && small.size() == 60, "the test streams: " + small.size());
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // a fixed port, as in production (8080): the page comes back to it
        }
        transport = new WebRtcTransport(WebRtcTransport.defaultSettings("", "127.0.0.1", port));
        transport.start(context);
        String token = transport.accessToken();
        feeder = new Feeder(small);
        ChromeDevTools chrome = open("http://127.0.0.1:" + transport.port() + "/?token=" + token);
        await(chrome, VIDEO_SIZE, "320x240"::equals, 30_000, "the first stream plays");
        assertEquals("connected", chrome.evaluate("framewire.state"));

        // what a session restart does: the runtime stops the transport, then starts it with the new stream
        transport.stop();
        context.stream = stream(480, 360);
        feeder.play(large);
        Thread.sleep(1_000); // the page meanwhile finds nothing listening and retries
        transport.start(context);
        assertEquals(port, transport.port());
        assertEquals(token, transport.accessToken());

        await(chrome, VIDEO_SIZE, "480x360"::equals, 30_000, "the page reconnects by itself and plays the new size");
        assertEquals("connected", chrome.evaluate("framewire.state"));
        assertEquals(480, ((Number) chrome.evaluate("framewire.hello.width")).intValue());
        assertTrue(((Number) chrome.evaluate("window.__sockets")).longValue() >= 2, "a new signaling connection");
    }
}
