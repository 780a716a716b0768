package io.framewire.runtime;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Test doubles for the SPI. */
final class Fakes {
    private Fakes() {
    }

    static ServerConfig config(int width, int height, int fps) {
        return ServerConfig.builder().width(width).height(height).fps(fps).build();
    }

    /** A host BGRA frame of one colour (0xAARRGGBB). */
    static VideoFrame solid(int width, int height, int argb) {
        ByteBuffer pixels = ByteBuffer.allocateDirect(width * height * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < width * height; i++) {
            pixels.putInt(argb); // little-endian int 0xAARRGGBB is B, G, R, A in memory
        }
        pixels.flip();
        return VideoFrame.hostBuffer(pixels, width, height, width * 4);
    }

    /** Returns a solid frame of a settable colour; counts calls. */
    static final class SolidSource implements FrameSource {
        volatile int argb;
        final AtomicInteger calls = new AtomicInteger();

        SolidSource(int argb) {
            this.argb = argb;
        }

        @Override
        public VideoFrame render(FrameRequest request) {
            calls.incrementAndGet();
            return solid(request.width(), request.height(), argb);
        }
    }

    /** One sent frame: what the transport got and when. */
    record Sent(long nanos, int centrePixel, boolean repeat, boolean keyframe, long frameNumber) {
    }

    /** Records frames with their arrival time, and messages. */
    static final class RecordingTransport implements Transport {
        final List<Sent> frames = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> messagePeers = new CopyOnWriteArrayList<>();
        volatile TransportContext context;
        volatile boolean stopped;

        @Override
        public void start(TransportContext ctx) {
            context = ctx;
        }

        @Override
        public void send(EncodedFrame frame) {
            ByteBuffer data = frame.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            frames.add(new Sent(System.nanoTime(), data.getInt(0), frame.repeat(), frame.keyframe(), frame.frameNumber()));
        }

        @Override
        public void sendMessage(String peerId, String json) {
            messagePeers.add(String.valueOf(peerId));
            messages.add(json);
        }

        @Override
        public int peerCount() {
            return 0;
        }

        @Override
        public void stop() {
            stopped = true;
        }

        int lastCentrePixel() {
            return frames.get(frames.size() - 1).centrePixel();
        }
    }

    /** Encodes a frame as its centre pixel, like the null encoder plugin. */
    static final class CentrePixelEncoder implements Encoder {
        private volatile int centre;
        volatile boolean closed;

        @Override
        public String codec() {
            return "RAW";
        }

        @Override
        public void submit(VideoFrame frame) {
            ByteBuffer p = frame.hostBuffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            centre = p.getInt(p.position() + frame.pitchBytes() * (frame.height() / 2) + frame.width() / 2 * 4);
        }

        @Override
        public EncodedFrame encode(long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) {
            ByteBuffer data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, centre);
            return new EncodedFrame("RAW", data, frameNumber, ptsMicros, keyframe, repeat);
        }

        @Override
        public void requestKeyframe() {
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A factory for {@link CentrePixelEncoder}s with settable traits. */
    static class FakeEncoderFactory implements EncoderFactory {
        final String codec;
        final boolean hardware;
        final String unavailable;
        final List<CentrePixelEncoder> made = new CopyOnWriteArrayList<>();

        FakeEncoderFactory() {
            this("RAW", false, null);
        }

        FakeEncoderFactory(String codec, boolean hardware, String unavailable) {
            this.codec = codec;
            this.hardware = hardware;
            this.unavailable = unavailable;
        }

        @Override
        public Set<VideoInput> inputs() {
            return Set.of(VideoInput.BGRA);
        }

        @Override
        public String codec() {
            return codec;
        }

        @Override
        public boolean hardware() {
            return hardware;
        }

        @Override
        public String unavailableReason() {
            return unavailable;
        }

        @Override
        public Encoder create(ServerConfig config) {
            CentrePixelEncoder e = new CentrePixelEncoder();
            made.add(e);
            return e;
        }
    }

    /** Waits for a condition, failing after the timeout. */
    static void await(String what, long timeoutMillis, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Largest gap between consecutive sends, in nanoseconds, over frames[from..to). */
    static long largestGap(List<Sent> frames, int from, int to) {
        long max = 0;
        for (int i = Math.max(from, 1); i < to; i++) {
            max = Math.max(max, frames.get(i).nanos() - frames.get(i - 1).nanos());
        }
        return max;
    }
}
