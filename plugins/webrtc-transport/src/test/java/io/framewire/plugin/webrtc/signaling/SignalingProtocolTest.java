package io.framewire.plugin.webrtc.signaling;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.ErrorMessage;
import io.framewire.api.spi.KeyInput;
import io.framewire.api.spi.StageEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalingProtocolTest {

    @Test
    void theNetworkMessageCarriesTheKnownFiguresAndLeavesOutTheUnknown() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("estimateKbps", 2650);
        fields.put("pacerQueueMs", null);
        fields.put("lossPercent", 1.5);
        fields.put("type", "evil");
        assertEquals(Map.of("type", "network", "estimateKbps", 2650, "lossPercent", 1.5),
                JSON.std.mapFrom(SignalingProtocol.network(fields)));
    }

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
    }

    @Test
    void appMessagesAreWrittenAsAppEnvelopes() throws Exception {
        assertEquals(Map.of("type", "app", "data", Map.of("type", "score", "v", 2)),
                JSON.std.mapFrom(SignalingProtocol.toWire(new AppMessage(" {\"type\":\"score\",\"v\":2} "))),
                "an app object with its own 'type' is still wrapped, never taken for a protocol message");
        assertEquals(Map.of("type", "app", "data", Map.of("type", "error", "error", "x")),
                JSON.std.mapFrom(SignalingProtocol.toWire(new AppMessage("{\"type\":\"error\",\"error\":\"x\"}"))));
    }

    @Test
    void appMessagesThatAreNotOneJsonObjectAreRefused() {
        for (String json : new String[] {"[1]", "\"str\"", "42", "null", "{bad", "", "{\"a\":1} {\"b\":2}", "{\"a\":1,\"a\":2}"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SignalingProtocol.toWire(new AppMessage(json)), json);
            assertTrue(e.getMessage().startsWith("app message is not a JSON object: "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SignalingProtocol.toWire(null));
    }

    @Test
    void stageEventsAreWrittenFromTheirFields() throws Exception {
        URI uri = URI.create("scene:demo?delayMillis=10");
        assertEquals(Map.of("type", "stage.started", "uri", uri.toString()),
                JSON.std.mapFrom(SignalingProtocol.toWire(StageEvent.started(uri))));
        assertEquals(Map.of("type", "stage.progress", "uri", uri.toString(), "progress", 0.25, "detail", "meshes"),
                JSON.std.mapFrom(SignalingProtocol.toWire(StageEvent.progress(uri, 0.25, "meshes"))));
        assertEquals(Map.of("type", "stage.loaded", "uri", uri.toString(), "millis", 1500),
                JSON.std.mapFrom(SignalingProtocol.toWire(StageEvent.loaded(uri, 1500))));
        assertEquals(Map.of("type", "stage.cancelled", "uri", uri.toString()),
                JSON.std.mapFrom(SignalingProtocol.toWire(StageEvent.cancelled(uri))));
        assertEquals(Map.of("type", "stage.failed", "uri", uri.toString(), "error", "no such scene"),
                JSON.std.mapFrom(SignalingProtocol.toWire(StageEvent.failed(uri, "no such scene"))));
    }

    @Test
    void errorMessagesAreWrittenAsErrors() throws Exception {
        assertEquals(Map.of("type", "error", "error", "stage.load: busy \"now\"\n"),
                JSON.std.mapFrom(SignalingProtocol.toWire(new ErrorMessage("stage.load: busy \"now\"\n"))));
    }

    @Test
    void parseGivesTypedMessages() throws Exception {
        SignalingProtocol.ClientMessage app = SignalingProtocol.parse("{\"type\":\"app\",\"data\":{\"a\":[1,2]}}");
        assertEquals(new SignalingProtocol.App(new AppMessage("{\"a\":[1,2]}")), app);
        assertEquals(new SignalingProtocol.Key(new KeyInput(KeyInput.Kind.UP, "Enter", "", false, true, false, true, false)),
                SignalingProtocol.parse("{\"type\":\"key\",\"kind\":\"up\",\"key\":\"Enter\",\"code\":\"\",\"ctrl\":true,\"meta\":true}"));
        assertEquals(new SignalingProtocol.StageLoad(URI.create("scene:demo?x=1")),
                SignalingProtocol.parse("{\"type\":\"stage.load\",\"uri\":\"scene:demo?x=1\"}"));
        assertEquals(new SignalingProtocol.Pointer(new PointerEvent(PointerEvent.Kind.WHEEL, 0, 1, 3, 4, 640, 480, 0, -120)),
                SignalingProtocol.parse("{\"type\":\"pointer\",\"kind\":\"wheel\",\"buttons\":1,\"x\":3,\"y\":4,"
                        + "\"elementWidth\":640,\"elementHeight\":480,\"dx\":0,\"dy\":-120}"));
        assertEquals(new SignalingProtocol.Candidate("", null, 0),
                SignalingProtocol.parse("{\"type\":\"candidate\",\"candidate\":\"\",\"sdpMLineIndex\":0}"));
        assertEquals(new SignalingProtocol.Offer("v=0"), SignalingProtocol.parse("{\"type\":\"offer\",\"sdp\":\"v=0\"}"));
        assertEquals(new SignalingProtocol.Ping(1.5), SignalingProtocol.parse("{\"type\":\"ping\",\"t\":1.5}"));
    }

    @Test
    void abbreviateMakesPeerStringsSafeForLogs() {
        assertEquals("a\\nb\\rc", SignalingProtocol.abbreviate("a\nb\rc"));
        assertEquals("x".repeat(64) + "...(65 chars)", SignalingProtocol.abbreviate("x".repeat(65)));
        assertEquals("null", SignalingProtocol.abbreviate(null));
        assertEquals("\\u001b[31m", SignalingProtocol.abbreviate("\u001b[31m"));
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
                {"{\"type\":\"key\",\"kind\":\"up\",\"key\":\"" + "k".repeat(65) + "\",\"code\":\"KeyA\"}", "key: field 'key' is too long (65 > 64)"},
                {"{\"type\":\"stage.load\",\"uri\":\"a b\"}", "stage.load: field 'uri' is not a valid URI"},
                {"{\"type\":\"stage.load\",\"uri\":\"" + "a".repeat(5000) + "\"}", "stage.load: field 'uri' is too long"},
                {"{\"type\":\"ping\",\"t\":\"x\"}", "ping: field 't' must be a number"},
                {"{\"type\":\"\\u0001x\"}", "unknown type '\\u0001x'"},
        };
        for (String[] b : bad) {
            SignalingProtocol.InvalidMessage e = assertThrows(SignalingProtocol.InvalidMessage.class, () -> SignalingProtocol.parse(b[0]));
            assertTrue(e.getMessage().contains(b[1]), b[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void originsNormalizeAndSameOriginComparesSchemeHostAndPort() {
        assertEquals("https://app.example.com", SignalingConfig.normalizeOrigin("HTTPS://App.Example.com:443"));
        assertEquals("http://localhost:8080", SignalingConfig.normalizeOrigin("http://localhost:8080/"));
        assertNull(SignalingConfig.normalizeOrigin("null"));
        assertNull(SignalingConfig.normalizeOrigin("file://"));
        assertNull(SignalingConfig.normalizeOrigin("http://a.example/path"));
        assertNull(SignalingConfig.normalizeOrigin("http://user@a.example"));
        assertTrue(SignalingServer.sameOrigin("http://localhost:8080", "http", "localhost:8080"));
        assertTrue(SignalingServer.sameOrigin("http://localhost:8080", "http", "LOCALHOST:8080"));
        assertFalse(SignalingServer.sameOrigin("http://localhost:8081", "http", "localhost:8080"));
        assertFalse(SignalingServer.sameOrigin("http://evil.example:8080", "http", "localhost:8080"));
        assertTrue(SignalingServer.sameOrigin("https://stream.example.com", "https", "stream.example.com"), "no port: 443");
        assertFalse(SignalingServer.sameOrigin("https://stream.example.com", "https", "stream.example.com:80"));
        assertFalse(SignalingServer.sameOrigin("https://stream.example.com", "http", "stream.example.com"),
                "a TLS-terminating proxy: the server sees http, so the https origin must be configured");
        assertTrue(SignalingServer.sameOrigin("http://[::1]:8080", "http", "[::1]:8080"));
        assertFalse(SignalingServer.sameOrigin("http://localhost:8080", "http", null));
        assertFalse(SignalingServer.sameOrigin("http://localhost:8080", "http", "localhost:abc"));
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
