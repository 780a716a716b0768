package io.framewire.runtime;

import io.framewire.api.Defaults;
import io.framewire.api.ServerConfig;

/**
 * The encoder's rates when the network carries less than the configured bitrate: the bitrate
 * follows the transport's estimate (never above {@link ServerConfig#bitrateKbps()}), and when the
 * estimate gives fewer than {@link #MIN_BITS_PER_PIXEL} bits per pixel and frame, the frame rate is
 * divided (30, 15, 10, 7 ... fps, not below {@link #MIN_FPS}) so each frame keeps enough bits to
 * stay a picture instead of breaking up into blocks.
 *
 * @param bitrateKbps what the encoder aims at
 * @param fps         the frame rate the pacer and the encoder run at
 */
record NetworkRates(int bitrateKbps, int fps) {

    /**
     * Bits per pixel and frame below which the frame rate goes down: libx264 on busy content turns
     * to large blocks under about 0.02 (1080p30 needs 1.24 Mbit/s for it).
     */
    static final double MIN_BITS_PER_PIXEL = 0.02;
    /** The lowest frame rate the estimate lowers the stream to (unless the configured one is lower). */
    static final int MIN_FPS = 5;

    /**
     * @param config     the session's settings: the upper bounds
     * @param networkKbps the transport's estimate, kbit/s; 0 = no estimate (the configured rates)
     * @return the rates the encoder and the pacer use
     */
    static NetworkRates of(ServerConfig config, int networkKbps) {
        if (networkKbps <= 0) {
            return new NetworkRates(config.bitrateKbps(), config.fps());
        }
        int kbps = Math.max(Defaults.MIN_BITRATE_KBPS, Math.min(config.bitrateKbps(), networkKbps));
        double bitsPerFrameAtFullRate = 1000.0 * kbps / config.fps();
        double pixels = (double) config.width() * config.height();
        int fps = config.fps();
        int floor = Math.min(config.fps(), MIN_FPS);
        for (int divisor = 2; bitsPerFrameAtFullRate * (divisor - 1) < MIN_BITS_PER_PIXEL * pixels; divisor++) {
            int lower = config.fps() / divisor;
            if (lower < floor) {
                fps = floor;
                break;
            }
            fps = lower;
        }
        return new NetworkRates(kbps, fps);
    }
}
