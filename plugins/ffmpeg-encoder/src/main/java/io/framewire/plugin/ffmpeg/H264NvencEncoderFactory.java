package io.framewire.plugin.ffmpeg;

import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import java.util.Map;

/** The FFmpeg {@code h264_nvenc} encoder as a plugin ({@link CodecSpec#H264_NVENC}); configuration PID {@code io.framewire.encoder.h264_nvenc}. */
@Component(service = EncoderFactory.class, property = Plugins.NAME + "=h264_nvenc",
        configurationPid = "io.framewire.encoder.h264_nvenc")
public class H264NvencEncoderFactory extends FfmpegEncoderFactory {
    /** With the defaults (tests, plain Java). */
    public H264NvencEncoderFactory() {
        this(Map.of());
    }

    /** @param properties the component properties (optional preset, tune, profile, threads, scaler, options) */
    @Activate
    public H264NvencEncoderFactory(Map<String, Object> properties) {
        super(CodecSpec.H264_NVENC, properties);
    }
}
