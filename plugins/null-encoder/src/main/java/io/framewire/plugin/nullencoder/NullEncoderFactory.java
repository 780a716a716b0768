package io.framewire.plugin.nullencoder;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Component;

import java.util.Set;

/**
 * Makes {@link NullEncoder}s: the RAW codec that encodes nothing. It lets the whole loop run and
 * be measured before (or without) a real encoder; {@code auto} picks it only when nothing else fits.
 */
@Component(service = EncoderFactory.class, property = Plugins.NAME + "=null")
public class NullEncoderFactory implements EncoderFactory {
    @Override
    public Set<VideoInput> inputs() {
        return Set.of(VideoInput.BGRA, VideoInput.TENSOR);
    }

    @Override
    public Codec codec() {
        return NullEncoder.CODEC;
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
        return new NullEncoder();
    }
}
