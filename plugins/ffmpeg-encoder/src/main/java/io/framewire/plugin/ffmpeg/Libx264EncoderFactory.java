package io.framewire.plugin.ffmpeg;

import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import java.util.Map;

/** The FFmpeg {@code libx264} encoder as a plugin ({@link CodecSpec#LIBX264}); configuration PID {@code io.framewire.encoder.libx264}. */
@Component(service = EncoderFactory.class, property = Plugins.NAME + "=libx264",
        configurationPid = "io.framewire.encoder.libx264")
public class Libx264EncoderFactory extends FfmpegEncoderFactory {
    /** With the defaults (tests, plain Java). */
    public Libx264EncoderFactory() {
        this(Map.of());
    }

    /** @param properties the component properties (optional preset, tune, profile, threads, scaler, options) */
    @Activate
    public Libx264EncoderFactory(Map<String, Object> properties) {
        super(CodecSpec.LIBX264, properties);
    }
}
