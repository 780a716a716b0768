package io.framewire.plugin.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link EncoderFactory} for one FFmpeg encoder ({@link CodecSpec}). The DS components are the
 * small subclasses, one per {@code framewire.name}; each reads its optional configuration
 * ({@link EncoderSettings}: preset, tune, profile, threads, scaler, options) from its PID
 * {@code io.framewire.encoder.<name>}.
 */
public class FfmpegEncoderFactory implements EncoderFactory {
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegEncoderFactory.class);
    /** Probe results per encoder name: empty = usable. Probed once per JVM (per bundle class loader). */
    private static final Map<String, Optional<String>> PROBES = new ConcurrentHashMap<>();

    private final CodecSpec spec;
    private final EncoderSettings settings;

    static {
        quietFfmpegInfoLogs();
    }

    /**
     * FFmpeg logs to stderr at INFO by default (x264 prints ~10 lines of statistics per session);
     * lower that once to WARNING, unless someone already chose a level.
     */
    private static void quietFfmpegInfoLogs() {
        try {
            if (av_log_get_level() == AV_LOG_INFO) {
                av_log_set_level(AV_LOG_WARNING);
            }
        } catch (Throwable t) {
            LOG.warn("FFmpeg natives not loadable: {}", t.toString()); // unavailableReason() says it too
        }
    }

    public FfmpegEncoderFactory(CodecSpec spec, Map<String, ?> properties) {
        this.spec = spec;
        this.settings = EncoderSettings.from(spec, properties == null ? Map.of() : properties);
    }

    /** @return the encoder this factory makes */
    public CodecSpec spec() {
        return spec;
    }

    /** @return the configured settings */
    public EncoderSettings settings() {
        return settings;
    }

    @Override
    public Set<VideoInput> inputs() {
        return Set.of(VideoInput.BGRA, VideoInput.TENSOR); // tensors arrive as host BGRA or NV12 through importers
    }

    @Override
    public Codec codec() {
        return spec.codec();
    }

    @Override
    public boolean hardware() {
        return spec.hardware();
    }

    @Override
    public String unavailableReason() {
        return PROBES.computeIfAbsent(spec.encoderName(), n -> Optional.ofNullable(probe(spec))).orElse(null);
    }

    @Override
    public Encoder create(ServerConfig config) throws Exception {
        if (!inputs().contains(config.videoInput())) {
            throw new IllegalArgumentException("videoInput=" + config.videoInput() + ": the " + spec.encoderName()
                    + " encoder takes BGRA or TENSOR sessions only (bitstreams are passed through, not encoded)");
        }
        String reason = unavailableReason();
        if (reason != null) {
            throw new FfmpegException(reason, 0);
        }
        return new FfmpegEncoder(spec, settings, config);
    }

    /**
     * @return null when {@code spec} is in the FFmpeg build and (for NVENC) opens on this machine,
     *         else one line saying why not
     */
    static String probe(CodecSpec spec) {
        String name = spec.encoderName();
        AVCodec codec;
        try {
            codec = avcodec_find_encoder_by_name(name);
        } catch (Throwable t) { // natives missing or not loadable (UnsatisfiedLinkError, NoClassDefFoundError)
            return name + ": FFmpeg natives not loadable (" + t + ")";
        }
        if (codec == null) {
            return name + ": encoder not in this FFmpeg build";
        }
        if (!spec.hardware()) {
            return null;
        }
        // NVENC: open a tiny session; without an NVENC-capable GPU and driver this fails cleanly.
        int level = av_log_get_level();
        av_log_set_level(AV_LOG_QUIET); // the reason is reported by the runtime, once
        AVCodecContext c = avcodec_alloc_context3(codec);
        try {
            if (c == null) {
                return name + ": avcodec_alloc_context3 failed";
            }
            c.width(256).height(256).pix_fmt(AV_PIX_FMT_YUV420P)
                    .time_base(av_make_q(1, 30)).framerate(av_make_q(30, 1)).bit_rate(1_000_000);
            int ret = avcodec_open2(c, codec, (AVDictionary) null);
            if (ret < 0) {
                return name + ": no NVENC-capable GPU or driver (avcodec_open2: " + Av.describe(ret) + ")";
            }
            return null;
        } catch (Throwable t) {
            return name + ": probe failed (" + t + ")";
        } finally {
            if (c != null) {
                avcodec_free_context(c);
            }
            av_log_set_level(level);
            LOG.debug("probed {}", name);
        }
    }
}
