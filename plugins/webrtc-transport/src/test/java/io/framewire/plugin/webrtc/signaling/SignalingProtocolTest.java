package io.framewire.plugin.webrtc.signaling;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalingProtocolTest {

    @Test
    void buildersWriteTheDocumentedMessages() throws Exception {
        assertEquals("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}", SignalingProtocol.answer("v=0\r\n"));
        assertEquals(Map.of("type", "error", "error", "bad \"x\""), JSON.std.mapFrom(SignalingProtocol.error("bad \"x\"")));
        assertEquals(Map.of("type", "pong", "t", 12.5), JSON.std.mapFrom(SignalingProtocol.pong(12.5)));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("width", 1920);
        fields.put("type", "evil");
        fields.put("iceServers", List.of(Map.of("urls", "stun:stun.example.org")));
        Map<String, Object> hello = JSON.std.mapFrom(SignalingProtocol.hello("p1", fields));
        assertEquals("hello", hello.get("type"));
        assertEquals("p1", hello.get("peerId"));
        assertEquals(1920, hello.get("width"));
        assertEquals(List.of(Map.of("urls", "stun:stun.example.org")), hello.get("iceServers"));
        Map<String, Object> cand = JSON.std.mapFrom(SignalingProtocol.candidate("candidate:1", "0", 0));
        assertEquals("candidate:1", cand.get("candidate"));
        assertEquals(0, cand.get("sdpMLineIndex"));
        assertEquals(Map.of("type", "stage.load", "uri", "scene:x"), JSON.std.mapFrom(SignalingProtocol.stageLoad("scene:x")));
        assertEquals(Map.of("type", "app", "data", Map.of("k", 1)), JSON.std.mapFrom(SignalingProtocol.app("{\"k\":1}")));
        assertThrows(IllegalArgumentException.class, () -> SignalingProtocol.app("[1]"));
        assertThrows(IllegalArgumentException.class, () -> SignalingProtocol.app("{bad"));
    }

    @Test
    void outgoingForwardsStageMessagesAndWrapsTheRest() throws Exception {
        String stage = "{\"type\":\"stage.failed\",\"uri\":\"scene:x\",\"error\":\"boom\"}";
        assertSame(stage, SignalingProtocol.outgoing(stage));
        assertEquals(Map.of("type", "app", "data", Map.of("type", "score", "v", 2)),
                JSON.std.mapFrom(SignalingProtocol.outgoing("{\"type\":\"score\",\"v\":2}")));
        assertThrows(IllegalArgumentException.class, () -> SignalingProtocol.outgoing("\"str\""));
    }

    @Test
    void parseValidatesEveryType() throws Exception {
        assertEquals("offer", SignalingProtocol.parse("{\"type\":\"offer\",\"sdp\":\"v=0\",\"extra\":1}").type());
        assertEquals("ping", SignalingProtocol.parse(" {\"type\":\"ping\",\"t\":1} ").type());
        assertEquals("key", SignalingProtocol.parse("{\"type\":\"key\",\"kind\":\"up\",\"key\":\"Enter\",\"code\":\"Enter\"}").type());
        String[][] bad = {
                {"", "malformed JSON: empty message"},
                {"null", "must be a JSON object, got null"},
                {"{\"type\":5}", "field 'type' must be a string, got number 5"},
                {"{\"type\":\"offer\",\"sdp\":\"\"}", "offer: field 'sdp' must not be empty"},
                {"{\"type\":\"app\"}", "app: missing field 'data'"},
                {"{\"type\":\"pointer\",\"kind\":\"down\",\"x\":\"1\",\"y\":1,\"elementWidth\":1,\"elementHeight\":1}",
                        "pointer: field 'x' must be a number, got string \"1\""},
                {"{\"type\":\"pointer\",\"kind\":\"down\",\"button\":1.5,\"x\":1,\"y\":1,\"elementWidth\":1,\"elementHeight\":1}",
                        "pointer: field 'button' must be an integer"},
                {"{\"type\":\"key\",\"kind\":\"press\",\"key\":\"a\",\"code\":\"KeyA\"}", "key: field 'kind' must be one of [down, up]"},
                {"{\"type\":\"stage.load\",\"uri\":\"" + "a".repeat(5000) + "\"}", "stage.load: field 'uri' is too long"},
                {"{\"type\":\"ping\",\"t\":\"x\"}", "ping: field 't' must be a number"},
                {"{\"type\":\"\\u0001x\"}", "unknown type '?x'"},
        };
        for (String[] b : bad) {
            SignalingProtocol.InvalidMessage e = assertThrows(SignalingProtocol.InvalidMessage.class, () -> SignalingProtocol.parse(b[0]));
            assertTrue(e.getMessage().contains(b[1]), b[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void pointerMapsToFramePixelsUndoingObjectFitContain() {
        // 1000x1000 element showing a 1920x1080 frame: scale 0.520833, picture 1000x562.5 centred (bars of 218.75).
        PointerEvent centre = new PointerEvent(PointerEvent.Kind.MOVE, 0, 0, 500, 500, 1000, 1000, 0, 0);
        PointerEvent.FramePoint p = centre.toFrame(1920, 1080);
        assertEquals(960, p.x(), 1e-9);
        assertEquals(540, p.y(), 1e-9);
        assertTrue(p.inside());
        PointerEvent topLeft = new PointerEvent(PointerEvent.Kind.DOWN, 0, 0, 0, 218.75, 1000, 1000, 0, 0);
        assertEquals(0, topLeft.toFrame(1920, 1080).x(), 1e-9);
        assertEquals(0, topLeft.toFrame(1920, 1080).y(), 1e-9);
        PointerEvent onBar = new PointerEvent(PointerEvent.Kind.DOWN, 0, 0, 500, 100, 1000, 1000, 0, 0);
        PointerEvent.FramePoint q = onBar.toFrame(1920, 1080);
        assertFalse(q.inside());
        assertEquals(0, q.y(), 1e-9, "clamped");
        // Same aspect: plain scaling.
        PointerEvent same = new PointerEvent(PointerEvent.Kind.MOVE, 0, 0, 320, 180, 640, 360, 0, 0);
        assertEquals(960, same.toFrame(1920, 1080).x(), 1e-9);
        assertEquals(540, same.toFrame(1920, 1080).y(), 1e-9);
        // Pillar-boxed: a 4:3 frame in a 16:9 element.
        PointerEvent pillar = new PointerEvent(PointerEvent.Kind.MOVE, 0, 0, 160 + 480, 360, 1280, 720, 0, 0);
        assertEquals(320, pillar.toFrame(640, 480).x(), 1e-9);
        assertEquals(240, pillar.toFrame(640, 480).y(), 1e-9);
    }

    @Test
    void originsNormalizeAndSameOriginComparesHostAndPort() {
        assertEquals("https://app.example.com", SignalingConfig.normalizeOrigin("HTTPS://App.Example.com:443"));
        assertEquals("http://localhost:8080", SignalingConfig.normalizeOrigin("http://localhost:8080/"));
        assertNull(SignalingConfig.normalizeOrigin("null"));
        assertNull(SignalingConfig.normalizeOrigin("file://"));
        assertNull(SignalingConfig.normalizeOrigin("http://a.example/path"));
        assertNull(SignalingConfig.normalizeOrigin("http://user@a.example"));
        assertTrue(SignalingServer.sameOrigin("http://localhost:8080", "localhost:8080"));
        assertTrue(SignalingServer.sameOrigin("http://localhost:8080", "LOCALHOST:8080"));
        assertFalse(SignalingServer.sameOrigin("http://localhost:8081", "localhost:8080"));
        assertFalse(SignalingServer.sameOrigin("http://evil.example:8080", "localhost:8080"));
        assertTrue(SignalingServer.sameOrigin("https://stream.example.com", "stream.example.com"), "TLS proxy, no port");
        assertFalse(SignalingServer.sameOrigin("https://stream.example.com", "stream.example.com:80"));
        assertTrue(SignalingServer.sameOrigin("http://[::1]:8080", "[::1]:8080"));
        assertFalse(SignalingServer.sameOrigin("http://localhost:8080", null));
        assertFalse(SignalingServer.sameOrigin("http://localhost:8080", "localhost:abc"));
        assertThrows(IllegalArgumentException.class, () -> SignalingConfig.builder().allowOrigin("*"));
    }

    @Test
    void tokenBucketAllowsBurstThenRate() {
        TokenBucket b = new TokenBucket(200, 400, 0);
        int ok = 0;
        for (int i = 0; i < 1000; i++) {
            if (b.tryAcquire(0)) {
                ok++;
            }
        }
        assertEquals(400, ok);
        assertFalse(b.tryAcquire(4_000_000)); // 4 ms: 0.8 token
        assertTrue(b.tryAcquire(6_000_000)); // 6 ms: 1.2 tokens
        int later = 0;
        for (int i = 0; i < 1000; i++) {
            if (b.tryAcquire(1_010_000_000L)) {
                later++;
            }
        }
        assertEquals(200, later, "one second refills 200");
    }
}
