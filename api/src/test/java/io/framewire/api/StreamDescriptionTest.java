package io.framewire.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream description a transport starts with, the codec enum, and the health body. */
class StreamDescriptionTest {

    @Test
    void aDescriptionIsTheConfigsSizeRateAndInputWithTheCodec() {
        ServerConfig config = ServerConfig.builder().width(1280).height(720).fps(60).videoInput(VideoInput.TENSOR).build();
        assertEquals(new StreamDescription(Codec.H265, 1280, 720, 60, VideoInput.TENSOR), StreamDescription.of(config, Codec.H265));
    }

    @Test
    void aDescriptionNeedsACodec() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescription.of(ServerConfig.builder().build(), null));
        assertTrue(e.getMessage().startsWith("codec=null"), e.getMessage());
    }

    @Test
    void bitstreamInputsNameTheirCodecAndOnlyRawHasNoRtpFormat() {
        assertEquals(Codec.H264, VideoInput.H264.codec());
        assertEquals(Codec.H265, VideoInput.H265.codec());
        assertEquals(Codec.AV1, VideoInput.AV1.codec());
        assertEquals(null, VideoInput.BGRA.codec());
        for (Codec c : Codec.values()) {
            assertEquals(c != Codec.RAW, c.hasRtpPayloadFormat(), c.name());
        }
    }

    @Test
    void theHealthBodyShowsTheStreamAndEveryCounter() {
        HealthReport.Counters counters = new HealthReport.Counters(1, 2, 3, 4, 5, 6, 7, 8, 9);
        HealthReport report = new HealthReport(HealthReport.State.READY, 12, null, counters);
        Map<String, Object> body = report.toMap(new StreamDescription(Codec.AV1, 640, 360, 24, VideoInput.BGRA));
        assertEquals("READY", body.get("status"));
        assertEquals(true, body.get("ready"));
        assertEquals("AV1", body.get("codec"));
        assertEquals(640, body.get("width"));
        assertEquals(24, body.get("fps"));
        long[] expected = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        String[] names = {"framesSent", "framesRepeated", "framesRefused", "sourceErrors", "stalledTicks",
                "lockBusyTicks", "encodeErrors", "skippedTicks", "droppedMessages"};
        for (int i = 0; i < names.length; i++) {
            assertEquals(expected[i], body.get(names[i]), names[i]);
        }
        assertFalse(new HealthReport(HealthReport.State.STARTING, -1, null, HealthReport.Counters.NONE).ready());
    }

    @Test
    void theBuildersDefaultsAreTheOwnersValues() {
        ServerConfig c = ServerConfig.builder().build();
        assertEquals(Defaults.WIDTH, c.width());
        assertEquals(Defaults.HEIGHT, c.height());
        assertEquals(Defaults.FPS, c.fps());
        assertEquals(Defaults.BITRATE_KBPS, c.bitrateKbps());
        assertEquals(VideoInput.valueOf(Defaults.VIDEO_INPUT), c.videoInput());
        assertEquals(ServerConfig.EncoderPreference.valueOf(Defaults.ENCODER_PREFERENCE), c.encoderPreference());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().fps(Defaults.MAX_FPS + 1).build());
        assertTrue(e.getMessage().contains(Defaults.MIN_FPS + ".." + Defaults.MAX_FPS), e.getMessage());
    }
}
