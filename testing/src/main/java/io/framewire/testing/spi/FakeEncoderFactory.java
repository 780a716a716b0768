package io.framewire.testing.spi;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Makes {@link CentrePixelEncoder}s, with settable codec, kind and availability. */
public class FakeEncoderFactory implements EncoderFactory {
    private final Codec codec;
    private final boolean hardware;
    private final String unavailable;
    /** Every encoder made, in order. */
    public final List<CentrePixelEncoder> made = new CopyOnWriteArrayList<>();

    /** A RAW software encoder that is always available. */
    public FakeEncoderFactory() {
        this(Codec.RAW, false, null);
    }

    /**
     * @param codec       the codec its encoders claim
     * @param hardware    whether it claims to be a hardware encoder
     * @param unavailable why it cannot run here, or null
     */
    public FakeEncoderFactory(Codec codec, boolean hardware, String unavailable) {
        this.codec = codec;
        this.hardware = hardware;
        this.unavailable = unavailable;
    }

    @Override
    public Set<VideoInput> inputs() {
        return Set.of(VideoInput.BGRA);
    }

    @Override
    public Codec codec() {
        return codec;
    }

    @Override
    public boolean hardware() {
        return hardware;
    }

    @Override
    public String unavailableReason() {
        return unavailable;
    }

    @Override
    public Encoder create(ServerConfig config) {
        CentrePixelEncoder e = new CentrePixelEncoder(codec);
        made.add(e);
        return e;
    }
}
