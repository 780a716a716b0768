package io.framewire.examples;

import io.framewire.api.HealthReport;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.runtime.StreamSession;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A producer with its own encoder, as a renderer with NVENC, a camera or a cloud encoder would be:
 * it encodes its pictures to H.264 itself and pushes each access unit with
 * {@code streamVideo(VideoFrame.encoded(...))} into a session started with
 * {@code videoInput=H264}. The server passes them through without re-encoding.
 *
 * <p>The producer's encoder here is libx264 through Framewire's FFmpeg plugin (a stand-in for
 * whatever encoder the producer has): zero-latency, no B-frames, a key frame every 2 s. It answers
 * the server's key-frame requests (a browser joined or lost packets) by making its next frame a
 * key frame.
 *
 * <pre>
 * java -cp ... io.framewire.examples.BitstreamStreamingExample [seconds (0 = until Ctrl-C)] [width height fps]
 * </pre>
 */
public final class BitstreamStreamingExample {
    private BitstreamStreamingExample() {
    }

    public static void main(String[] args) throws Exception {
        ExampleServer.Args a = ExampleServer.Args.parse(args);
        ServerConfig pixels = a.config().build();
        ServerConfig config = a.config().videoInput(VideoInput.H264).build();
        int width = a.width();
        int height = a.height();
        ByteBuffer bgra = ByteBuffer.allocateDirect(width * height * 4);
        AtomicBoolean keyframeWanted = new AtomicBoolean(true);
        long interval = TimeUnit.SECONDS.toNanos(1) / a.fps();
        try (Encoder producerEncoder = new Libx264EncoderFactory().create(pixels);
             StreamSession server = ExampleServer.startPassthrough(config);
             AutoCloseable listening = server.onKeyframeRequest(() -> keyframeWanted.set(true))) {
            System.out.println("Streaming pre-encoded H.264 access units (passthrough)");
            long start = System.nanoTime();
            long bytes = 0;
            int frame = 0;
            for (; a.seconds() == 0 || System.nanoTime() - start < TimeUnit.SECONDS.toNanos(a.seconds()); frame++) {
                draw(bgra, width, height, frame);
                producerEncoder.submit(VideoFrame.hostBuffer(bgra, width, height, width * 4));
                boolean key = keyframeWanted.getAndSet(false) || frame % (2 * a.fps()) == 0;
                EncodedFrame unit = producerEncoder.encode(frame, frame * interval / 1000, key, false);
                if (unit != null) {
                    // The encoder's buffer stays valid until its next encode(): the next streamVideo()
                    // has returned by then, which is all the server asks of the caller.
                    server.streamVideo(VideoFrame.encoded(unit.data(), width, height, unit.data().remaining()));
                    bytes += unit.data().remaining();
                }
                long due = start + (frame + 1) * interval;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
            }
            HealthReport h = server.health();
            System.out.printf("Pushed %d access units (%.1f KiB mean); server sent %d, refused %d, key-frame requests %s%n",
                    frame, bytes / 1024.0 / Math.max(1, frame), h.counters().framesSent(),
                    h.counters().framesRefused(), keyframeWanted.get() ? "pending" : "answered");
        }
    }

    /** A moving gradient with a white bar that sweeps across: motion every frame, cheap to draw. */
    private static void draw(ByteBuffer bgra, int width, int height, int frame) {
        int bar = (frame * 8) % width;
        for (int y = 0; y < height; y++) {
            int row = y * width * 4;
            for (int x = 0; x < width; x++) {
                boolean white = x >= bar && x < bar + 16;
                int i = row + x * 4;
                bgra.put(i, (byte) (white ? 255 : (x + frame) & 0xff));
                bgra.put(i + 1, (byte) (white ? 255 : y & 0xff));
                bgra.put(i + 2, (byte) (white ? 255 : 128));
                bgra.put(i + 3, (byte) 255);
            }
        }
    }
}
