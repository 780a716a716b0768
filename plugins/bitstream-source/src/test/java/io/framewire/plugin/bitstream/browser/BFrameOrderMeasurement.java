package io.framewire.plugin.bitstream.browser;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.plugin.bitstream.AccessUnit;
import io.framewire.plugin.bitstream.BitstreamPassthroughFactory;
import io.framewire.plugin.webrtc.WebRtcTransport;
import io.framewire.runtime.StreamSession;
import io.framewire.testing.ChromeDevTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Which source frames Chromium shows, in which order, for pushed H.264 with and without B-frames, and
 * where a late joiner starts: every picture carries its frame number ({@link NumberedFrames}), which
 * the page reads back from the {@code <video>} on every presented frame (requestVideoFrameCallback,
 * drawn to a canvas). Prints figures for docs/bitstream-measurements.md; asserts nothing about them.
 * Runs only with {@code -Dframewire.measure=true}:
 * <pre>mvn -B -ntp -o -q -pl plugins/bitstream-source surefire:test -Dtest=BFrameOrderMeasurement -Dframewire.measure=true</pre>
 */
class BFrameOrderMeasurement {
    private static final String TOKEN = "bitstream-order-measure-token-0123";
    private static final int FPS = 30;
    /** Frames per loop: below 256, so the 8-bit number is unique within a loop. */
    private static final int LOOP = 240;
    private static final String CAPTURE_PC = "(() => { const O = window.RTCPeerConnection; window.__pcs = [];"
            + " window.RTCPeerConnection = class extends O { constructor(...a) { super(...a); window.__pcs.push(this); } }; })();";
    /** Reads the frame number of every frame the video element presents into window.__seen. */
    private static final String READ_NUMBERS = "window.__seen = []; document.addEventListener('DOMContentLoaded', () => {"
            + " const v = document.getElementById('fw-video'); const c = document.createElement('canvas');"
            + " c.width = " + NumberedFrames.W + "; c.height = " + NumberedFrames.H + ";"
            + " const g = c.getContext('2d', {willReadFrequently: true});"
            + " const cb = (now, m) => { try { g.drawImage(v, 0, 0, c.width, c.height);"
            + "  const d = g.getImageData(0, " + (NumberedFrames.BLOCK_Y0 + NumberedFrames.BLOCK / 2) + ", c.width, 1).data;"
            + "  let n = 0; for (let b = 0; b < " + NumberedFrames.BITS + "; b++) {"
            + "   const x = " + NumberedFrames.BLOCK_X0 + " + b * " + NumberedFrames.BLOCK + " + " + NumberedFrames.BLOCK / 2 + ";"
            + "   if (d[x * 4] > 128) n |= 1 << b; }"
            + "  window.__seen.push(n); } catch (e) { window.__seen.push(-1); } v.requestVideoFrameCallback(cb); };"
            + " v.requestVideoFrameCallback(cb); });";
    private static final String INBOUND = "(async () => { const pcs = window.__pcs || []; const pc = pcs[pcs.length - 1];"
            + " if (!pc) return '{}'; const r = await pc.getStats(); let o = {};"
            + " r.forEach((s) => { if (s.type === 'inbound-rtp' && (s.kind || s.mediaType) === 'video') o = s; });"
            + " o.connectionState = pc.connectionState; o.peerConnections = pcs.length; return JSON.stringify(o); })()";

    private static void only() {
        Assumptions.assumeTrue(Boolean.getBoolean("framewire.measure"), "measurements run with -Dframewire.measure=true");
        Assumptions.assumeTrue(ChromeDevTools.findChromium() != null, "needs Chromium");
    }

    /** Sends every pushed unit once, as it is: no checks, no re-sends (the shipping passthrough refuses B-frames). */
    static final class RawH264 implements EncoderFactory {
        @Override
        public Set<VideoInput> inputs() {
            return Set.of(VideoInput.H264);
        }

        @Override
        public Codec codec() {
            return Codec.H264;
        }

        @Override
        public boolean hardware() {
            return false;
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public Encoder create(ServerConfig config) {
            return new Encoder() {
                private ByteBuffer unit;
                private boolean key;

                @Override
                public Codec codec() {
                    return Codec.H264;
                }

                @Override
                public Set<VideoFrame.Kind> acceptedKinds() {
                    return Set.of(VideoFrame.Kind.BITSTREAM);
                }

                @Override
                public void submit(VideoFrame frame) {
                    ByteBuffer b = frame.hostBuffer().slice(frame.hostBuffer().position(), frame.sizeBytes());
                    unit = ByteBuffer.allocate(b.remaining()).put(b).flip();
                    key = AccessUnit.analyze(unit, Codec.H264).keyframe();
                }

                @Override
                public EncodedFrame encode(long n, long pts, boolean keyframe, boolean repeat) {
                    return repeat || unit == null ? null : new EncodedFrame(Codec.H264, unit, n, pts, key, false);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Pushes the units at the fps in a loop; a key-frame request skips ahead to the next key frame. */
    static final class Producer implements AutoCloseable {
        final AtomicLong pushed = new AtomicLong();
        final AtomicLong keyRequests = new AtomicLong();
        private final AtomicBoolean keyWanted = new AtomicBoolean();
        private volatile boolean running = true;
        private final Thread thread;

        Producer(StreamSession session, List<NumberedFrames.Packet> packets) {
            session.onKeyframeRequest(() -> {
                keyRequests.incrementAndGet();
                keyWanted.set(true);
            });
            thread = new Thread(() -> {
                long interval = TimeUnit.SECONDS.toNanos(1) / FPS;
                long due = System.nanoTime();
                int i = 0;
                while (running) {
                    due += interval;
                    LockSupport.parkNanos(due - System.nanoTime());
                    if (keyWanted.getAndSet(false)) {
                        while (!packets.get(i).key()) {
                            i = (i + 1) % packets.size();
                        }
                    }
                    byte[] au = packets.get(i).data();
                    session.streamVideo(VideoFrame.encoded(ByteBuffer.wrap(au), NumberedFrames.W, NumberedFrames.H, au.length));
                    pushed.incrementAndGet();
                    i = (i + 1) % packets.size();
                }
            }, "order-producer");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(2_000);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inbound(ChromeDevTools chrome) throws Exception {
        return (Map<String, Object>) JSON.std.anyFrom((String) chrome.evaluate(INBOUND));
    }

    private static long num(Map<String, Object> m, String k) {
        return m.get(k) instanceof Number n ? n.longValue() : 0;
    }

    private static List<Integer> seen(ChromeDevTools chrome) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (Object o : JSON.std.listFrom((String) chrome.evaluate("JSON.stringify(window.__seen)"))) {
            out.add(((Number) o).intValue());
        }
        return out;
    }

    private static ChromeDevTools open(String url) throws Exception {
        ChromeDevTools chrome = ChromeDevTools.launch(ChromeDevTools.findChromium(), NumberedFrames.W, NumberedFrames.H);
        chrome.setViewport(NumberedFrames.W, NumberedFrames.H);
        chrome.addScriptOnNewDocument(CAPTURE_PC);
        chrome.addScriptOnNewDocument(READ_NUMBERS);
        chrome.navigate(url);
        return chrome;
    }

    private static void awaitDecoded(ChromeDevTools chrome, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (num(inbound(chrome), "framesDecoded") < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Steps between successive shown numbers: +1, forward skips, backward steps (not counting the loop's wrap). */
    private static String order(List<Integer> shown) {
        int plusOne = 0;
        int skips = 0;
        int back = 0;
        int wraps = 0;
        int same = 0;
        int unreadable = 0;
        for (int i = 1; i < shown.size(); i++) {
            int a = shown.get(i - 1);
            int b = shown.get(i);
            if (a < 0 || b < 0) {
                unreadable++;
            } else if (b == a) {
                same++;
            } else if (b == a + 1) {
                plusOne++;
            } else if (b > a) {
                skips++;
            } else if (a >= LOOP - 40 && b < 40) {
                wraps++;
            } else {
                back++;
            }
        }
        return String.format("%d presented; steps: +1 %d, forward skips %d, BACKWARD %d, loop wraps %d, same %d,"
                + " unreadable %d; first 45: %s", shown.size(), plusOne, skips, back, wraps, same, unreadable,
                shown.subList(0, Math.min(45, shown.size())));
    }

    private static String peerStats(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        Object peers = JSON.std.mapFrom(r.body()).get("peerStats");
        return String.valueOf(peers);
    }

    private static void orderRun(String title, EncoderFactory factory, List<NumberedFrames.Packet> packets) throws Exception {
        ServerConfig config = ServerConfig.builder().width(NumberedFrames.W).height(NumberedFrames.H).fps(FPS)
                .videoInput(VideoInput.H264).build();
        WebRtcTransport webrtc = new WebRtcTransport(WebRtcTransport.defaultSettings(TOKEN, "127.0.0.1", 0));
        try (StreamSession session = StreamSession.builder(config).noSource().encoder("x", factory)
                .transport("webrtc", webrtc).start();
             Producer producer = new Producer(session, packets);
             ChromeDevTools chrome = open("http://127.0.0.1:" + webrtc.port() + "/?token=" + TOKEN + "&overlay=0")) {
            awaitDecoded(chrome, 10);
            chrome.evaluate("window.__seen.length = 0");
            Map<String, Object> a = inbound(chrome);
            long pushedA = producer.pushed.get();
            Thread.sleep(10_000);
            Map<String, Object> b = inbound(chrome);
            List<Integer> shown = seen(chrome);
            System.out.printf("%n== %s: in 10 s pushed %d; framesReceived +%d, framesDecoded +%d, framesDropped +%d,"
                            + " keyFramesDecoded +%d, freezeCount +%d, totalFreezesDuration %s s, pliCount +%d,"
                            + " connection %s%n  shown: %s%n  server peer: %s%n", title, producer.pushed.get() - pushedA,
                    num(b, "framesReceived") - num(a, "framesReceived"), num(b, "framesDecoded") - num(a, "framesDecoded"),
                    num(b, "framesDropped") - num(a, "framesDropped"), num(b, "keyFramesDecoded") - num(a, "keyFramesDecoded"),
                    num(b, "freezeCount") - num(a, "freezeCount"), b.get("totalFreezesDuration"),
                    num(b, "pliCount") - num(a, "pliCount"), b.get("connectionState"), order(shown), peerStats(webrtc.port()));
        }
    }

    @Test
    void displayOrderWithAndWithoutBFrames() throws Exception {
        only();
        orderRun("x264 High, 2 B-frames, raw passthrough", new RawH264(), NumberedFrames.x264High(2, LOOP));
        orderRun("x264 High, 0 B-frames, raw passthrough", new RawH264(), NumberedFrames.x264High(0, LOOP));
    }

    @Test
    void aLateJoinerStartsAtAKeyframe() throws Exception {
        only();
        List<NumberedFrames.Packet> packets = NumberedFrames.x264High(0, LOOP);
        ServerConfig config = ServerConfig.builder().width(NumberedFrames.W).height(NumberedFrames.H).fps(FPS)
                .videoInput(VideoInput.H264).build();
        WebRtcTransport webrtc = new WebRtcTransport(WebRtcTransport.defaultSettings(TOKEN, "127.0.0.1", 0));
        String url = "http://127.0.0.1:" + webrtc.port();
        try (StreamSession session = StreamSession.builder(config).noSource()
                .encoder("bitstream", BitstreamPassthroughFactory.forCodec(Codec.H264)).transport("webrtc", webrtc).start();
             Producer producer = new Producer(session, packets)) {
            url = "http://127.0.0.1:" + webrtc.port() + "/?token=" + TOKEN + "&overlay=0";
            try (ChromeDevTools early = open(url)) {
                awaitDecoded(early, 30);
                Thread.sleep(3_000);
                long requestsBefore = producer.keyRequests.get();
                try (ChromeDevTools late = open(url)) {
                    awaitDecoded(late, 30);
                    Thread.sleep(1_000);
                    Map<String, Object> s = inbound(late);
                    List<Integer> shown = seen(late);
                    System.out.printf("%n== late joiner (real passthrough, x264 High 0 B-frames, 3 s after the first page):"
                                    + " producer key-frame requests +%d; late page framesDecoded %d, keyFramesDecoded %d,"
                                    + " framesDropped %d, pliCount %d; first shown numbers %s (key frames are multiples of 30)"
                                    + "%n  early page shown: %s%n  server peers: %s%n",
                            producer.keyRequests.get() - requestsBefore, num(s, "framesDecoded"), num(s, "keyFramesDecoded"),
                            num(s, "framesDropped"), num(s, "pliCount"), shown.subList(0, Math.min(12, shown.size())),
                            order(seen(early)), peerStats(webrtc.port()));
                }
            }
        }
    }
}
