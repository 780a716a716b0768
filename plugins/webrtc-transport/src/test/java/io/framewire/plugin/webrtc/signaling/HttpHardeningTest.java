package io.framewire.plugin.webrtc.signaling;

import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP side of the signaling server, spoken raw over a socket (so that malformed requests reach
 * Jetty as sent): security headers on every response, error pages included; the token probe; the
 * Origin check with its scheme.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HttpHardeningTest {
    private static final long WAIT = 3000;
    private static WebSocketClient client;
    private SignalingServer server;

    @BeforeAll
    static void startClient() throws Exception {
        client = new WebSocketClient();
        client.start();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    private SignalingServer start(Consumer<SignalingConfig.Builder> customize) throws Exception {
        SignalingConfig.Builder b = SignalingConfig.builder().accessToken("the-token");
        customize.accept(b);
        server = new SignalingServer(b.build(), new RecordingListener(), () -> Map.of("ready", true));
        server.start();
        return server;
    }

    /** One raw HTTP/1.1 exchange: status line and headers (names lower case), body dropped. */
    record Raw(int status, Map<String, String> headers) {
    }

    private Raw raw(String requestHead) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 3000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            String[] lines = head.toString().split("\r\n");
            assertTrue(lines[0].startsWith("HTTP/1.1 "), "a status line: " + head);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            return new Raw(Integer.parseInt(lines[0].substring(9, 12)), headers);
        }
    }

    private Raw get(String target) throws Exception {
        return raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n\r\n");
    }

    private static void assertSecurityHeaders(Raw r, String what) {
        assertEquals("nosniff", r.headers().get("x-content-type-options"), what + ": " + r);
        assertEquals("no-referrer", r.headers().get("referrer-policy"), what + ": " + r);
        assertEquals("DENY", r.headers().get("x-frame-options"), what + ": " + r);
        assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, r.headers().get("content-security-policy"), what + ": " + r);
        assertTrue(r.headers().getOrDefault("cache-control", "").contains("no-cache"), what + ": " + r);
    }

    @Test
    void everyResponseCarriesTheSecurityHeadersErrorPagesIncluded() throws Exception {
        start(b -> { });
        Raw index = get("/");
        assertEquals(200, index.status());
        assertSecurityHeaders(index, "the web client");
        assertSecurityHeaders(get("/health"), "/health");
        Raw notFound = get("/no/such/page");
        assertEquals(404, notFound.status());
        assertSecurityHeaders(notFound, "404");
        Raw post = raw("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals(405, post.status());
        assertSecurityHeaders(post, "405");
        Raw signalWithoutUpgrade = get("/signal");
        assertEquals(400, signalWithoutUpgrade.status());
        assertSecurityHeaders(signalWithoutUpgrade, "400 /signal without upgrade");
        Raw badUri = get("/%zz");
        assertEquals(400, badUri.status(), "a bad percent escape");
        assertSecurityHeaders(badUri, "400 bad URI");
        Raw ambiguous = get("/..%2f..%2fetc/passwd");
        assertTrue(ambiguous.status() == 400 || ambiguous.status() == 404, "ambiguous path: " + ambiguous);
        assertSecurityHeaders(ambiguous, "ambiguous path");
        Raw malformed = raw("GARBAGE\r\n\r\n");
        assertEquals(400, malformed.status(), "a request line Jetty cannot parse");
        assertSecurityHeaders(malformed, "400 malformed request");
        Raw badHeader = raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n");
        assertEquals(400, badHeader.status(), "a header line without a colon");
        assertSecurityHeaders(badHeader, "400 bad header");
    }

    @Test
    void theAccessProbeTellsWhetherATokenIsRight() throws Exception {
        start(b -> { });
        Raw ok = get(SignalingServer.ACCESS_PATH + "?token=the-token");
        assertEquals(204, ok.status());
        assertSecurityHeaders(ok, "probe");
        assertEquals(403, get(SignalingServer.ACCESS_PATH + "?token=the-tokem").status());
        assertEquals(403, get(SignalingServer.ACCESS_PATH).status());
    }

    private TestClient connect(String origin) throws Exception {
        TestClient c = new TestClient();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Origin", origin);
        client.connect(c, URI.create("ws://127.0.0.1:" + server.port() + "/signal?token=the-token"), request)
                .get(WAIT, TimeUnit.MILLISECONDS);
        return c;
    }

    private int upgradeStatus(String origin) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect(origin), origin);
        assertInstanceOf(UpgradeException.class, e.getCause(), "upgrade refused: " + e.getCause());
        return ((UpgradeException) e.getCause()).getResponseStatusCode();
    }

    @Test
    void sameOriginComparesTheSchemeToo() throws Exception {
        start(b -> { });
        int port = server.port();
        assertEquals("hello", connect("http://127.0.0.1:" + port).next(WAIT).get("type"));
        assertEquals(403, upgradeStatus("https://127.0.0.1:" + port), "an https page on the same host and port");
        assertTrue(SignalingServer.sameOrigin("https://a.example", "https", "a.example"));
        assertTrue(SignalingServer.sameOrigin("https://a.example", "https", "a.example:443"));
        assertTrue(!SignalingServer.sameOrigin("http://a.example:443", "https", "a.example"), "http page, https server");
        assertTrue(!SignalingServer.sameOrigin("https://a.example", "http", "a.example:443"), "https page, http server");
        assertTrue(!SignalingServer.sameOrigin("http://a.example", "http", "a.example:8080"));
    }

    @Test
    void configuredOriginsMatchWithTheirSchemeAndWsStandsForHttp() throws Exception {
        start(b -> b.allowOrigin("wss://app.example").allowOrigin("http://tool.example:8081"));
        assertEquals("hello", connect("https://app.example").next(WAIT).get("type"));
        assertEquals(403, upgradeStatus("http://app.example"), "wss:// allows the https page only");
        assertEquals("hello", connect("http://tool.example:8081").next(WAIT).get("type"));
        assertEquals(403, upgradeStatus("https://tool.example:8081"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SignalingConfig.builder().allowOrigin("ftp://x.example"));
        assertTrue(e.getMessage().startsWith("allowedOrigins: \"ftp://x.example\" is not an origin"), e.getMessage());
    }
}
