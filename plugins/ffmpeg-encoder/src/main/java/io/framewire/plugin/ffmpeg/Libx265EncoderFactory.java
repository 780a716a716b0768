package io.framewire.plugin.ffmpeg;

import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import java.util.Map;

/** The FFmpeg {@code libx265} encoder as a plugin ({@link CodecSpec#LIBX265}); configuration PID {@code io.framewire.encoder.libx265}. */
@Component(service = EncoderFactory.class, property = Plugins.NAME + "=libx265",
        configurationPid = "io.framewire.encoder.libx265")
public class Libx265EncoderFactory extends FfmpegEncoderFactory {
    /** With the defaults (tests, plain Java). */
    public Libx265EncoderFactory() {
        this(Map.of());
    }

    /** @param properties the component properties (optional preset, tune, profile, threads, scaler, options) */
    @Activate
    public Libx265EncoderFactory(Map<String, Object> properties) {
        super(CodecSpec.LIBX265, properties);
    }
}
