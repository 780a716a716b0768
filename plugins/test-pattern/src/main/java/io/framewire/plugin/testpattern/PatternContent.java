package io.framewire.plugin.testpattern;

import java.util.Locale;

/**
 * What {@link TestPatternSource} draws behind the info strip, set by {@code content} in its
 * configuration (PID {@value TestPatternSource#PID}).
 */
public enum PatternContent {
    /** The colour bars: flat colours, about 0.7 Mbit/s at 1080p30 with libx264 (easy content). */
    BARS,
    /**
     * The colour bars under fine luma noise that changes every frame in every tile
     * ({@link NoisyBars}): neither motion search nor intra prediction can predict it, so libx264
     * fills its whole target rate (content that loads a link, for network tests).
     */
    NOISE;

    /**
     * @param value {@code bars} or {@code noise}, any case; null or empty means {@link #BARS}
     * @throws IllegalArgumentException for anything else, naming the value and the choices
     */
    public static PatternContent parse(String value) {
        if (value == null || value.isBlank()) {
            return BARS;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("content=" + value + ": expected bars or noise", e);
        }
    }
}
