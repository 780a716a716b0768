package io.framewire.plugin.ffmpeg;

import static org.bytedeco.ffmpeg.global.swscale.SWS_FAST_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_POINT;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tunables of one encoder factory, read from its component configuration (all optional):
 * <ul>
 *   <li>{@code preset}: e.g. {@code ultrafast} or {@code superfast} (x264/x265), {@code 12} (SVT-AV1), {@code p1} (NVENC);</li>
 *   <li>{@code tune}: e.g. {@code zerolatency} (x264/x265), {@code ull} (NVENC); {@code none} for no tune;</li>
 *   <li>{@code profile}: e.g. {@code baseline}, {@code main}, {@code high}; {@code none} for the encoder's default;</li>
 *   <li>{@code threads}: encoder threads (x264 slices, x265 pool size, SVT-AV1 level of parallelism), default 2;</li>
 *   <li>{@code scaler}: {@code fast_bilinear} (default) or {@code point}, the libswscale BGRA-to-I420 mode;</li>
 *   <li>{@code options}: extra encoder private options, {@code key=value;key=value} (values may hold ':' and '=').</li>
 * </ul>
 */
public record EncoderSettings(String preset, String tune, String profile, int threads, int swsFlags,
                              Map<String, String> options) {

    /** Default threads: 2 (measured on 2 cores: sliced threads halve x264 time per frame at 1080p). */
    public static final int DEFAULT_THREADS = 2;

    public EncoderSettings {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** @return the defaults of {@code spec} */
    public static EncoderSettings defaults(CodecSpec spec) {
        return from(spec, Map.of());
    }

    /**
     * @return the settings configured in {@code props} over the defaults of {@code spec}
     * @throws IllegalArgumentException naming the property that is malformed
     */
    public static EncoderSettings from(CodecSpec spec, Map<String, ?> props) {
        String preset = text(props, "preset", spec.defaultPreset());
        String tune = text(props, "tune", spec.defaultTune());
        String profile = text(props, "profile", spec.defaultProfile());
        int threads = DEFAULT_THREADS;
        Object t = props.get("threads");
        if (t != null && !String.valueOf(t).isBlank()) {
            try {
                threads = Integer.parseInt(String.valueOf(t).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("threads=" + t + ": must be an integer in 0..64 (0 = encoder's choice)");
            }
            if (threads < 0 || threads > 64) {
                throw new IllegalArgumentException("threads=" + t + ": must be an integer in 0..64 (0 = encoder's choice)");
            }
        }
        String scaler = text(props, "scaler", "fast_bilinear");
        int sws = switch (scaler) {
            case "fast_bilinear" -> SWS_FAST_BILINEAR;
            case "point" -> SWS_POINT;
            default -> throw new IllegalArgumentException("scaler=" + scaler + ": must be fast_bilinear or point");
        };
        Map<String, String> options = new LinkedHashMap<>();
        String extra = text(props, "options", null);
        if (extra != null) {
            for (String pair : extra.split(";")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("options=" + extra + ": each entry must be key=value, not '" + pair + "'");
                }
                options.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return new EncoderSettings(preset, tune, profile, threads, sws, options);
    }

    /** @return a copy with another preset */
    public EncoderSettings withPreset(String newPreset) {
        return new EncoderSettings(newPreset, tune, profile, threads, swsFlags, options);
    }

    /** @return a copy with another thread count */
    public EncoderSettings withThreads(int newThreads) {
        return new EncoderSettings(preset, tune, profile, newThreads, swsFlags, options);
    }

    private static String text(Map<String, ?> props, String key, String fallback) {
        Object v = props.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            return fallback;
        }
        String s = String.valueOf(v).trim();
        return "none".equals(s) ? null : s;
    }
}
