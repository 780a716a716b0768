package io.framewire.api.spi;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoInput;

import java.util.Set;

/**
 * Makes {@link Encoder}s. Register as a service with {@link Plugins#NAME} (e.g. {@code libx264},
 * {@code h264_nvenc}); the runtime's {@code encoder} setting names one, or {@code auto} picks by
 * {@link ServerConfig#encoderPreference()}.
 */
public interface EncoderFactory {

    /** @return the session inputs this encoder takes */
    Set<VideoInput> inputs();

    /** @return the codec it produces; the transport negotiates it before the first frame */
    Codec codec();

    /** @return true for a hardware encoder (NVENC) */
    boolean hardware();

    /**
     * @return null when it can run on this machine, otherwise why not (e.g. "this GPU has no NVENC");
     *         the runtime logs the reason once and falls back
     */
    String unavailableReason();

    /** @return a new encoder for the session */
    Encoder create(ServerConfig config) throws Exception;
}
