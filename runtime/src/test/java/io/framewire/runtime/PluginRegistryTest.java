package io.framewire.runtime;

import io.framewire.testing.spi.Frames;
import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.SolidSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginRegistryTest {
    private final PluginRegistry registry = new PluginRegistry();

    private String pick(String name, ServerConfig.EncoderPreference preference) {
        ServerConfig config = ServerConfig.builder().width(64).height(48).encoderPreference(preference).build();
        return registry.encoderFor(name, config).map(Map.Entry::getKey).orElse("<none>");
    }

    @Test
    void autoPrefersAvailableHardwareThenSoftwareThenRaw() {
        registry.addEncoder("null", new FakeEncoderFactory());
        assertEquals("null", pick("auto", ServerConfig.EncoderPreference.AUTO));
        registry.addEncoder("libx264", new FakeEncoderFactory(Codec.H264, false, null));
        assertEquals("libx264", pick("auto", ServerConfig.EncoderPreference.AUTO));
        registry.addEncoder("h264_nvenc", new FakeEncoderFactory(Codec.H264, true, "this GPU has no NVENC"));
        assertEquals("libx264", pick("auto", ServerConfig.EncoderPreference.AUTO), "unavailable hardware falls back");
        registry.addEncoder("av1_nvenc", new FakeEncoderFactory(Codec.AV1, true, null));
        assertEquals("av1_nvenc", pick("auto", ServerConfig.EncoderPreference.AUTO));
        assertEquals("libx264", pick("auto", ServerConfig.EncoderPreference.SOFTWARE));
        assertEquals("av1_nvenc", pick("auto", ServerConfig.EncoderPreference.HARDWARE));
    }

    @Test
    void autoPrefersH264ThenH265ThenAv1AmongSoftwareEncoders() {
        registry.addEncoder("libsvtav1", new FakeEncoderFactory(Codec.AV1, false, null));
        assertEquals("libsvtav1", pick("auto", ServerConfig.EncoderPreference.AUTO));
        registry.addEncoder("libx265", new FakeEncoderFactory(Codec.H265, false, null));
        assertEquals("libx265", pick("auto", ServerConfig.EncoderPreference.AUTO));
        registry.addEncoder("libx264", new FakeEncoderFactory(Codec.H264, false, null));
        assertEquals("libx264", pick("auto", ServerConfig.EncoderPreference.AUTO));
    }

    @Test
    void aNamedEncoderIsUsedOnlyWhenItFits() {
        registry.addEncoder("h264_nvenc", new FakeEncoderFactory(Codec.H264, true, "no NVENC"));
        registry.addEncoder("libx264", new FakeEncoderFactory(Codec.H264, false, null));
        assertEquals("<none>", pick("h264_nvenc", ServerConfig.EncoderPreference.AUTO));
        assertEquals("libx264", pick("libx264", ServerConfig.EncoderPreference.AUTO));
        assertEquals("<none>", pick("libx264", ServerConfig.EncoderPreference.HARDWARE));
        assertEquals("<none>", pick("missing", ServerConfig.EncoderPreference.AUTO));
    }

    @Test
    void sourcesComeAndGoByName() {
        SolidSource a = new SolidSource(1);
        registry.addSource("a", a);
        assertEquals(a, registry.source("a"));
        registry.removeSource("a", new SolidSource(2)); // a different object: not removed
        assertEquals(a, registry.source("a"));
        registry.removeSource("a", a);
        assertTrue(registry.source("a") == null);
    }
}
