package io.framewire.plugin.bitstream;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.StreamDescription;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import io.framewire.runtime.StreamSession;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole sessions with the passthrough as their encoder, fed with real encoders' access units
 * through {@code streamVideo()}: what reaches the transport, what is refused and why.
 */
class PassthroughSessionTest {
    private StreamSession session;
    private final Capture transport = new Capture();

    /** Keeps a copy of every frame sent (the passthrough reuses its buffer). */
    static final class Capture implements Transport {
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        volatile TransportContext context;

        record Sent(byte[] data, boolean keyframe, boolean repeat, boolean startOnly, Codec codec) {
        }

        @Override
        public void start(TransportContext ctx) {
            context = ctx;
        }

        @Override
        public void send(EncodedFrame frame) {
            ByteBuffer d = frame.data().duplicate();
            byte[] b = new byte[d.remaining()];
            d.get(b);
            sent.add(new Sent(b, frame.keyframe(), frame.repeat(), frame.startOnly(), frame.codec()));
        }

        @Override
        public void sendMessage(String peerId, OutgoingMessage message) {
        }

        @Override
        public void stop() {
        }

        @Override
        public int peerCount() {
            return 0;
        }
    }

    private StreamSession start(VideoInput input) {
        ServerConfig config = ServerConfig.builder().width(Streams.W).height(Streams.H).fps(30).videoInput(input).build();
        session = StreamSession.builder(config).noSource()
                .encoder("bitstream", BitstreamPassthroughFactory.forCodec(input.codec()))
                .transport("capture", transport).start();
        return session;
    }

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    private static VideoFrame au(TestEncoder.Packet p) {
        return VideoFrame.encoded(ByteBuffer.wrap(p.data()), Streams.W, Streams.H, p.data().length);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private void pushAllAndExpectThemSentAsTheyAre(VideoInput input, List<TestEncoder.Packet> packets) throws Exception {
        start(input);
        assertEquals(input.codec(), transport.context.stream().codec(), "the transport negotiates the input's codec");
        for (TestEncoder.Packet p : packets) {
            session.streamVideo(au(p));
        }
        await(() -> transport.sent.size() >= packets.size(), packets.size() + " frames sent");
        for (int i = 0; i < packets.size(); i++) {
            Capture.Sent s = transport.sent.get(i);
            assertArrayEquals(packets.get(i).data(), s.data(), "frame " + i + " is sent byte for byte");
            assertEquals(packets.get(i).key(), s.keyframe(), "frame " + i + " keyframe flag");
            assertFalse(s.repeat());
            assertEquals(input.codec(), s.codec());
        }
        assertTrue(session.isReady());
    }

    @Test
    void h264BaselineAccessUnitsReachTheTransportUnchangedAndInOrder() throws Exception {
        pushAllAndExpectThemSentAsTheyAre(VideoInput.H264, Streams.x264Baseline());
    }

    @Test
    void h265AccessUnitsReachTheTransportUnchanged() throws Exception {
        pushAllAndExpectThemSentAsTheyAre(VideoInput.H265, Streams.x265());
    }

    @Test
    void av1TemporalUnitsReachTheTransportUnchanged() throws Exception {
        pushAllAndExpectThemSentAsTheyAre(VideoInput.AV1, Streams.av1());
    }

    @Test
    void anAccessUnitGivenByHostAddressIsReadThere() throws Exception {
        start(VideoInput.H264);
        TestEncoder.Packet key = Streams.x264Baseline().get(0);
        try (BytePointer native_ = new BytePointer(key.data())) {
            session.streamVideo(VideoFrame.encoded(native_.address(), Streams.W, Streams.H, key.data().length));
            session.streamVideo(au(Streams.x264Baseline().get(1))); // returns once the first is no longer read
        }
        await(() -> transport.sent.size() >= 2, "2 frames sent");
        assertArrayEquals(key.data(), transport.sent.get(0).data());
    }

    @Test
    void aStreamThatStartsWithoutAKeyframeIsRefusedUntilOneComes() throws Exception {
        start(VideoInput.H264);
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(au(Streams.x264Baseline().get(1))));
        assertEquals("keyframe", e.field());
        assertTrue(e.getMessage().contains("SPS, PPS, IDR"), e.getMessage());
        session.streamVideo(au(Streams.x264Baseline().get(0)));
        await(() -> transport.sent.size() == 1, "the key frame sent");
        assertEquals(1, session.health().counters().framesRefused());
    }

    @Test
    void anotherCodecsAccessUnitIsRefusedNamingBoth() {
        start(VideoInput.H264);
        InvalidFrameException h265 = assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(au(Streams.x265().get(0))));
        assertEquals("codec", h265.field());
        assertTrue(h265.getMessage().contains("H265") && h265.getMessage().contains("H264"), h265.getMessage());
        InvalidFrameException av1 = assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(au(Streams.av1().get(0))));
        assertTrue(av1.getMessage().contains("AV1") && av1.getMessage().contains("H264"), av1.getMessage());
        assertTrue(transport.sent.isEmpty());
    }

    @Test
    void annexBIntoAnAv1SessionIsRefusedNamingBoth() {
        start(VideoInput.AV1);
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(au(Streams.x264Baseline().get(0))));
        assertEquals("codec", e.field());
        assertTrue(e.getMessage().contains("H264") && e.getMessage().contains("AV1"), e.getMessage());
    }

    @Test
    void aPixelFrameIntoABitstreamSessionIsRefusedNamingBoth() {
        start(VideoInput.H264);
        ByteBuffer bgra = ByteBuffer.allocate(Streams.W * Streams.H * 4);
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(VideoFrame.hostBuffer(bgra, Streams.W, Streams.H, Streams.W * 4)));
        assertEquals("kind", e.field());
        assertTrue(e.getMessage().contains("HOST_BGRA") && e.getMessage().contains("H264"), e.getMessage());
    }

    @Test
    void badUnitsAreRefusedNamingTheFieldAndTheLastGoodPictureStays() throws Exception {
        start(VideoInput.H264);
        List<TestEncoder.Packet> packets = Streams.x264Baseline();
        session.streamVideo(au(packets.get(0)));
        byte[] noStartCode = Arrays.copyOfRange(packets.get(1).data(), 4, packets.get(1).data().length);
        assertEquals("startCode", assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(VideoFrame.encoded(ByteBuffer.wrap(noStartCode), Streams.W, Streams.H,
                        noStartCode.length))).field());
        assertEquals("sizeBytes", assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(VideoFrame.encoded(ByteBuffer.wrap(noStartCode), Streams.W, Streams.H, 0))).field());
        assertEquals("sizeBytes", assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(VideoFrame.encoded(ByteBuffer.wrap(noStartCode), Streams.W, Streams.H,
                        noStartCode.length + 1))).field(), "a size larger than the buffer");
        ByteBuffer huge = ByteBuffer.allocate(50 << 20);
        huge.put(packets.get(1).data()).clear();
        InvalidFrameException tooBig = assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(VideoFrame.encoded(huge, Streams.W, Streams.H, 50 << 20)));
        assertEquals("size", tooBig.field());
        InvalidFrameException otherSize = assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(au(Streams.first(TestEncoder.x264Baseline(), 640, 480))));
        assertEquals("width", otherSize.field());
        assertTrue(otherSize.getMessage().contains("640x480") && otherSize.getMessage().contains("320x240"),
                otherSize.getMessage());
        session.streamVideo(au(packets.get(1))); // the stream goes on where it was
        await(() -> transport.sent.size() >= 2, "2 frames sent");
        assertArrayEquals(packets.get(1).data(), transport.sent.get(1).data());
        assertEquals(3, session.health().counters().framesRefused(),
                "refused by the server; the two size errors were refused by VideoFrame.encoded before it");
    }

    @Test
    void bFramesAreRefusedWithTheReason() {
        start(VideoInput.H264);
        List<TestEncoder.Packet> withB = Streams.x264High();
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> session.streamVideo(au(withB.get(0))));
        assertTrue(e.field().equals("maxReorderFrames") || e.field().equals("slice_type"), e.field());
        assertTrue(e.getMessage().contains("B-frames"), e.getMessage());
    }

    @Test
    void aStalledProducersLastKeyframeIsResentStartOnlyAndItsNextPFrameStillGoesOut() throws Exception {
        start(VideoInput.H264);
        List<TestEncoder.Packet> packets = Streams.x264Baseline(); // keys at 0 and 4
        for (int i = 0; i < 3; i++) {
            session.streamVideo(au(packets.get(i)));
        }
        await(() -> transport.sent.size() == 3, "3 frames sent");
        Thread.sleep(500);
        assertEquals(3, transport.sent.size(), "between units (and for the first second of silence) nothing is sent");
        await(() -> transport.sent.size() >= 5, "two start-only re-sends during a 2 s stall");
        Capture.Sent resend = transport.sent.get(3);
        assertTrue(resend.keyframe() && resend.repeat() && resend.startOnly(), "a start-only key frame");
        assertArrayEquals(packets.get(0).data(), resend.data(), "x264 puts SPS/PPS in its key frame: sent as it was");
        session.streamVideo(au(packets.get(3))); // a P-frame: the viewers that decode hold its references
        await(() -> transport.sent.stream().anyMatch(s -> Arrays.equals(s.data(), packets.get(3).data())), "the P-frame");
        assertFalse(transport.sent.get(transport.sent.size() - 1).startOnly());
    }

    @Test
    void aViewerAskingDuringAStallGetsTheLastKeyframeAtOnce() throws Exception {
        start(VideoInput.H264);
        session.streamVideo(au(Streams.x264Baseline().get(0)));
        session.streamVideo(au(Streams.x264Baseline().get(1)));
        await(() -> transport.sent.size() == 2, "2 frames sent");
        await(() -> transport.sent.size() == 3, "the first start-only re-send after 1 s of silence");
        long t0 = System.nanoTime();
        transport.context.requestKeyframe(); // a viewer joins
        await(() -> transport.sent.size() == 4, "a re-send for the viewer");
        assertTrue(System.nanoTime() - t0 < 700_000_000L, "at once, not at the next second");
        assertTrue(transport.sent.get(3).startOnly());
    }

    @Test
    void aViewerAskingForAKeyframeReachesTheProducerRateLimited() throws Exception {
        start(VideoInput.H264);
        AtomicInteger requests = new AtomicInteger();
        session.onKeyframeRequest(requests::incrementAndGet);
        for (int i = 0; i < 10; i++) {
            transport.context.requestKeyframe();
        }
        assertEquals(1, requests.get(), "ten requests at once are one call");
        Thread.sleep(700); // past the interval: the held-back request goes out at a tick
        assertEquals(2, requests.get());
        StreamDescription d = transport.context.stream();
        assertEquals(Codec.H264, d.codec());
    }
}
