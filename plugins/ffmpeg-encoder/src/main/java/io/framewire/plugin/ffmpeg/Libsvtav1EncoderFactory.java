package io.framewire.plugin.ffmpeg;

import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import java.util.Map;

/** The FFmpeg {@code libsvtav1} encoder as a plugin ({@link CodecSpec#LIBSVTAV1}); configuration PID {@code io.framewire.encoder.libsvtav1}. */
@Component(service = EncoderFactory.class, property = Plugins.NAME + "=libsvtav1",
        configurationPid = "io.framewire.encoder.libsvtav1")
public class Libsvtav1EncoderFactory extends FfmpegEncoderFactory {
    /** With the defaults (tests, plain Java). */
    public Libsvtav1EncoderFactory() {
        this(Map.of());
    }

    /** @param properties the component properties (optional preset, tune, profile, threads, scaler, options) */
    @Activate
    public Libsvtav1EncoderFactory(Map<String, Object> properties) {
        super(CodecSpec.LIBSVTAV1, properties);
    }
}
