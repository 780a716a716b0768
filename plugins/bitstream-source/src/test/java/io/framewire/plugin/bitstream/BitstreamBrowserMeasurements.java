package io.framewire.plugin.bitstream;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.plugin.webrtc.WebRtcTransport;
import io.framewire.runtime.StreamSession;
import io.framewire.testing.ChromeDevTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What Chromium does with what the passthrough refuses or bridges, measured for
 * docs/bitstream-measurements.md: a 10 s producer stall with and without the key-frame re-sends,
 * and a stream with B-frames. Runs only with {@code -Dframewire.measure=true} (it prints figures;
 * it asserts nothing about them):
 * <pre>mvn -pl plugins/bitstream-source test -Dtest=BitstreamBrowserMeasurements -Dframewire.measure=true</pre>
 */
class BitstreamBrowserMeasurements {
    private static final String TOKEN = "bitstream-measure-token-01234567";

    /** Passes units through as they are, without checks and without re-sends: what a naive passthrough does. */
    static final class RawFactory implements EncoderFactory {
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

    private static void measure(String title, EncoderFactory factory, List<TestEncoder.Packet> packets, boolean stall)
            throws Exception {
        measure(title, factory, packets, stall, 10);
    }

    private static void measure(String title, EncoderFactory factory, List<TestEncoder.Packet> packets, boolean stall,
                                int seconds) throws Exception {
        ServerConfig config = ServerConfig.builder().width(BitstreamBrowserTest.W).height(BitstreamBrowserTest.H)
                .fps(BitstreamBrowserTest.FPS).videoInput(VideoInput.H264).build();
        WebRtcTransport webrtc = new WebRtcTransport(WebRtcTransport.defaultSettings(TOKEN, "127.0.0.1", 0));
        try (StreamSession session = StreamSession.builder(config).noSource().encoder("x", factory)
                .transport("webrtc", webrtc).start();
             ChromeDevTools chrome = ChromeDevTools.launch(ChromeDevTools.findChromium(), BitstreamBrowserTest.W,
                     BitstreamBrowserTest.H)) {
            BitstreamBrowserTest.Producer producer = new BitstreamBrowserTest.Producer(session, packets);
            try {
                chrome.setViewport(BitstreamBrowserTest.W, BitstreamBrowserTest.H);
                chrome.addScriptOnNewDocument(BitstreamBrowserTest.CAPTURE_PC);
                chrome.navigate("http://127.0.0.1:" + webrtc.port() + "/?token=" + TOKEN + "&overlay=0");
                long t0 = System.nanoTime();
                while (BitstreamBrowserTest.number(BitstreamBrowserTest.inbound(chrome), "framesDecoded") < 30
                        && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20)) {
                    Thread.sleep(100);
                }
                Map<String, Object> a = BitstreamBrowserTest.inbound(chrome);
                long pushedA = producer.pushed.get();
                if (stall) {
                    producer.paused.set(true);
                }
                StringBuilder timeline = new StringBuilder();
                for (int s = 1; s <= seconds; s++) {
                    Thread.sleep(1_000);
                    Map<String, Object> m = BitstreamBrowserTest.inbound(chrome);
                    timeline.append(String.format("%n    t+%2ds: pc %s, client %s, framesDecoded +%d, picture %s",
                            s, m.get("connectionState"), chrome.evaluate("framewire.state"),
                            BitstreamBrowserTest.number(m, "framesDecoded") - BitstreamBrowserTest.number(a, "framesDecoded"),
                            BitstreamBrowserTest.quadrantMismatches(chrome).isEmpty() ? "source" : "OTHER "
                                    + BitstreamBrowserTest.quadrantMismatches(chrome)));
                }
                producer.paused.set(false);
                Thread.sleep(3_000);
                Map<String, Object> b = BitstreamBrowserTest.inbound(chrome);
                System.out.printf("%n== %s (%s)%n  pushed %d in the window; sent %d, repeated %d%s%n  after:"
                                + " framesDecoded %s (+%d), framesReceived %s, framesDropped %s, keyFramesDecoded %s,"
                                + " freezeCount %s, totalFreezesDuration %s s, pauseCount %s, totalPausesDuration %s s,"
                                + " packetsLost %s, nackCount %s, pliCount %s, peerConnections %s%n",
                        title, chrome.evaluate("navigator.userAgent"), producer.pushed.get() - pushedA,
                        session.health().counters().framesSent(), session.health().counters().framesRepeated(), timeline,
                        b.get("framesDecoded"), BitstreamBrowserTest.number(b, "framesDecoded")
                                - BitstreamBrowserTest.number(a, "framesDecoded"), b.get("framesReceived"),
                        b.get("framesDropped"), b.get("keyFramesDecoded"), b.get("freezeCount"),
                        b.get("totalFreezesDuration"), b.get("pauseCount"), b.get("totalPausesDuration"),
                        b.get("packetsLost"), b.get("nackCount"), b.get("pliCount"), b.get("peerConnections"));
            } finally {
                producer.stop();
            }
        }
    }

    @Test
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("framewire.measure"), "measurements run with -Dframewire.measure=true");
        Assumptions.assumeTrue(ChromeDevTools.findChromium() != null, "needs Chromium");
        List<TestEncoder.Packet> plain = BitstreamBrowserTest.quadrants(TestEncoder.x264Baseline());
        if (Boolean.getBoolean("framewire.measure.long")) {
            measure("30 s stall, no re-sends (raw passthrough)", new RawFactory(), plain, true, 30);
            return;
        }
        measure("10 s stall, no re-sends (raw passthrough)", new RawFactory(), plain, true);
        measure("10 s stall, the runtime's continuity (bitstream-h264)", new BitstreamPassthroughFactory.H264(), plain, true);
        measure("B-frames (x264 High, 2 B-frames), raw passthrough, no stall", new RawFactory(),
                BitstreamBrowserTest.quadrants(TestEncoder.x264High(2)), false);
        measure("no B-frames (x264 High, 0 B-frames), raw passthrough, no stall", new RawFactory(),
                BitstreamBrowserTest.quadrants(TestEncoder.x264High(0)), false);
    }
}
