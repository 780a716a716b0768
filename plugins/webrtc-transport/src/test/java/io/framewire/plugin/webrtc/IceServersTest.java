package io.framewire.plugin.webrtc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IceServersTest {
    @Test
    void stunBecomesAUrlOnly() {
        assertEquals(Map.of("urls", List.of("stun:stun.example.org:3478")), IceServers.toBrowser("stun:stun.example.org:3478"));
    }

    @Test
    void turnCredentialsMoveOutOfTheUrl() {
        Map<String, Object> server = IceServers.toBrowser("turn:alice:s3cret@turn.example.org:3478?transport=udp");
        assertEquals(List.of("turn:turn.example.org:3478?transport=udp"), server.get("urls"));
        assertEquals("alice", server.get("username"));
        assertEquals("s3cret", server.get("credential"));
    }

    @Test
    void badUrlsAreRefusedNamingTheSetting() {
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class, () -> IceServers.toBrowser("http://x"));
        assertTrue(scheme.getMessage().startsWith("iceServers=http://x: must start with stun:"), scheme.getMessage());
        IllegalArgumentException creds = assertThrows(IllegalArgumentException.class, () -> IceServers.toBrowser("turn:alice@h:1"));
        assertTrue(creds.getMessage().contains("TURN needs user:password@host"), creds.getMessage());
    }
}
