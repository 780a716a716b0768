package io.framewire.plugin.ffmpeg;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Not a test: 1080p per-frame times, side by side in one run, for several encoder settings:
 * BGRA-to-I420 conversion (submit: libswscale), bare encode of the pre-converted I420 (encode), and
 * the full submit + encode. Each iteration submits a new picture (moving content), then encodes it.
 *
 * <pre>
 * cd plugins/ffmpeg-encoder && mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.framewire.plugin.ffmpeg.FfmpegEncoderBenchmark [frames]
 * </pre>
 */
public final class FfmpegEncoderBenchmark {
    private static final int W = 1920;
    private static final int H = 1080;
    private static final int DISTINCT = 12;

    private FfmpegEncoderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int warmup = 20;
        VideoFrame[] pics = new VideoFrame[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            pics[i] = scene(i);
        }
        ServerConfig config = ServerConfig.builder().width(W).height(H).fps(30).bitrateKbps(8000).build();
        Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
        variants.put("x264 ultrafast threads=2 fast_bilinear (default)", Map.of());
        variants.put("x264 ultrafast threads=1 fast_bilinear", Map.of("threads", "1"));
        variants.put("x264 ultrafast threads=2 point", Map.of("scaler", "point"));
        variants.put("x264 superfast threads=2 fast_bilinear", Map.of("preset", "superfast"));
        System.out.printf("1080p BGRA, 8000 kbit/s @30, %d frames (+%d warm-up), %d CPUs, times in ms per frame%n",
                frames, warmup, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-48s | %-26s | %-26s | %-26s | %s%n", "variant", "convert (submit) mean/p50/p95",
                "encode (bare x264) mean/p50/p95", "full submit+encode mean/p50/p95", "avg KiB/frame");
        for (Map.Entry<String, Map<String, Object>> v : variants.entrySet()) {
            Libx264EncoderFactory factory = new Libx264EncoderFactory(v.getValue());
            double[] conv = new double[frames];
            double[] enc = new double[frames];
            double[] full = new double[frames];
            long bytes = 0;
            try (FfmpegEncoder e = (FfmpegEncoder) factory.create(config)) {
                for (int i = -warmup; i < frames; i++) {
                    VideoFrame pic = pics[Math.floorMod(i, DISTINCT)];
                    long t0 = System.nanoTime();
                    e.submit(pic);
                    long t1 = System.nanoTime();
                    EncodedFrame out = e.encode(i, i * 33_333L, false, false);
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        conv[i] = (t1 - t0) / 1e6;
                        enc[i] = (t2 - t1) / 1e6;
                        full[i] = (t2 - t0) / 1e6;
                        bytes += out == null ? 0 : out.data().remaining();
                    }
                }
            }
            System.out.printf("%-48s | %-30s | %-30s | %-30s | %.1f%n", v.getKey(), stats(conv), stats(enc), stats(full),
                    bytes / 1024.0 / frames);
        }
    }

    private static String stats(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        return String.format("%6.2f / %6.2f / %6.2f", mean, s[s.length / 2], s[(int) (s.length * 0.95)]);
    }

    /** A textured picture with moving bars, so each frame has real work for the encoder. */
    private static VideoFrame scene(int t) {
        int pitch = W * 4;
        ByteBuffer buf = ByteBuffer.allocateDirect(pitch * H);
        long seed = 12345;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                int noise = (int) ((seed >>> 59) & 15);
                int xs = x + t * 16;
                int r = ((xs >> 5) & 1) == 0 ? 40 + (x * 160 / W) : 200;
                int g = (y * 255 / H);
                int b = ((((xs + y) >> 6) & 1) == 0 ? 60 : 180);
                int o = y * pitch + x * 4;
                buf.put(o, (byte) Math.min(255, b + noise)).put(o + 1, (byte) Math.min(255, g + noise))
                        .put(o + 2, (byte) Math.min(255, r + noise)).put(o + 3, (byte) 255);
            }
        }
        return VideoFrame.hostBuffer(buf, W, H, pitch);
    }
}
