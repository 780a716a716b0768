package io.framewire.benchmarks;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.FrameRequest;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.plugin.testpattern.PatternContent;
import io.framewire.plugin.testpattern.SceneHolder;
import io.framewire.plugin.testpattern.TestPatternSource;

import java.util.Arrays;
import java.util.Locale;

/**
 * The encoded rate of the test pattern's contents (see README.md): for each content ({@code bars},
 * {@code noise}) and each target bitrate, renders {@code seconds x fps} frames at 1920x1080 with
 * {@link TestPatternSource} and encodes them with the libx264 plugin ({@link Libx264EncoderFactory}
 * defaults: ultrafast, zerolatency, CBR with a one-frame VBV, infinite GOP), as fast as it can (the
 * rate is computed from the frame count at the nominal fps, not from wall time). Prints the encoded
 * rate against the target, frame sizes, and the render and encode time per frame.
 *
 * <pre>
 * java -cp ... io.framewire.benchmarks.TestPatternRateBenchmark [seconds=10] [kbps,kbps,...=8000,3000,1500]
 * </pre>
 */
public final class TestPatternRateBenchmark {
    private static final int W = 1920;
    private static final int H = 1080;
    private static final int FPS = 30;
    /** Frames not counted at the start: the key frame and the rate control's settling. */
    private static final int WARMUP = FPS;

    private TestPatternRateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[] targets = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[]{8000, 3000, 1500};
        System.out.printf(Locale.ROOT, "TestPatternRateBenchmark: %dx%d @%d fps, libx264 plugin defaults, %d s (%d frames) per run"
                        + " after %d warm-up frames, %d CPUs, load average %s%n", W, H, FPS, seconds, seconds * FPS, WARMUP,
                Runtime.getRuntime().availableProcessors(), SyntheticFrames.loadAverage());
        for (int kbps : targets) {
            for (PatternContent content : PatternContent.values()) {
                run(content, kbps, seconds * FPS);
            }
        }
    }

    private static void run(PatternContent content, int kbps, int frames) throws Exception {
        TestPatternSource source = new TestPatternSource(new SceneHolder(), content);
        ServerConfig config = ServerConfig.builder().width(W).height(H).fps(FPS).bitrateKbps(kbps).build();
        Encoder encoder = new Libx264EncoderFactory().create(config);
        double[] sizes = new double[frames];
        double renderMs = 0;
        double encodeMs = 0;
        long bytes = 0;
        try {
            for (int i = -WARMUP; i < frames; i++) {
                int n = i + WARMUP;
                long t0 = System.nanoTime();
                VideoFrame frame = source.render(new FrameRequest(W, H, n, n * 1_000_000L / FPS));
                long t1 = System.nanoTime();
                encoder.submit(frame);
                EncodedFrame out = encoder.encode(n, n * 1_000_000L / FPS, n == 0, false);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    int size = out.data().remaining();
                    sizes[i] = size;
                    bytes += size;
                    renderMs += (t1 - t0) / 1e6;
                    encodeMs += (t2 - t1) / 1e6;
                }
            }
        } finally {
            encoder.close();
        }
        double rate = bytes * 8.0 / ((double) frames / FPS) / 1000;
        double[] s = SyntheticFrames.sorted(sizes);
        System.out.printf(Locale.ROOT, "target %5d kbit/s, content %-5s: encoded %7.0f kbit/s (%5.1f %% of target);"
                        + " frame bytes p50 %6.0f p95 %6.0f max %6.0f; per frame: render %.2f ms, convert + encode %.2f ms%n",
                kbps, content.name().toLowerCase(Locale.ROOT), rate, 100 * rate / kbps, SyntheticFrames.percentile(s, 50),
                SyntheticFrames.percentile(s, 95), s[s.length - 1], renderMs / frames, encodeMs / frames);
    }
}
