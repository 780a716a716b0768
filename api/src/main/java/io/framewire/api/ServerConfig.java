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
    /** Smallest and largest accepted stream side, in pixels. */
    public static final int MIN_SIDE = 16;
    /** Largest accepted stream side: 8K. */
    public static final int MAX_SIDE = 8192;

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
    private final String bindAddress;
    private final int httpPort;

    private ServerConfig(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.videoInput = b.videoInput;
        this.fps = b.fps;
        this.bitrateKbps = b.bitrateKbps;
        this.encoderPreference = b.encoderPreference;
        this.bindAddress = b.bindAddress;
        this.httpPort = b.httpPort;
    }

    /** @return a builder with the defaults: 1920x1080 BGRA at 30 fps, 8000 kbit/s, AUTO, 0.0.0.0:8080 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder preset with this config's values */
    public Builder toBuilder() {
        return new Builder().width(width).height(height).videoInput(videoInput).fps(fps).bitrateKbps(bitrateKbps)
                .encoderPreference(encoderPreference).bindAddress(bindAddress).httpPort(httpPort);
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

    /** @return the address the HTTP server binds */
    public String bindAddress() { return bindAddress; }

    /** @return the HTTP port (web client, signaling, /health); 0 picks a free port */
    public int httpPort() { return httpPort; }

    /** @return whether two configs describe the same stream (size, input): if not, a new session is needed */
    public boolean sameStream(ServerConfig other) {
        return other != null && width == other.width && height == other.height && videoInput == other.videoInput;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerConfig c && sameStream(c) && fps == c.fps && bitrateKbps == c.bitrateKbps
                && encoderPreference == c.encoderPreference && bindAddress.equals(c.bindAddress)
                && httpPort == c.httpPort;
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, videoInput, fps, bitrateKbps, encoderPreference, bindAddress, httpPort);
    }

    @Override
    public String toString() {
        return "ServerConfig[" + width + "x" + height + " " + videoInput + " @" + fps + "fps " + bitrateKbps
                + "kbps encoder=" + encoderPreference + " http=" + bindAddress + ":" + httpPort + "]";
    }

    /** Collects and validates the settings. */
    public static final class Builder {
        private int width = 1920;
        private int height = 1080;
        private VideoInput videoInput = VideoInput.BGRA;
        private int fps = 30;
        private int bitrateKbps = 8000;
        private EncoderPreference encoderPreference = EncoderPreference.AUTO;
        private String bindAddress = "0.0.0.0";
        private int httpPort = 8080;

        private Builder() {
        }

        /** @param width stream width, even, 16..8192 */
        public Builder width(int width) { this.width = width; return this; }

        /** @param height stream height, even, 16..8192 */
        public Builder height(int height) { this.height = height; return this; }

        /** @param videoInput kind of frames the session takes */
        public Builder videoInput(VideoInput videoInput) { this.videoInput = videoInput; return this; }

        /** @param fps frames per second, 1..240 */
        public Builder fps(int fps) { this.fps = fps; return this; }

        /** @param bitrateKbps target bitrate, 100..500000 kbit/s */
        public Builder bitrateKbps(int bitrateKbps) { this.bitrateKbps = bitrateKbps; return this; }

        /** @param preference hardware/software encoder preference */
        public Builder encoderPreference(EncoderPreference preference) { this.encoderPreference = preference; return this; }

        /** @param bindAddress address the HTTP server binds */
        public Builder bindAddress(String bindAddress) { this.bindAddress = bindAddress; return this; }

        /** @param httpPort HTTP port, 0..65535 (0 picks a free port) */
        public Builder httpPort(int httpPort) { this.httpPort = httpPort; return this; }

        /**
         * @return the validated config
         * @throws IllegalArgumentException naming the field and the value that is out of range
         */
        public ServerConfig build() {
            checkSide("width", width);
            checkSide("height", height);
            if (videoInput == null) {
                throw new IllegalArgumentException("videoInput=null: must be one of BGRA, TENSOR, H264, H265, AV1");
            }
            if (fps < 1 || fps > 240) {
                throw new IllegalArgumentException("fps=" + fps + ": must be in 1..240");
            }
            if (bitrateKbps < 100 || bitrateKbps > 500_000) {
                throw new IllegalArgumentException("bitrateKbps=" + bitrateKbps + ": must be in 100..500000");
            }
            if (encoderPreference == null) {
                throw new IllegalArgumentException("encoderPreference=null: must be AUTO, HARDWARE or SOFTWARE");
            }
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new IllegalArgumentException("bindAddress=" + bindAddress + ": must be an address such as 0.0.0.0");
            }
            if (httpPort < 0 || httpPort > 65535) {
                throw new IllegalArgumentException("httpPort=" + httpPort + ": must be in 0..65535");
            }
            return new ServerConfig(this);
        }

        private static void checkSide(String field, int value) {
            if (value < MIN_SIDE || value > MAX_SIDE) {
                throw new IllegalArgumentException(field + "=" + value + ": must be in " + MIN_SIDE + ".." + MAX_SIDE);
            }
            if (value % 2 != 0) {
                throw new IllegalArgumentException(field + "=" + value + ": must be even (4:2:0 chroma subsampling)");
            }
        }
    }
}
