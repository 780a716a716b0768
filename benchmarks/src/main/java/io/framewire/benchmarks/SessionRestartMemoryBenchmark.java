package io.framewire.benchmarks;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameSource;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.plugin.webrtc.WebRtcTransport;
import io.framewire.runtime.StreamSession;
import org.bytedeco.javacpp.Pointer;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a session restart (a new stream size, as Configuration Admin does it) leaves behind in
 * native memory: one WebRTC transport restarted with each new session, libx264, a test-pattern-like
 * source, sizes alternating 1920x1080 / 1280x720. After each restart it prints the process's
 * resident memory, the JDK's direct buffers and JavaCPP's native bytes, without a GC; at the end the
 * same after {@code System.gc()}. Growth that a GC takes back is memory released by finalisation
 * (Cleaners), not deterministically.
 *
 * <pre>java -cp ... io.framewire.benchmarks.SessionRestartMemoryBenchmark [restarts] [seconds per session]</pre>
 */
public final class SessionRestartMemoryBenchmark {
    private SessionRestartMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int restarts = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        WebRtcTransport transport = new WebRtcTransport(WebRtcTransport.defaultSettings("restart-benchmark-token-0123",
                "127.0.0.1", 0));
        System.out.printf("%-8s %-10s %10s %10s %10s%n", "restart", "size", "rss MiB", "direct MiB", "javacpp MiB");
        // the producer's pictures, drawn once: what remains is what the server allocates per restart
        ByteBuffer large = SyntheticFrames.picture(1920, 1080, 0);
        ByteBuffer small = SyntheticFrames.picture(1280, 720, 0);
        double[] first = null;
        double[] last = null;
        for (int i = 0; i <= restarts; i++) {
            int w = i % 2 == 0 ? 1920 : 1280;
            int h = i % 2 == 0 ? 1080 : 720;
            ServerConfig config = ServerConfig.builder().width(w).height(h).fps(30).build();
            ByteBuffer pixels = i % 2 == 0 ? large : small;
            FrameSource source = request -> VideoFrame.hostBuffer(pixels, w, h, w * 4);
            try (StreamSession session = StreamSession.builder(config).source("bars", source)
                    .encoder("libx264", new Libx264EncoderFactory()).transport("webrtc", transport).start()) {
                Thread.sleep((long) (seconds * 1000));
            }
            double[] now = measure();
            System.out.printf("%-8d %-10s %10.1f %10.1f %10.1f%n", i, w + "x" + h, now[0], now[1], now[2]);
            if (i == 1) {
                first = now; // after one restart of each size: pools and caches are warm
            }
            last = now;
        }
        System.gc();
        Thread.sleep(500);
        double[] collected = measure();
        System.out.printf("after System.gc(): rss %.1f MiB, direct %.1f MiB, javacpp %.1f MiB%n",
                collected[0], collected[1], collected[2]);
        int counted = restarts - 1;
        System.out.printf("per restart, from restart 1 to %d without a GC: rss %+.2f MiB, direct %+.2f MiB, javacpp %+.2f MiB%n",
                restarts, (last[0] - first[0]) / counted, (last[1] - first[1]) / counted, (last[2] - first[2]) / counted);
        System.out.printf("taken back by the GC: rss %.1f MiB, direct %.1f MiB, javacpp %.1f MiB%n",
                last[0] - collected[0], last[1] - collected[1], last[2] - collected[2]);
    }

    /** @return resident MiB, direct-buffer MiB, JavaCPP native MiB */
    private static double[] measure() throws Exception {
        long rssKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct = pool.getMemoryUsed();
            }
        }
        return new double[]{rssKb / 1024.0, direct / 1048576.0, Pointer.totalBytes() / 1048576.0};
    }
}
