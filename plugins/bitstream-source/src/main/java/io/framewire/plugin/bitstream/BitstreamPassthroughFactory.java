package io.framewire.plugin.bitstream;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Component;

import java.util.Arrays;
import java.util.Set;

/**
 * Makes {@link BitstreamPassthrough}s for sessions started with a pre-encoded {@link VideoInput}.
 * One service per codec (the nested components), so {@code encoder=auto} finds the one that takes
 * the session's input.
 */
public abstract class BitstreamPassthroughFactory implements EncoderFactory {
    private final VideoInput input;

    BitstreamPassthroughFactory(VideoInput input) {
        this.input = input;
    }

    /** @return the factory for {@code codec} (for use without OSGi) */
    public static BitstreamPassthroughFactory forCodec(Codec codec) {
        return switch (codec) {
            case H264 -> new H264();
            case H265 -> new H265();
            case AV1 -> new Av1();
            default -> throw new IllegalArgumentException("codec " + codec + " has no bitstream input; one of "
                    + Arrays.stream(VideoInput.values()).filter(VideoInput::isBitstream).toList());
        };
    }

    @Override
    public Set<VideoInput> inputs() {
        return Set.of(input);
    }

    @Override
    public Codec codec() {
        return input.codec();
    }

    @Override
    public boolean hardware() {
        return false;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public Encoder create(ServerConfig config) {
        return new BitstreamPassthrough(input.codec(), config);
    }

    /** Pre-encoded H.264 (Annex B) passed through. */
    @Component(service = EncoderFactory.class, property = Plugins.NAME + "=bitstream-h264")
    public static final class H264 extends BitstreamPassthroughFactory {
        /** For DS and embedded use. */
        public H264() {
            super(VideoInput.H264);
        }
    }

    /** Pre-encoded H.265 (Annex B) passed through. */
    @Component(service = EncoderFactory.class, property = Plugins.NAME + "=bitstream-h265")
    public static final class H265 extends BitstreamPassthroughFactory {
        /** For DS and embedded use. */
        public H265() {
            super(VideoInput.H265);
        }
    }

    /** Pre-encoded AV1 (low-overhead OBUs) passed through. */
    @Component(service = EncoderFactory.class, property = Plugins.NAME + "=bitstream-av1")
    public static final class Av1 extends BitstreamPassthroughFactory {
        /** For DS and embedded use. */
        public Av1() {
            super(VideoInput.AV1);
        }
    }
}
