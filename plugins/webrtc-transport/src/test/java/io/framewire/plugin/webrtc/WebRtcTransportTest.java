package io.framewire.plugin.webrtc;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.Codec;
import io.framewire.api.Defaults;
import io.framewire.api.StreamDescription;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.ErrorMessage;
import io.framewire.api.spi.KeyInput;
import io.framewire.api.spi.PointerInput;
import io.framewire.api.spi.StageEvent;
import io.framewire.plugin.webrtc.sdp.Offers;
import io.framewire.plugin.webrtc.signaling.TestClient;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport's edge: typed messages in and out, offers answered from the stream's codec, the HTTP address. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebRtcTransportTest {
    private static final long WAIT = 3000;
    private static final String TOKEN = "test-token";
    private static WebSocketClient client;
    private static HttpClient http;

    private final FakeTransportContext context = new FakeTransportContext(stream(Codec.H264));
    private WebRtcTransport transport;

    @BeforeAll
    static void startClient() throws Exception {
        client = new WebSocketClient();
        client.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    @AfterEach
    void stopTransport() {
        if (transport != null) {
            transport.stop();
        }
    }

    private static StreamDescription stream(Codec codec) {
        return new StreamDescription(codec, 640, 360, 30, VideoInput.BGRA);
    }

    private WebRtcTransport start(String token, int port) throws Exception {
        transport = new WebRtcTransport(WebRtcTransport.defaultSettings(token, "127.0.0.1", port));
        transport.start(context);
        return transport;
    }

    private static TestClient connect(int port, String token) throws Exception {
        TestClient c = new TestClient();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Origin", "http://127.0.0.1:" + port);
        client.connect(c, URI.create("ws://127.0.0.1:" + port + "/signal?token=" + token), request)
                .get(WAIT, TimeUnit.MILLISECONDS);
        return c;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String offer(String sdp) throws IOException {
        return JSON.std.asString(Map.of("type", "offer", "sdp", sdp));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void defaultSettingsAreTheApiDefaults() {
        WebRtcSettings s = WebRtcTransport.defaultSettings("t");
        assertEquals(Defaults.BIND_ADDRESS, s.bindAddress());
        assertEquals(Defaults.HTTP_PORT, s.httpPort());
        assertEquals("t", s.accessToken());
        WebRtcSettings local = WebRtcTransport.defaultSettings("t", "127.0.0.1", 0);
        assertEquals("127.0.0.1", local.bindAddress());
        assertEquals(0, local.httpPort());
        assertEquals(s.maxPeers(), local.maxPeers());
    }

    @Test
    void helloNamesTheStreamsCodecAndSize() throws Exception {
        int port = start(TOKEN, 0).port();
        Map<String, Object> hello = connect(port, TOKEN).next("hello", WAIT);
        assertEquals("H264", hello.get("codec"));
        assertEquals(640, hello.get("width"));
        assertEquals(360, hello.get("height"));
        assertEquals(30, hello.get("fps"));
        context.stream = stream(Codec.AV1);
        assertEquals("AV1", connect(port, TOKEN).next("hello", WAIT).get("codec"), "read from the stream at each connect");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Codec.class, names = {"H264", "H265", "AV1"})
    void offerIsAnsweredBeforeAnyFrameWithTheStreamsCodec(Codec codec) throws Exception {
        context.stream = stream(codec);
        int port = start(TOKEN, 0).port();
        TestClient browser = connect(port, TOKEN);
        String peerId = (String) browser.next("hello", WAIT).get("peerId");
        browser.send(offer(Offers.CHROME)); // no frame was sent: the codec comes from stream()
        Map<String, Object> reply = browser.next(WAIT);
        assertEquals("answer", reply.get("type"), "answered, not refused: " + reply);
        String sdp = (String) reply.get("sdp");
        assertTrue(sdp.matches("(?s).*a=rtpmap:\\d+ " + codec.name() + "/90000.*"), sdp);
        for (Codec other : List.of(Codec.H264, Codec.H265, Codec.AV1)) {
            if (other != codec) {
                assertFalse(sdp.contains(" " + other.name() + "/90000"), other + " in " + sdp);
            }
        }

        Map<String, Object> health = JSON.std.mapFrom(get(port, "/health").body());
        assertEquals(codec.name(), health.get("codec"));
        assertEquals(42, health.get("framesSent"), "the runtime's counters");
        assertEquals(1, health.get("peers"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stats = (List<Map<String, Object>>) health.get("peerStats");
        assertEquals(1, stats.size());
        assertEquals(peerId, stats.get(0).get("peerId"));
        assertEquals(codec.name(), stats.get(0).get("codec"));
        assertEquals(false, stats.get(0).get("connected"), "no DTLS handshake in this test");
        assertEquals(0, stats.get(0).get("framesSent"));
        assertEquals(0, stats.get(0).get("packetsSent"));
    }

    @Test
    void offerIsRefusedWithAClearErrorWhenTheCodecHasNoRtpFormat() throws Exception {
        context.stream = stream(Codec.RAW);
        int port = start(TOKEN, 0).port();
        TestClient browser = connect(port, TOKEN);
        assertEquals("RAW", browser.next("hello", WAIT).get("codec"));
        browser.send(offer(Offers.CHROME));
        Map<String, Object> reply = browser.next(WAIT);
        assertEquals("error", reply.get("type"), reply.toString());
        assertEquals("offer rejected: the stream's codec is RAW, which WebRTC cannot carry: "
                + "select an H.264, H.265 or AV1 encoder", reply.get("error"));
        Map<String, Object> health = JSON.std.mapFrom(get(port, "/health").body());
        assertEquals(0, health.get("peers"), "no media peer made");
        assertEquals(List.of(), health.get("peerStats"));
        assertTrue(browser.session.isOpen(), "the socket stays open");
    }

    @Test
    void browserMessagesReachTheRuntimeTyped() throws Exception {
        int port = start(TOKEN, 0).port();
        TestClient browser = connect(port, TOKEN);
        String peerId = (String) browser.next("hello", WAIT).get("peerId");
        browser.send("{\"type\":\"app\",\"data\":{\"score\":3,\"tags\":[\"a\"]}}");
        browser.send("{\"type\":\"stage.load\",\"uri\":\"scene:demo?delayMillis=10\"}");
        // 1280x720 element showing 640x360: scale 2, no bars
        browser.send("{\"type\":\"pointer\",\"kind\":\"down\",\"button\":2,\"buttons\":2,\"x\":641,\"y\":361,"
                + "\"elementWidth\":1280,\"elementHeight\":720}");
        // 1000x1000 element: bars of 218.75 above and below the picture; y=100 is on the bar
        browser.send("{\"type\":\"pointer\",\"kind\":\"move\",\"x\":500,\"y\":100,\"elementWidth\":1000,\"elementHeight\":1000}");
        browser.send("{\"type\":\"pointer\",\"kind\":\"wheel\",\"x\":0,\"y\":0,\"elementWidth\":1280,\"elementHeight\":720,"
                + "\"dx\":1.5,\"dy\":-120}");
        browser.send("{\"type\":\"key\",\"kind\":\"down\",\"key\":\"a\\nFAKE LOG LINE\",\"code\":\"KeyA\",\"shift\":true,\"repeat\":true}");

        assertEquals(new FakeTransportContext.Received("app", peerId, new AppMessage("{\"score\":3,\"tags\":[\"a\"]}")),
                context.next(WAIT));
        assertEquals(new FakeTransportContext.Received("stage.load", peerId, URI.create("scene:demo?delayMillis=10")),
                context.next(WAIT));
        assertEquals(new FakeTransportContext.Received("input", peerId,
                new PointerInput(PointerInput.Kind.DOWN, 2, 2, 320, 180, 0, 0)), context.next(WAIT));
        assertEquals(new FakeTransportContext.Received("input", peerId,
                new PointerInput(PointerInput.Kind.WHEEL, 0, 0, 0, 0, 1.5, -120)), context.next(WAIT), "the bar move is dropped");
        assertEquals(new FakeTransportContext.Received("input", peerId,
                new KeyInput(KeyInput.Kind.DOWN, "a\nFAKE LOG LINE", "KeyA", true, false, false, false, true)), context.next(WAIT));
        assertEquals(1, transport.droppedPointerEvents());
        assertNull(context.next(200), "nothing else");
        assertTrue(browser.messages.isEmpty(), "no errors: " + browser.messages);
    }

    @Test
    void runtimeMessagesReachTheBrowserInWireForm() throws Exception {
        int port = start(TOKEN, 0).port();
        TestClient browser = connect(port, TOKEN);
        String peerId = (String) browser.next("hello", WAIT).get("peerId");
        TestClient other = connect(port, TOKEN);
        other.next("hello", WAIT);

        transport.sendMessage(null, new AppMessage("{\"type\":\"error\",\"n\":1}"));
        assertEquals(Map.of("type", "app", "data", Map.of("type", "error", "n", 1)), browser.next(WAIT),
                "an app object is wrapped whatever its fields");
        assertEquals("app", other.next(WAIT).get("type"), "null peer id: every peer");

        URI uri = URI.create("scene:demo");
        transport.sendMessage(peerId, StageEvent.loaded(uri, 120));
        assertEquals(Map.of("type", "stage.loaded", "uri", "scene:demo", "millis", 120), browser.next(WAIT));
        transport.sendMessage(peerId, StageEvent.failed(uri, "boom"));
        assertEquals(Map.of("type", "stage.failed", "uri", "scene:demo", "error", "boom"), browser.next(WAIT));

        transport.sendMessage(peerId, new ErrorMessage("stage.load: busy"));
        assertEquals(Map.of("type", "error", "error", "stage.load: busy"), browser.next(WAIT));

        transport.sendMessage(peerId, new AppMessage("[1,2]"));
        transport.sendMessage(peerId, new AppMessage("{\"a\":1} trailing"));
        transport.sendMessage("nobody", new AppMessage("{}"));
        browser.send("{\"type\":\"ping\",\"t\":7}");
        assertEquals(Map.of("type", "pong", "t", 7), browser.next(WAIT), "the non-object app messages were dropped");
        assertTrue(other.messages.isEmpty(), "the peer-addressed messages went to one peer only: " + other.messages);
    }

    @Test
    void httpPortChangeRestartsSignalingOnTheNewPort() throws Exception {
        start("", 0);
        int oldPort = transport.port();
        String token = transport.accessToken();
        TestClient browser = connect(oldPort, token);
        browser.next("hello", WAIT);
        int newPort = freePort();
        assertNotEquals(oldPort, newPort);

        transport.configure(WebRtcTransport.defaultSettings("", "127.0.0.1", newPort));

        assertEquals(newPort, transport.port());
        assertEquals(token, transport.accessToken(), "a generated token survives the move: browsers reconnect with it");
        int code = browser.closeCode(WAIT); // times out (fails) while the old connection stays open
        // 1001 going away, 1006 dropped, or -1: the client saw the socket fail (EOF) before any close
        assertTrue(code == 1001 || code == 1006 || code == -1, "the old connection is closed: " + code);
        assertEquals(200, get(newPort, "/health").statusCode());
        assertThrows(ConnectException.class, () -> get(oldPort, "/health"), "nothing on the old port");
        assertEquals("H264", connect(newPort, token).next("hello", WAIT).get("codec"));
    }

    @Test
    void otherSettingChangesDoNotRestartSignaling() throws Exception {
        start(TOKEN, 0);
        int port = transport.port();
        TestClient browser = connect(port, TOKEN);
        browser.next("hello", WAIT);

        transport.configure(WebRtcTransport.defaultSettings("another-token", "127.0.0.1", 0));

        assertEquals(port, transport.port());
        assertEquals(TOKEN, transport.accessToken(), "a running server keeps its token");
        browser.send("{\"type\":\"ping\",\"t\":1}");
        assertEquals(Map.of("type", "pong", "t", 1), browser.next(WAIT), "still connected");
    }

    @Test
    void settingsBeforeStartApplyAtStartAndStopReleasesThePort() throws Exception {
        transport = new WebRtcTransport(WebRtcTransport.defaultSettings(TOKEN, "127.0.0.1", 0));
        int port = freePort();
        transport.configure(WebRtcTransport.defaultSettings(TOKEN, "127.0.0.1", port));
        assertEquals(-1, transport.port(), "not serving before start");
        transport.start(context);
        assertEquals(port, transport.port());
        transport.stop();
        assertEquals(-1, transport.port());
        assertThrows(ConnectException.class, () -> get(port, "/health"));
        transport.start(context);
        assertNotNull(connect(transport.port(), TOKEN).next("hello", WAIT), "starts again after stop");
    }
}
