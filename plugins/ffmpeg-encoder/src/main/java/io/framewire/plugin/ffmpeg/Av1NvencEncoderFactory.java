package io.framewire.plugin.ffmpeg;

import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import java.util.Map;

/** The FFmpeg {@code av1_nvenc} encoder as a plugin ({@link CodecSpec#AV1_NVENC}); configuration PID {@code io.framewire.encoder.av1_nvenc}. */
@Component(service = EncoderFactory.class, property = Plugins.NAME + "=av1_nvenc",
        configurationPid = "io.framewire.encoder.av1_nvenc")
public class Av1NvencEncoderFactory extends FfmpegEncoderFactory {
    /** With the defaults (tests, plain Java). */
    public Av1NvencEncoderFactory() {
        this(Map.of());
    }

    /** @param properties the component properties (optional preset, tune, profile, threads, scaler, options) */
    @Activate
    public Av1NvencEncoderFactory(Map<String, Object> properties) {
        super(CodecSpec.AV1_NVENC, properties);
    }
}
