package io.framewire.plugin.ffmpeg;

import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import java.util.Map;

/** The FFmpeg {@code hevc_nvenc} encoder as a plugin ({@link CodecSpec#HEVC_NVENC}); configuration PID {@code io.framewire.encoder.hevc_nvenc}. */
@Component(service = EncoderFactory.class, property = Plugins.NAME + "=hevc_nvenc",
        configurationPid = "io.framewire.encoder.hevc_nvenc")
public class HevcNvencEncoderFactory extends FfmpegEncoderFactory {
    /** With the defaults (tests, plain Java). */
    public HevcNvencEncoderFactory() {
        this(Map.of());
    }

    /** @param properties the component properties (optional preset, tune, profile, threads, scaler, options) */
    @Activate
    public HevcNvencEncoderFactory(Map<String, Object> properties) {
        super(CodecSpec.HEVC_NVENC, properties);
    }
}
