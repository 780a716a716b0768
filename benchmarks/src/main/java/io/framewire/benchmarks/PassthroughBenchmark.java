package io.framewire.benchmarks;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import io.framewire.plugin.bitstream.AccessUnit;
import io.framewire.plugin.bitstream.BitstreamPassthroughFactory;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.runtime.StreamSession;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What a pre-encoded frame costs its producer: the return time of {@code streamVideo()} for 1080p
 * H.264 access units in a passthrough session, side by side in one run with the same pictures as
 * host BGRA through libx264 (the pixel path), both paced at the session's fps with a counting
 * transport. Also the parse alone ({@code AccessUnit.analyze}) and a producer pushing as fast as it
 * can (the passthrough holds it to the session's fps: every unit must reach the transport).
 *
 * <pre>java ... io.framewire.benchmarks.PassthroughBenchmark [frames=600] [fps=30]</pre>
 */
public final class PassthroughBenchmark {
    private static final int W = 1920;
    private static final int H = 1080;
    private static final int GOP = 30;

    private PassthroughBenchmark() {
    }

    /** Counts what would go to the network. */
    static final class Counting implements Transport {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void start(TransportContext context) {
        }

        @Override
        public void send(EncodedFrame frame) {
            frames.incrementAndGet();
            bytes.addAndGet(frame.data().remaining());
        }

        @Override
        public void sendMessage(String peerId, OutgoingMessage message) {
        }

        @Override
        public void stop() {
        }

        @Override
        public int peerCount() {
            return 1;
        }
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int fps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        System.out.printf("PassthroughBenchmark: %d frames %dx%d @%d fps, H.264 key frame every %d; load %s; %s %s%n",
                frames, W, H, fps, GOP, SyntheticFrames.loadAverage(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        ByteBuffer[] bgra = new ByteBuffer[GOP];
        for (int i = 0; i < GOP; i++) {
            bgra[i] = SyntheticFrames.picture(W, H, i);
        }
        ServerConfig pixels = ServerConfig.builder().width(W).height(H).fps(fps).build();
        ByteBuffer[] units = encode(pixels, bgra, frames);
        long total = 0;
        for (ByteBuffer u : units) {
            total += u.remaining();
        }
        System.out.printf("access units made by libx264 (plugin settings): %d, mean %.1f KiB, key frame %.1f KiB%n",
                units.length, total / 1024.0 / units.length, units[0].remaining() / 1024.0);

        double[] parse = new double[units.length];
        for (int r = 0; r < 3; r++) { // the last of 3 rounds: warmed up
            for (int i = 0; i < units.length; i++) {
                long t0 = System.nanoTime();
                AccessUnit.analyze(units[i], Codec.H264);
                parse[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        System.out.printf("(p) AccessUnit.analyze alone            : %s µs%n", stats(parse));

        ServerConfig passthrough = pixels.toBuilder().videoInput(VideoInput.H264).build();
        Result pt = run(passthrough, new BitstreamPassthroughFactory.H264(), i -> VideoFrame.encoded(units[i],
                W, H, units[i].remaining()), units.length, fps, true);
        Result px = run(pixels, new Libx264EncoderFactory(), i -> VideoFrame.hostBuffer(bgra[i % GOP], W, H, W * 4),
                units.length, fps, true);
        Result flood = run(passthrough, new BitstreamPassthroughFactory.H264(), i -> VideoFrame.encoded(units[i],
                W, H, units[i].remaining()), units.length, fps, false);
        System.out.printf("(a) passthrough streamVideo() @%d fps   : %s µs; sent %d of %d%n", fps, stats(pt.micros),
                pt.sent, units.length);
        System.out.printf("(b) BGRA + libx264 streamVideo() @%d fps: %s µs; sent %d (%d repeated)%n", fps,
                stats(px.micros), px.sent, px.repeated);
        System.out.printf("(c) passthrough, producer unpaced       : %s µs; %.1f units/s reach the transport (fps %d)%n",
                stats(flood.micros), flood.sent / flood.seconds, fps);
        System.out.printf("ratio p50 (b)/(a): %.1fx; p99 (b)/(a): %.1fx%n",
                SyntheticFrames.percentile(SyntheticFrames.sorted(px.micros), 50)
                        / SyntheticFrames.percentile(SyntheticFrames.sorted(pt.micros), 50),
                SyntheticFrames.percentile(SyntheticFrames.sorted(px.micros), 99)
                        / SyntheticFrames.percentile(SyntheticFrames.sorted(pt.micros), 99));
    }

    private static ByteBuffer[] encode(ServerConfig config, ByteBuffer[] bgra, int frames) throws Exception {
        ByteBuffer[] out = new ByteBuffer[frames];
        Encoder encoder = new Libx264EncoderFactory().create(config);
        try {
            for (int i = 0; i < frames; i++) {
                encoder.submit(VideoFrame.hostBuffer(bgra[i % GOP], W, H, W * 4));
                EncodedFrame f = encoder.encode(i, i * 1_000_000L / config.fps(), i % GOP == 0, false);
                ByteBuffer copy = ByteBuffer.allocateDirect(f.data().remaining());
                copy.put(f.data().duplicate()).flip();
                out[i] = copy;
            }
        } finally {
            encoder.close();
        }
        return out;
    }

    private record Result(double[] micros, long sent, long repeated, double seconds) {
    }

    private static Result run(ServerConfig config, io.framewire.api.spi.EncoderFactory factory,
                              java.util.function.IntFunction<VideoFrame> frame, int frames, int fps, boolean paced) {
        Counting transport = new Counting();
        double[] micros = new double[frames];
        long interval = TimeUnit.SECONDS.toNanos(1) / fps;
        long start;
        long end;
        try (StreamSession session = StreamSession.builder(config).noSource().encoder("bench", factory)
                .transport("counting", transport).start()) {
            start = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                if (paced) {
                    long due = start + i * interval;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                }
                VideoFrame f = frame.apply(i);
                long t0 = System.nanoTime();
                session.streamVideo(f);
                micros[i] = (System.nanoTime() - t0) / 1e3;
            }
            LockSupport.parkNanos(3 * interval); // the last one leaves
            end = System.nanoTime();
            return new Result(micros, transport.frames.get(), session.health().counters().framesRepeated(),
                    (end - start) / 1e9);
        }
    }

    private static String stats(double[] values) {
        double[] s = SyntheticFrames.sorted(values);
        return String.format("p50 %.1f, p99 %.1f, max %.1f", SyntheticFrames.percentile(s, 50),
                SyntheticFrames.percentile(s, 99), s[s.length - 1]);
    }
}
