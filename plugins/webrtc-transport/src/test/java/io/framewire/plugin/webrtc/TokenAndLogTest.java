package io.framewire.plugin.webrtc;

import io.framewire.api.Codec;
import io.framewire.api.StreamDescription;
import io.framewire.api.VideoInput;
import io.framewire.plugin.webrtc.signaling.GeneratedToken;
import io.framewire.plugin.webrtc.signaling.SignalingServer;
import io.framewire.plugin.webrtc.signaling.TestClient;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access token across restarts, and peer text in the log. */
class TokenAndLogTest {
    private static final long WAIT = 3000;
    private static WebSocketClient client;
    private static HttpClient http;
    private final FakeTransportContext context =
            new FakeTransportContext(new StreamDescription(Codec.H264, 640, 360, 30, VideoInput.BGRA));
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
    void stop() {
        if (transport != null) {
            transport.stop();
        }
    }

    private static TestClient connect(int port, String token) throws Exception {
        TestClient c = new TestClient();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Origin", "http://127.0.0.1:" + port);
        client.connect(c, URI.create("ws://127.0.0.1:" + port + "/signal?token=" + token), request).get(WAIT, TimeUnit.MILLISECONDS);
        return c;
    }

    private static int probe(int port, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SignalingServer.ACCESS_PATH
                + "?token=" + token)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aGeneratedTokenSurvivesStopStartAndANewComponentInstance() throws Exception {
        transport = new WebRtcTransport(WebRtcTransport.defaultSettings("", "127.0.0.1", 0));
        transport.start(context);
        String token = transport.accessToken();
        assertNotNull(token);
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "256 bits, URL-safe base64: " + token);

        transport.stop();
        context.stream = new StreamDescription(Codec.H264, 320, 240, 30, VideoInput.BGRA); // a session restart: new size
        transport.start(context);
        assertEquals(token, transport.accessToken(), "the same token after the transport's stop() and start()");
        assertEquals(320, ((Number) connect(transport.port(), token).next("hello", WAIT).get("width")).intValue(),
                "a page holding the token reconnects and is told the new size");
        assertEquals(204, probe(transport.port(), token));
        transport.stop();

        transport = new WebRtcTransport(WebRtcTransport.defaultSettings("", "127.0.0.1", 0)); // DS made a new instance
        transport.start(context);
        assertEquals(token, transport.accessToken(), "a new component instance keeps the process's token");
        assertEquals(GeneratedToken.get(), token);
    }

    @Test
    void aConfiguredTokenIsUsedAsItIs() throws Exception {
        transport = new WebRtcTransport(WebRtcTransport.defaultSettings("configured-token", "127.0.0.1", 0));
        transport.start(context);
        assertEquals("configured-token", transport.accessToken());
        assertTrue(transport.url().endsWith(":" + transport.port() + "/?token=configured-token"), transport.url());
        assertEquals(204, probe(transport.port(), "configured-token"));
        assertEquals(403, probe(transport.port(), GeneratedToken.get()), "the generated token does not open it");
    }

    @Test
    void aForgedNewlineOrAnsiEscapeInAKeyEventStaysOneLogLine() throws Exception {
        transport = new WebRtcTransport(WebRtcTransport.defaultSettings("t", "127.0.0.1", 0));
        transport.start(context);
        TestClient browser = connect(transport.port(), "t");
        browser.next("hello", WAIT);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            browser.send("{\"type\":\"key\",\"kind\":\"down\",\"key\":\"a\\n2026-01-01 [main] INFO forged\","
                    + "\"code\":\"\\u001b[2J\\r\"}");
            FakeTransportContext.Received got = context.next(WAIT);
            assertNotNull(got, "the key event reached the runtime");
            assertEquals("input", got.kind());
        } finally {
            System.setErr(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("key down")).toList();
        assertEquals(1, lines.size(), "one line: " + captured);
        String line = lines.get(0);
        assertTrue(line.contains("key=a\\n2026-01-01 [main] INFO forged code=\\u001b[2J\\r"), line);
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains("\u001b"), "no raw ESC reaches the log");
        assertFalse(captured.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith("2026-01-01")),
                "no forged line");
    }
}
