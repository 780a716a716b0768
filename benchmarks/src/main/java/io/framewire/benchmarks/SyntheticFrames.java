package io.framewire.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * Host BGRA pictures with real work for an encoder, and small statistics helpers shared by the
 * pipeline and latency benchmarks.
 *
 * <p>Picture {@code t}: colour bars that scroll sideways (16 px per frame), a diagonal gradient that
 * drifts, a bright disc moving on a circle, and low-amplitude noise that is different in every
 * picture (so no two pictures are alike and no macroblock is a plain copy of the previous one).
 */
final class SyntheticFrames {
    /** 75 % colour bars (R, G, B), as the test pattern has them. */
    private static final int[][] BARS = {
        {0xBF, 0xBF, 0xBF}, {0xBF, 0xBF, 0x00}, {0x00, 0xBF, 0xBF}, {0x00, 0xBF, 0x00},
        {0xBF, 0x00, 0xBF}, {0xBF, 0x00, 0x00}, {0x00, 0x00, 0xBF}, {0x20, 0x20, 0x20},
    };

    private SyntheticFrames() {
    }

    /** @return picture {@code t} as a direct, tightly packed BGRA buffer ({@code width * 4} bytes per row) */
    static ByteBuffer picture(int width, int height, int t) {
        ByteBuffer buf = ByteBuffer.allocateDirect(width * 4 * height).order(ByteOrder.LITTLE_ENDIAN);
        IntBuffer px = buf.asIntBuffer();
        int[] row = new int[width];
        long seed = 0x9E3779B97F4A7C15L * (t + 1);
        double angle = t * 2 * Math.PI / 60;
        int cx = (int) (width / 2 + width / 4.0 * Math.cos(angle));
        int cy = (int) (height / 2 + height / 4.0 * Math.sin(angle));
        int r2 = (height / 6) * (height / 6);
        int barWidth = width / BARS.length;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                int noise = (int) ((seed >>> 60) & 15) - 8;
                int r;
                int g;
                int b;
                if (y < height * 2 / 3) {
                    int[] c = BARS[Math.floorMod((x + t * 16) / barWidth, BARS.length)];
                    r = c[0];
                    g = c[1];
                    b = c[2];
                } else {
                    int d = (x + y + t * 8) & 511;
                    r = d >> 1;
                    g = 255 - (d >> 1);
                    b = (x * 255) / width;
                }
                int dx = x - cx;
                int dy = y - cy;
                if (dx * dx + dy * dy < r2) {
                    r = 255 - (r >> 2);
                    g = 240 - (g >> 2);
                    b = 64 + (b >> 2);
                }
                row[x] = 0xFF000000 | clamp(r + noise) << 16 | clamp(g + noise) << 8 | clamp(b + noise);
            }
            px.put(row);
        }
        return buf;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    /** @return "mean / p50 / p95" of {@code values} formatted with two decimals */
    static String meanP50P95(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return String.format("mean %7.2f  p50 %7.2f  p95 %7.2f", mean(s), percentile(s, 50), percentile(s, 95));
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** @param sorted ascending values; nearest-rank percentile */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double[] sorted(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    /** @return the 1-minute load average of this machine, from /proc/loadavg (or "?" where there is none) */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }
}
