package io.framewire.plugin.dlpack;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import io.framewire.runtime.StreamSession;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static io.framewire.plugin.dlpack.DlpackLayout.KDL_CPU;
import static io.framewire.plugin.dlpack.TestNatives.CountingDeleter.callsFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** kDLCPU tensors streamed through a real runtime session, with the real importer and deleter. */
class DlpackSessionTest {
    private static final int W = 64;
    private static final int H = 48;
    private final Tensors tensors = new Tensors();
    private StreamSession session;

    @BeforeEach
    void forgetCalls() {
        TestNatives.CountingDeleter.CALLS.clear(); // malloc reuses the addresses of earlier tests' tensors
    }

    @AfterEach
    void tearDown() {
        if (session != null) {
            session.close();
        }
        tensors.close();
    }

    /** Takes host BGRA; remembers the centre pixel of each submitted and each encoded picture. */
    static final class CentreEncoder implements Encoder {
        final List<Integer> submitted = new CopyOnWriteArrayList<>();
        final List<Integer> encoded = new CopyOnWriteArrayList<>();
        private volatile int centre;

        @Override
        public Codec codec() {
            return Codec.RAW;
        }

        @Override
        public Set<VideoFrame.Kind> acceptedKinds() {
            return Set.of(VideoFrame.Kind.HOST_BGRA);
        }

        @Override
        public void submit(VideoFrame frame) {
            ByteBuffer p = frame.hostBuffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            centre = p.getInt(p.position() + frame.pitchBytes() * (frame.height() / 2) + frame.width() / 2 * 4);
            submitted.add(centre);
        }

        @Override
        public EncodedFrame encode(long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) {
            int c = centre;
            encoded.add(c);
            ByteBuffer data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, c);
            return new EncodedFrame(Codec.RAW, data, frameNumber, ptsMicros, keyframe, repeat);
        }

        @Override
        public void close() {
        }
    }

    static final class Sink implements Transport {
        final List<EncodedFrame> frames = new CopyOnWriteArrayList<>();

        @Override
        public void start(TransportContext context) {
        }

        @Override
        public void send(EncodedFrame frame) {
            frames.add(frame);
        }

        @Override
        public void sendMessage(String peerId, OutgoingMessage message) {
        }

        @Override
        public int peerCount() {
            return 0;
        }

        @Override
        public void stop() {
        }
    }

    private long cpuTensor(int bgra, VideoFrame.DlpackStruct struct) {
        int pitch = W * 4 + 32;
        BytePointer pixels = tensors.alloc((long) pitch * H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                pixels.putInt((long) y * pitch + x * 4L, bgra); // native order = little-endian on x86-64
            }
        }
        Tensors.Spec spec = tensors.spec().struct(struct);
        spec.deviceType = KDL_CPU;
        spec.data = pixels.address();
        spec.strides = new long[] {pitch, 4, 1};
        return spec.build();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void tensorPixelsReachTheEncoderAndEachDeleterRunsOnceAfterTheNextFrameWasEncoded() throws Exception {
        ServerConfig config = ServerConfig.builder().width(W).height(H).fps(50).videoInput(VideoInput.TENSOR).build();
        CentreEncoder encoder = new CentreEncoder();
        EncoderFactory factory = new EncoderFactory() {
            @Override
            public Set<VideoInput> inputs() {
                return Set.of(VideoInput.TENSOR);
            }

            @Override
            public Codec codec() {
                return Codec.RAW;
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
            public Encoder create(ServerConfig c) {
                return encoder;
            }
        };
        Sink sink = new Sink();
        session = StreamSession.builder(config).noSource().encoder("centre", factory).transport("sink", sink)
                .importer("dlpack", new DlpackImporter()).start();

        int frames = 8;
        List<Long> addresses = new ArrayList<>();
        for (int n = 0; n < frames; n++) {
            int colour = 0xFF000000 | (n + 1) * 0x010203;
            VideoFrame.DlpackStruct struct = n % 2 == 0 ? VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED
                    : VideoFrame.DlpackStruct.MANAGED_TENSOR;
            long address = cpuTensor(colour, struct);
            addresses.add(address);
            session.streamVideo(VideoFrame.fromDlpack(address, struct));
            await("frame " + n + " encoded", () -> encoder.encoded.contains(colour));
            assertTrue(encoder.submitted.contains(colour), "the tensor's pixels reached the encoder");
            assertEquals(0, callsFor(address), "frame " + n + " is the encoder's current picture: not released");
            if (n > 0) {
                assertEquals(1, callsFor(addresses.get(n - 1)),
                        "frame " + (n - 1) + " released once frame " + n + " was streamed and encoded");
            }
        }
        assertTrue(session.isReady());
        session.close();
        session = null;
        int total = 0;
        for (long address : addresses) {
            assertEquals(1, callsFor(address), "every tensor released exactly once");
            total += callsFor(address);
        }
        assertEquals(frames, total, "deleter calls == frames streamed");
    }
}
