package io.framewire.testing.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.plugin.bitstream.BitstreamPassthroughFactory;
import io.framewire.plugin.webrtc.WebRtcTransport;
import io.framewire.runtime.StreamSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End to end without OSGi: real encoder output (looped at 30 fps, a key frame every
 * {@link TestStreams#FRAMES} frames) pushed as pre-encoded access units into a passthrough session
 * ({@code videoInput} H264 / H265 / AV1) with a real {@link WebRtcTransport} on loopback; the test
 * receiver negotiates, connects (ICE, DTLS-SRTP), depacketizes and decodes it, and the decoded
 * pictures are the source's. H.265 is tested here because headless Chromium cannot decode it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebRtcTestReceiverTest {
    private static final String TOKEN = "receiver-token";
    private static final int TOLERANCE = 12;

    private StreamSession session;
    private ScheduledExecutorService feeder;
    private final AtomicInteger keyframeRequests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (feeder != null) {
            feeder.shutdownNow();
        }
        if (session != null) {
            session.close();
        }
    }

    /** Starts a passthrough session and loops the codec's access units into it; @return the signaling URL */
    private String serve(Codec codec) throws Exception {
        List<EncodedFrame> frames = TestStreams.get(codec);
        ServerConfig config = ServerConfig.builder().width(TestStreams.WIDTH).height(TestStreams.HEIGHT).fps(30)
                .videoInput(VideoInput.valueOf(codec.name())).build();
        WebRtcTransport transport = new WebRtcTransport(WebRtcTransport.defaultSettings(TOKEN, "127.0.0.1", 0));
        session = StreamSession.builder(config).noSource().encoder("bitstream", BitstreamPassthroughFactory.forCodec(codec))
                .transport("webrtc", new CountingKeyframeRequests(transport)).start();
        AtomicLong n = new AtomicLong();
        feeder = Executors.newSingleThreadScheduledExecutor();
        feeder.scheduleAtFixedRate(() -> {
            EncodedFrame f = frames.get((int) (n.getAndIncrement() % frames.size()));
            session.streamVideo(VideoFrame.encoded(f.data().duplicate(), TestStreams.WIDTH, TestStreams.HEIGHT,
                    f.data().remaining()));
        }, 0, 33, TimeUnit.MILLISECONDS);
        return "http://127.0.0.1:" + transport.port();
    }

    /** The WebRTC transport, with every key-frame request it makes of the runtime counted. */
    private final class CountingKeyframeRequests implements io.framewire.api.spi.Transport {
        private final WebRtcTransport delegate;

        CountingKeyframeRequests(WebRtcTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public void start(io.framewire.api.spi.TransportContext context) throws Exception {
            delegate.start(new io.framewire.api.spi.TransportContext() {
                @Override
                public io.framewire.api.StreamDescription stream() {
                    return context.stream();
                }

                @Override
                public void onAppMessage(String peerId, io.framewire.api.spi.AppMessage message) {
                    context.onAppMessage(peerId, message);
                }

                @Override
                public void onStageLoad(String peerId, java.net.URI uri) {
                    context.onStageLoad(peerId, uri);
                }

                @Override
                public void onInput(String peerId, io.framewire.api.spi.InputEvent event) {
                    context.onInput(peerId, event);
                }

                @Override
                public void requestKeyframe() {
                    keyframeRequests.incrementAndGet();
                    context.requestKeyframe();
                }

                @Override
                public io.framewire.api.HealthReport health() {
                    return context.health();
                }
            });
        }

        @Override
        public void send(EncodedFrame frame) {
            delegate.send(frame);
        }

        @Override
        public void sendMessage(String peerId, io.framewire.api.spi.OutgoingMessage message) {
            delegate.sendMessage(peerId, message);
        }

        @Override
        public void stop() {
            delegate.stop();
        }

        @Override
        public int peerCount() {
            return delegate.peerCount();
        }
    }

    private static void assertColour(DecodedFrame f, int x, int y, int[] expected) {
        int[] rgb = f.rgb(x, y);
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(rgb[c] - expected[c]) <= TOLERANCE, "pixel (" + x + "," + y + ") is "
                    + java.util.Arrays.toString(rgb) + ", expected " + java.util.Arrays.toString(expected) + " +- "
                    + TOLERANCE + " (" + f.pixelFormat() + ")");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Codec.class, names = {"H264", "H265", "AV1"})
    void decodesTheStreamAtTheRightSizeAndColour(Codec codec) throws Exception {
        String url = serve(codec);
        try (WebRtcTestReceiver rx = WebRtcTestReceiver.connect(url, TOKEN, codec)) {
            DecodedFrame f = rx.awaitFrame(Duration.ofSeconds(10));
            assertEquals(TestStreams.WIDTH, f.width(), rx.toString());
            assertEquals(TestStreams.HEIGHT, f.height(), rx.toString());
            assertColour(f, TestStreams.WIDTH / 2, TestStreams.HEIGHT / 2, TestStreams.COLOUR);
            assertColour(f, TestStreams.WIDTH / 8, TestStreams.HEIGHT * 7 / 8, TestStreams.COLOUR);
            // the noisy band is not the solid colour: the picture is not just a flat fill
            int[] band = f.rgb(TestStreams.WIDTH / 2, TestStreams.HEIGHT / 8);
            assertTrue(Math.abs(band[0] - TestStreams.COLOUR[0]) + Math.abs(band[1] - TestStreams.COLOUR[1])
                    + Math.abs(band[2] - TestStreams.COLOUR[2]) > 3 * TOLERANCE
                    || f.rgb(TestStreams.WIDTH / 2 + 1, TestStreams.HEIGHT / 8)[0] != band[0], "noise band");
            // P frames decode too: a second of stream gives more than a key frame interval's worth
            for (int i = 0; i < 2 * TestStreams.FRAMES; i++) {
                rx.awaitFrame(Duration.ofSeconds(3));
            }
            assertTrue(rx.framesDecoded() > 2 * TestStreams.FRAMES, rx.toString());
            assertEquals(0, rx.framesDropped(), rx.toString());
            assertEquals(0, session.health().counters().framesRefused(), "every access unit passed: " + session.health());
        }
    }

    @Test
    void aReceiverJoiningMidStreamStartsAtAKeyFrame() throws Exception {
        String url = serve(Codec.H265);
        Thread.sleep(1_100); // the stream is past its first key frame, mid-GOP
        try (WebRtcTestReceiver rx = WebRtcTestReceiver.connect(url, TOKEN, Codec.H265)) {
            DecodedFrame f = rx.awaitFrame(Duration.ofSeconds(10));
            assertColour(f, TestStreams.WIDTH / 2, TestStreams.HEIGHT / 2, TestStreams.COLOUR);
            for (int i = 0; i < TestStreams.FRAMES; i++) {
                rx.awaitFrame(Duration.ofSeconds(3));
            }
            assertEquals(0, rx.framesDropped(), "no undecodable P-frame reached the late receiver: " + rx);
        }
    }

    @Test
    void aLostFrameMakesItWaitForAKeyFrameAndSendAPli() throws Exception {
        String url = serve(Codec.H264);
        try (WebRtcTestReceiver rx = WebRtcTestReceiver.connect(url, TOKEN, Codec.H264)) {
            rx.awaitFrame(Duration.ofSeconds(10));
            int requestsBefore = keyframeRequests.get();
            rx.dropNextFrames(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((keyframeRequests.get() == requestsBefore || rx.framesDropped() < 2)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(rx.plisSent() > 0, rx.toString());
            assertTrue(keyframeRequests.get() > requestsBefore, "the server took the PLI: " + rx);
            assertTrue(rx.framesDropped() > 1, "P frames after the loss are not decoded: " + rx);
            // decoding resumes at the next key frame
            long decoded = rx.framesDecoded();
            while (rx.pollFrame() != null) {
                // drain
            }
            rx.awaitFrame(Duration.ofSeconds(3));
            assertTrue(rx.framesDecoded() > decoded, rx.toString());
        }
    }
}
