package io.framewire.api;

import java.util.Objects;

/**
 * The settings of one streaming session, fixed when the server starts. Build with
 * {@link #builder()}; {@link Builder#build()} validates every field and names the one that is wrong.
 *
 * <p>Width, height and {@link VideoInput} are fixed for the session (no live resize: a new size is
 * a new session). Fps and bitrate can change while streaming.
 */
public final class ServerConfig {
    /** Which encoder kind to prefer when several can take the input. */
    public enum EncoderPreference {
        /** Hardware when the GPU has an encoder, else software. */
        AUTO,
        /** Hardware only; starting fails with a clear message when none exists. */
        HARDWARE,
        /** Software only. */
        SOFTWARE
    }

    private final int width;
    private final int height;
    private final VideoInput videoInput;
    private final int fps;
    private final int bitrateKbps;
    private final EncoderPreference encoderPreference;

    private ServerConfig(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.videoInput = b.videoInput;
        this.fps = b.fps;
        this.bitrateKbps = b.bitrateKbps;
        this.encoderPreference = b.encoderPreference;
    }

    /** @return a builder with the {@link Defaults}: 1920x1080 BGRA at 30 fps, 8000 kbit/s, AUTO */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder preset with this config's values */
    public Builder toBuilder() {
        return new Builder().width(width).height(height).videoInput(videoInput).fps(fps).bitrateKbps(bitrateKbps)
                .encoderPreference(encoderPreference);
    }

    /** @return stream width in pixels (even) */
    public int width() { return width; }

    /** @return stream height in pixels (even) */
    public int height() { return height; }

    /** @return the kind of frames this session takes */
    public VideoInput videoInput() { return videoInput; }

    /** @return frames per second the scheduler paces at */
    public int fps() { return fps; }

    /** @return the frame interval in nanoseconds */
    public long frameIntervalNanos() { return 1_000_000_000L / fps; }

    /** @return target bitrate in kbit/s */
    public int bitrateKbps() { return bitrateKbps; }

    /** @return hardware/software encoder preference */
    public EncoderPreference encoderPreference() { return encoderPreference; }

    /**
     * The one "needs restart" rule: size and input are fixed for a session; everything else
     * (fps, bitrate, encoder preference) changes while streaming.
     *
     * @return whether two configs describe the same stream (size, input): if not, a new session is needed
     */
    public boolean sameStream(ServerConfig other) {
        return other != null && width == other.width && height == other.height && videoInput == other.videoInput;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerConfig c && sameStream(c) && fps == c.fps && bitrateKbps == c.bitrateKbps
                && encoderPreference == c.encoderPreference;
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, videoInput, fps, bitrateKbps, encoderPreference);
    }

    @Override
    public String toString() {
        return "ServerConfig[" + width + "x" + height + " " + videoInput + " @" + fps + "fps " + bitrateKbps
                + "kbps encoder=" + encoderPreference + "]";
    }

    /** Collects and validates the settings. */
    public static final class Builder {
        private int width = Defaults.WIDTH;
        private int height = Defaults.HEIGHT;
        private VideoInput videoInput = VideoInput.valueOf(Defaults.VIDEO_INPUT);
        private int fps = Defaults.FPS;
        private int bitrateKbps = Defaults.BITRATE_KBPS;
        private EncoderPreference encoderPreference = EncoderPreference.valueOf(Defaults.ENCODER_PREFERENCE);

        private Builder() {
        }

        /** @param width stream width, even, {@value Defaults#MIN_SIDE}..{@value Defaults#MAX_SIDE} */
        public Builder width(int width) { this.width = width; return this; }

        /** @param height stream height, even, {@value Defaults#MIN_SIDE}..{@value Defaults#MAX_SIDE} */
        public Builder height(int height) { this.height = height; return this; }

        /** @param videoInput kind of frames the session takes */
        public Builder videoInput(VideoInput videoInput) { this.videoInput = videoInput; return this; }

        /** @param fps frames per second, {@value Defaults#MIN_FPS}..{@value Defaults#MAX_FPS} */
        public Builder fps(int fps) { this.fps = fps; return this; }

        /** @param bitrateKbps target bitrate, {@value Defaults#MIN_BITRATE_KBPS}..{@value Defaults#MAX_BITRATE_KBPS} kbit/s */
        public Builder bitrateKbps(int bitrateKbps) { this.bitrateKbps = bitrateKbps; return this; }

        /** @param preference hardware/software encoder preference */
        public Builder encoderPreference(EncoderPreference preference) { this.encoderPreference = preference; return this; }

        /**
         * @return the validated config
         * @throws InvalidFrameException naming the field and the value that is out of range
         */
        public ServerConfig build() {
            checkSide("width", width);
            checkSide("height", height);
            if (videoInput == null) {
                throw new InvalidFrameException("videoInput", null, "must be one of " + names(VideoInput.values()));
            }
            if (fps < Defaults.MIN_FPS || fps > Defaults.MAX_FPS) {
                throw new InvalidFrameException("fps", fps, "must be in " + Defaults.MIN_FPS + ".." + Defaults.MAX_FPS);
            }
            if (bitrateKbps < Defaults.MIN_BITRATE_KBPS || bitrateKbps > Defaults.MAX_BITRATE_KBPS) {
                throw new InvalidFrameException("bitrateKbps", bitrateKbps, "must be in " + Defaults.MIN_BITRATE_KBPS
                        + ".." + Defaults.MAX_BITRATE_KBPS);
            }
            if (encoderPreference == null) {
                throw new InvalidFrameException("encoderPreference", null, "must be one of " + names(EncoderPreference.values()));
            }
            return new ServerConfig(this);
        }

        private static String names(Enum<?>[] values) {
            return java.util.Arrays.stream(values).map(Enum::name).collect(java.util.stream.Collectors.joining(", "));
        }

        private static void checkSide(String field, int value) {
            if (value < Defaults.MIN_SIDE || value > Defaults.MAX_SIDE) {
                throw new InvalidFrameException(field, value, "must be in " + Defaults.MIN_SIDE + ".." + Defaults.MAX_SIDE);
            }
            if (value % 2 != 0) {
                throw new InvalidFrameException(field, value, "must be even (4:2:0 chroma subsampling)");
            }
        }
    }
}
