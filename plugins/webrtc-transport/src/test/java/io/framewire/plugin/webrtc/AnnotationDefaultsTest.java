package io.framewire.plugin.webrtc;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnnotationDefaultsTest {

    @Test
    void givenValuesWinAndTheRestAreTheAnnotationsDefaults() throws Exception {
        WebRtcSettings s = WebRtcTransport.settings(Map.of("httpPort", 0, "congestionControl", false,
                "mediaAddresses", new String[]{"127.0.0.2"}));
        assertEquals(0, s.httpPort());
        assertFalse(s.congestionControl());
        assertArrayEquals(new String[]{"127.0.0.2"}, s.mediaAddresses());
        assertEquals(WebRtcSettings.class.getMethod("maxPacketSize").getDefaultValue(), s.maxPacketSize());
        assertEquals(WebRtcSettings.class.getMethod("startBitrateKbps").getDefaultValue(), s.startBitrateKbps());
        assertEquals(WebRtcSettings.class, s.annotationType());
        assertTrue(WebRtcTransport.defaultSettings("t").congestionControl());
    }

    @Test
    void anUnknownAttributeIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebRtcTransport.settings(Map.of("maxPeer", 3)));
        assertTrue(e.getMessage().contains("maxPeer=3"), e.getMessage());
    }
}
