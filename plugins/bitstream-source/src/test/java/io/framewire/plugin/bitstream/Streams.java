package io.framewire.plugin.bitstream;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The encoded streams shared by the tests, each made once per JVM: 8 frames at 320x240 with forced
 * key frames at 0 and 4 unless the name says otherwise.
 */
public final class Streams {
    public static final int W = 320;
    public static final int H = 240;
    public static final Set<Integer> KEYS = Set.of(0, 4);
    private static final Map<String, List<TestEncoder.Packet>> CACHE = new ConcurrentHashMap<>();

    private Streams() {
    }

    private static List<TestEncoder.Packet> memo(String name, Supplier<List<TestEncoder.Packet>> make) {
        return CACHE.computeIfAbsent(name, k -> make.get());
    }

    public static List<TestEncoder.Packet> x264Baseline() {
        return memo("x264Baseline", () -> TestEncoder.encode(TestEncoder.x264Baseline(), W, H, 8, KEYS));
    }

    public static List<TestEncoder.Packet> x264High() {
        return memo("x264High", () -> TestEncoder.encode(TestEncoder.x264High(2), W, H, 8, KEYS));
    }

    public static List<TestEncoder.Packet> x265() {
        return memo("x265", () -> TestEncoder.encode(TestEncoder.x265(0), W, H, 8, KEYS));
    }

    static List<TestEncoder.Packet> x265Bframes() {
        return memo("x265B", () -> TestEncoder.encode(TestEncoder.x265(2), W, H, 8, Set.of(0)));
    }

    public static List<TestEncoder.Packet> av1() {
        return memo("av1", () -> TestEncoder.encode(TestEncoder.svtav1(), W, H, 8, KEYS));
    }

    /** One key frame of another size. */
    static TestEncoder.Packet first(TestEncoder.Config cfg, int w, int h) {
        return memo(cfg.encoder() + cfg.options() + w + "x" + h,
                () -> TestEncoder.encode(cfg, w, h, 1, Set.of(0))).get(0);
    }
}
