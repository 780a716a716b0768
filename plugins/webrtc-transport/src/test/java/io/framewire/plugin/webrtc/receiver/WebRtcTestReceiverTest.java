package io.framewire.plugin.webrtc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Codec;
import io.framewire.api.StreamDescription;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.plugin.webrtc.FakeTransportContext;
import io.framewire.plugin.webrtc.WebRtcTransport;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * End to end without OSGi: a real {@link WebRtcTransport} on loopback streams real encoder output
 * (looped at 30 fps, a key frame every {@link TestStreams#FRAMES} frames) and the test receiver
 * negotiates, connects (ICE, DTLS-SRTP), depacketizes and decodes it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebRtcTestReceiverTest {
    private static final String TOKEN = "receiver-token";
    private static final int TOLERANCE = 12;

    private WebRtcTransport transport;
    private ScheduledExecutorService feeder;
    private FakeTransportContext context;

    @AfterEach
    void stop() {
        if (feeder != null) {
            feeder.shutdownNow();
        }
        if (transport != null) {
            transport.stop();
        }
    }

    /** Starts the transport and loops the codec's frames into it; @return the signaling URL */
    private String serve(Codec codec) throws Exception {
        List<EncodedFrame> frames = TestStreams.get(codec);
        context = new FakeTransportContext(new StreamDescription(codec, TestStreams.WIDTH, TestStreams.HEIGHT, 30,
                VideoInput.BGRA));
        transport = new WebRtcTransport(WebRtcTransport.defaultSettings(TOKEN, "127.0.0.1", 0));
        transport.start(context);
        AtomicLong n = new AtomicLong();
        feeder = Executors.newSingleThreadScheduledExecutor();
        feeder.scheduleAtFixedRate(() -> {
            long i = n.getAndIncrement();
            EncodedFrame f = frames.get((int) (i % frames.size()));
            transport.send(new EncodedFrame(f.codec(), f.data().duplicate(), i, i * 33_333L, f.keyframe(), false));
        }, 0, 33, TimeUnit.MILLISECONDS);
        return "http://127.0.0.1:" + transport.port();
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
        }
    }

    @Test
    void aLostFrameMakesItWaitForAKeyFrameAndSendAPli() throws Exception {
        String url = serve(Codec.H264);
        try (WebRtcTestReceiver rx = WebRtcTestReceiver.connect(url, TOKEN, Codec.H264)) {
            rx.awaitFrame(Duration.ofSeconds(10));
            int requestsBefore = context.keyframeRequests.get();
            rx.dropNextFrames(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((context.keyframeRequests.get() == requestsBefore || rx.framesDropped() < 2)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(rx.plisSent() > 0, rx.toString());
            assertTrue(context.keyframeRequests.get() > requestsBefore, "the server got the PLI: " + rx);
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
