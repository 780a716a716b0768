package io.framewire.plugin.webrtc.signaling;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.KeyInput;
import io.framewire.api.spi.StageEvent;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SignalingServerTest {
    private static final long WAIT = 3000;
    private static WebSocketClient client;
    private static HttpClient http;

    private final RecordingListener listener = new RecordingListener();
    private final AtomicReference<Map<String, Object>> health = new AtomicReference<>(Map.of("ready", true, "state", "READY"));
    private SignalingServer server;

    @BeforeAll
    static void startClient() throws Exception {
        client = new WebSocketClient();
        client.setMaxTextMessageSize(1 << 20);
        client.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
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
        SignalingConfig.Builder b = SignalingConfig.builder()
                .helloFields(() -> Map.of("width", 1280, "height", 720, "fps", 60, "codec", "H264"));
        customize.accept(b);
        server = new SignalingServer(b.build(), listener, health::get);
        server.start();
        return server;
    }

    private SignalingServer start() throws Exception {
        return start(b -> { });
    }

    private String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    private URI signalUri(String token) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/signal" + (token == null ? "" : "?token=" + token));
    }

    private TestClient connect(String token, String origin) throws Exception {
        TestClient c = new TestClient();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (origin != null) {
            request.setHeader("Origin", origin);
        }
        client.connect(c, signalUri(token), request).get(WAIT, TimeUnit.MILLISECONDS);
        return c;
    }

    /** Connects with the right token and origin, and consumes the hello. */
    private TestClient connected() throws Exception {
        TestClient c = connect(server.accessToken(), origin());
        assertEquals("hello", c.next(WAIT).get("type"));
        return c;
    }

    private int upgradeStatus(String token, String origin) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect(token, origin));
        assertInstanceOf(UpgradeException.class, e.getCause(), "upgrade refused: " + e.getCause());
        return ((UpgradeException) e.getCause()).getResponseStatusCode();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ security

    @Test
    void generatedTokenIsLongAndUrlSafe() throws Exception {
        start();
        String token = server.accessToken();
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
        assertTrue(Base64.getUrlDecoder().decode(token).length >= 16, "at least 128 bits");
        assertTrue(server.port() > 0);
        assertEquals("http://localhost:" + server.port() + "/?token=" + token, server.url());
    }

    @Test
    void missingOrWrongTokenIsForbidden() throws Exception {
        start();
        assertEquals(403, upgradeStatus(null, origin()));
        assertEquals(403, upgradeStatus("wrong", origin()));
        assertEquals(403, upgradeStatus(server.accessToken() + "x", origin()));
        assertEquals(403, upgradeStatus(server.accessToken().substring(1), origin()));
        assertEquals(0, server.peerCount());
        assertTrue(listener.events.isEmpty(), "no callbacks: " + listener.events);
    }

    @Test
    void configuredTokenIsUsed() throws Exception {
        start(b -> b.accessToken("s3cret-token"));
        assertEquals("s3cret-token", server.accessToken());
        connect("s3cret-token", origin()).session.close();
        assertEquals(403, upgradeStatus("s3cret-tokem", origin()));
    }

    @Test
    void foreignOriginIsForbiddenUnlessAllowed() throws Exception {
        start(b -> b.allowOrigin("https://app.example.com"));
        String token = server.accessToken();
        assertEquals(403, upgradeStatus(token, "http://evil.example"));
        assertEquals(403, upgradeStatus(token, "http://127.0.0.1:" + (server.port() + 1)));
        assertEquals(403, upgradeStatus(token, "null"));
        assertEquals(403, upgradeStatus(token, "http://127.0.0.1.evil.example:" + server.port()));
        // Missing Origin (non-browser client) is refused by default.
        assertEquals(403, upgradeStatus(token, null));
        // Same-origin and the allow-list are accepted.
        assertEquals("hello", connect(token, origin()).next(WAIT).get("type"));
        assertEquals("hello", connect(token, "https://APP.example.com:443").next(WAIT).get("type"));
    }

    @Test
    void missingOriginAllowedWhenConfigured() throws Exception {
        start(b -> b.allowMissingOrigin(true));
        assertEquals("hello", connect(server.accessToken(), null).next(WAIT).get("type"));
        assertEquals(403, upgradeStatus(server.accessToken(), "http://evil.example"));
        assertEquals(403, upgradeStatus("bad", null));
    }

    // ------------------------------------------------------------------ protocol

    @Test
    void helloThenOfferAnswerAndListenerOffTheNetworkThread() throws Exception {
        start();
        TestClient c = connect(server.accessToken(), origin());
        Map<String, Object> hello = c.next(WAIT);
        assertEquals("hello", hello.get("type"));
        assertEquals(1280, hello.get("width"));
        assertEquals(720, hello.get("height"));
        assertEquals(60, hello.get("fps"));
        assertEquals("H264", hello.get("codec"));
        String peerId = (String) hello.get("peerId");
        assertNotNull(peerId);
        assertEquals("connect " + peerId, listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertNotNull(server.peer(peerId));

        c.send("{\"type\":\"offer\",\"sdp\":\"v=0 test\"}");
        Map<String, Object> answer = c.next(WAIT);
        assertEquals(Map.of("type", "answer", "sdp", "answer-to:v=0 test"), answer);

        c.send("{\"type\":\"offer\",\"sdp\":\"reject\"}");
        Map<String, Object> error = c.next("error", WAIT);
        assertEquals("offer rejected: no video m-line", error.get("error"));

        assertTrue(listener.threads.stream().allMatch(n -> n.startsWith(server.threadNamePrefix() + "-listener")),
                "callbacks on the listener thread: " + listener.threads);

        c.session.close();
        assertEquals(1000, c.closeCode(WAIT));
        assertEquals("offer v=0 test", listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals("offer reject", listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals("disconnect " + peerId, listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals(0, server.peerCount());
    }

    @Test
    void everyClientMessageReachesTheListener() throws Exception {
        start();
        TestClient c = connected();
        listener.events.poll(WAIT, TimeUnit.MILLISECONDS); // connect
        c.send("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 2122260223 192.168.1.2 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
        c.send("{\"type\":\"candidate\",\"candidate\":\"\",\"sdpMid\":null}");
        c.send("{\"type\":\"app\",\"data\":{\"a\":[1,2],\"b\":\"x\"}}");
        c.send("{\"type\":\"pointer\",\"kind\":\"down\",\"button\":2,\"x\":10.5,\"y\":20,\"elementWidth\":640,\"elementHeight\":480}");
        c.send("{\"type\":\"pointer\",\"kind\":\"wheel\",\"x\":1,\"y\":2,\"elementWidth\":640,\"elementHeight\":480,\"dx\":0,\"dy\":-120}");
        c.send("{\"type\":\"key\",\"kind\":\"down\",\"key\":\"A\",\"code\":\"KeyA\",\"shift\":true,\"ctrl\":false,\"alt\":false,\"meta\":false,\"repeat\":true}");
        c.send("{\"type\":\"stage.load\",\"uri\":\"scene:demo?delayMillis=10000\"}");
        c.send("{\"type\":\"ping\",\"t\":1234.5}");
        assertEquals(Map.of("type", "pong", "t", 1234.5), c.next(WAIT));
        assertEquals("candidate candidate:1 1 udp 2122260223 192.168.1.2 5000 typ host 0 0", listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals("candidate  null null", listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals("app {\"a\":[1,2],\"b\":\"x\"}", listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals("pointer DOWN", listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals("pointer WHEEL", listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals("key DOWN KeyA", listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals("stage.load scene:demo?delayMillis=10000 (scene)", listener.events.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals(new PointerEvent(PointerEvent.Kind.DOWN, 2, 0, 10.5, 20, 640, 480, 0, 0), listener.pointers.get(0));
        assertEquals(-120, listener.pointers.get(1).dy());
        assertEquals(new KeyInput(KeyInput.Kind.DOWN, "A", "KeyA", true, false, false, false, true), listener.keys.get(0));
        assertTrue(c.messages.isEmpty(), "no errors: " + c.messages);
    }

    @Test
    void serverMessagesReachTheClient() throws Exception {
        start();
        TestClient c = connect(server.accessToken(), origin());
        String peerId = (String) c.next(WAIT).get("peerId");
        assertEquals(1, server.send(peerId, SignalingProtocol.toWire(new AppMessage("{\"score\":3}"))));
        assertEquals(Map.of("type", "app", "data", Map.of("score", 3)), c.next(WAIT));
        StageEvent stage = StageEvent.progress(URI.create("scene:demo"), 0.5, null);
        assertEquals(1, server.send(null, SignalingProtocol.toWire(stage)));
        assertEquals(Map.of("type", "stage.progress", "uri", "scene:demo", "progress", 0.5), c.next(WAIT));
        assertTrue(server.peer(peerId).send(SignalingProtocol.candidate("candidate:x", "0", 0)));
        assertEquals("candidate", c.next(WAIT).get("type"));
        assertEquals(0, server.send("nobody", "{}"));
    }

    @Test
    void badMessagesGetAnErrorAndTheSocketStaysOpen() throws Exception {
        start();
        TestClient c = connected();
        String[][] cases = {
                {"{not json", "malformed JSON"},
                {"[1,2]", "must be a JSON object"},
                {"{\"type\":\"offer\",\"sdp\":\"x\"} trailing", "malformed JSON: Unrecognized token 'trailing'"},
                {"{\"type\":\"ping\",\"t\":1} {\"type\":\"ping\",\"t\":2}", "malformed JSON: unexpected content after the JSON value"},
                {"{\"sdp\":\"x\"}", "missing field 'type'"},
                {"{\"type\":\"frobnicate\"}", "unknown type 'frobnicate'"},
                {"{\"type\":\"offer\"}", "offer: missing field 'sdp'"},
                {"{\"type\":\"offer\",\"sdp\":42}", "offer: field 'sdp' must be a string, got number 42"},
                {"{\"type\":\"app\",\"data\":[1]}", "app: field 'data' must be a JSON object"},
                {"{\"type\":\"pointer\",\"kind\":\"hover\",\"x\":1,\"y\":1,\"elementWidth\":1,\"elementHeight\":1}", "pointer: field 'kind' must be one of [down, up, move, wheel], got 'hover'"},
                {"{\"type\":\"pointer\",\"kind\":\"move\",\"x\":1,\"elementWidth\":1,\"elementHeight\":1}", "pointer: missing field 'y'"},
                {"{\"type\":\"pointer\",\"kind\":\"wheel\",\"x\":1,\"y\":1,\"elementWidth\":1,\"elementHeight\":1}", "pointer: missing field 'dx'"},
                {"{\"type\":\"pointer\",\"kind\":\"move\",\"x\":1,\"y\":1,\"elementWidth\":0,\"elementHeight\":1}", "'elementWidth' must be > 0"},
                {"{\"type\":\"key\",\"kind\":\"down\",\"code\":\"KeyA\"}", "key: missing field 'key'"},
                {"{\"type\":\"key\",\"kind\":\"down\",\"key\":\"a\",\"code\":\"KeyA\",\"shift\":\"yes\"}", "key: field 'shift' must be true or false"},
                {"{\"type\":\"stage.load\"}", "stage.load: missing field 'uri'"},
                {"{\"type\":\"stage.load\",\"uri\":\"a b\"}", "stage.load: field 'uri' is not a valid URI"},
                {"{\"type\":\"candidate\",\"sdpMid\":\"0\"}", "candidate: missing field 'candidate'"},
                {"{\"type\":\"candidate\",\"candidate\":\"\",\"sdpMLineIndex\":-1}", "'sdpMLineIndex' must be in"},
                {"{\"type\":\"ping\"}", "ping: missing field 't'"},
                {"{\"type\":\"offer\",\"sdp\":\"a\",\"sdp\":\"b\"}", "malformed JSON: Duplicate"},
        };
        for (String[] cs : cases) {
            c.send(cs[0]);
            Map<String, Object> reply = c.next(WAIT);
            assertEquals("error", reply.get("type"), cs[0] + " -> " + reply);
            assertTrue(((String) reply.get("error")).contains(cs[1]), cs[0] + " -> " + reply.get("error") + " should contain " + cs[1]);
        }
        c.send("{\"type\":\"ping\",\"t\":7}");
        assertEquals(Map.of("type", "pong", "t", 7), c.next(WAIT));
        assertTrue(c.session.isOpen());
        assertFalse(c.closed.isDone());
        assertEquals(1, listener.events.size(), "only the connect reached the listener: " + listener.events);
    }

    @Test
    void messageOver64KiBClosesWith1009ButExactly64KiBIsAccepted() throws Exception {
        start();
        TestClient c = connected();
        String head = "{\"type\":\"app\",\"data\":{\"s\":\"";
        String tail = "\"}}";
        String exact = head + "a".repeat(64 * 1024 - head.length() - tail.length()) + tail;
        assertEquals(64 * 1024, exact.length());
        c.send(exact);
        c.send("{\"type\":\"ping\",\"t\":1}");
        assertEquals("pong", c.next(WAIT).get("type"));
        listener.events.poll(WAIT, TimeUnit.MILLISECONDS); // connect
        assertEquals("app len=" + (exact.length() - "{\"type\":\"app\",\"data\":".length() - 1), listener.events.poll(WAIT, TimeUnit.MILLISECONDS));

        c.send(head + "a".repeat(64 * 1024) + tail);
        assertEquals(1009, c.closeCode(WAIT));
    }

    @Test
    void binaryMessagesAreRefused() throws Exception {
        start();
        TestClient c = connected();
        c.session.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), Callback.NOOP);
        assertEquals(1003, c.closeCode(WAIT));
    }

    @Test
    void floodOverTheRateGetsAnErrorThenIsClosed() throws Exception {
        start();
        TestClient c = connected();
        for (int i = 0; i < 3000 && c.session.isOpen(); i++) {
            c.send("{\"type\":\"ping\",\"t\":" + i + "}");
        }
        Map<String, Object> error = c.next("error", WAIT);
        assertTrue(((String) error.get("error")).startsWith("rate limit exceeded: more than 200 messages/s (burst 400)"), error.toString());
        int code = c.closeCode(WAIT);
        // 1008 from the server's close frame; -1 when the client was still writing the flood and
        // its write failed on the closed connection first.
        assertTrue(code == 1008 || code == -1, "closed by the server: " + code);
        long deadline = System.currentTimeMillis() + WAIT;
        while (server.peerCount() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, server.peerCount(), "the server dropped the flooding peer");
        long pongs = c.messages.stream().filter(m -> m.contains("pong")).count();
        assertTrue(pongs <= 450, "at most about the burst answered before the error: " + pongs);
    }

    @Test
    void burstWithinTheLimitIsServed() throws Exception {
        start();
        TestClient c = connected();
        for (int i = 0; i < 300; i++) {
            c.send("{\"type\":\"ping\",\"t\":" + i + "}");
        }
        for (int i = 0; i < 300; i++) {
            assertEquals(Map.of("type", "pong", "t", i), c.next(WAIT));
        }
        assertTrue(c.session.isOpen());
    }

    @Test
    void slowListenerDoesNotBlockPingsOfAnotherConnection() throws Exception {
        start();
        TestClient slow = connected();
        TestClient other = connected();
        slow.send("{\"type\":\"offer\",\"sdp\":\"slow\"}");
        assertEquals("offer slow", poll("offer"));
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            other.send("{\"type\":\"ping\",\"t\":" + i + "}");
            assertEquals(Map.of("type", "pong", "t", i), other.next(500));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis < 1000, "pongs took " + millis + " ms while the listener was blocked");
        // And messages for the listener are queued, not lost.
        other.send("{\"type\":\"offer\",\"sdp\":\"fast\"}");
        assertEquals("answer-to:slow", slow.next("answer", WAIT).get("sdp"));
        assertEquals("answer-to:fast", other.next("answer", WAIT).get("sdp"));
    }

    private String poll(String prefix) {
        try {
            while (true) {
                String e = listener.events.poll(WAIT, TimeUnit.MILLISECONDS);
                if (e == null || e.startsWith(prefix)) {
                    return e;
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void fullListenerQueueAnswersServerBusy() throws Exception {
        start(b -> b.listenerQueueCapacity(2));
        TestClient c = connected();
        c.send("{\"type\":\"offer\",\"sdp\":\"slow\"}");
        poll("offer"); // the slow offer is running; the queue is empty now
        for (int i = 0; i < 4; i++) {
            c.send("{\"type\":\"app\",\"data\":{\"i\":" + i + "}}");
        }
        Map<String, Object> busy = c.next("error", WAIT);
        assertTrue(((String) busy.get("error")).startsWith("server busy"), busy.toString());
        assertTrue(server.rejectedMessages() >= 1);
        assertTrue(c.session.isOpen());
    }

    // ------------------------------------------------------------------ HTTP

    @Test
    void staticFilesWithContentTypes() throws Exception {
        start();
        HttpResponse<String> index = get("/?token=" + server.accessToken());
        assertEquals(200, index.statusCode());
        assertEquals("text/html;charset=utf-8", index.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase());
        assertTrue(index.body().contains("<video"), "the video element");
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertFalse(index.headers().firstValue("Server").isPresent(), "no server version");
        assertEquals(index.body(), get("/index.html").body());

        HttpResponse<String> js = get("/framewire.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(js.body().contains("RTCPeerConnection"));

        HttpResponse<String> css = get("/style.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        assertTrue(css.body().contains("object-fit"));

        for (String path : new String[] {"/missing.js", "/web/", "/web/index.html", "/%2e%2e/pom.xml",
                "/io/framewire/plugin/webrtc/signaling/SignalingServer.class", "/index.html/", "/.hidden.js", "/a/b.js"}) {
            int status = get(path).statusCode();
            assertTrue(status == 404 || status == 400, path + " -> " + status);
        }
        assertEquals(400, get("/signal").statusCode(), "plain GET on the WebSocket path");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void healthIs200WhenReadyElse503() throws Exception {
        start();
        HttpResponse<String> ok = get("/health");
        assertEquals(200, ok.statusCode());
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(Map.of("ready", true, "state", "READY"), JSON.std.mapFrom(ok.body()));

        health.set(Map.of("ready", false, "state", "STARTING"));
        HttpResponse<String> starting = get("/health");
        assertEquals(503, starting.statusCode());
        assertEquals("STARTING", JSON.std.mapFrom(starting.body()).get("state"));

        health.set(Map.of("ready", "true"));
        assertEquals(503, get("/health").statusCode(), "only Boolean.TRUE is ready");
        health.set(null);
        assertEquals(503, get("/health").statusCode());
    }

    // ------------------------------------------------------------------ life cycle

    @Test
    void stopClosesPeersReportsDisconnectAndLeavesNoThreads() throws Exception {
        Set<String> jettyBefore = jettyLikeThreads();
        start();
        String prefix = server.threadNamePrefix();
        TestClient c = connected();
        get("/health");
        assertFalse(threadsNamed(prefix).isEmpty(), "the server has threads while running");
        assertEquals(1, server.peerCount());

        server.stop();
        assertEquals(Set.of(), threadsNamed(prefix), "threads left after stop");
        assertEquals(jettyBefore, jettyLikeThreads(), "no stray default-named Jetty threads");
        int code = c.closeCode(WAIT);
        assertTrue(code == 1001 || code == 1006, "closed: " + code);
        assertTrue(listener.events.stream().anyMatch(e -> e.startsWith("disconnect ")), listener.events.toString());
        assertEquals(0, server.peerCount());
        server.stop(); // idempotent
        assertThrows(IllegalStateException.class, server::start);
        assertThrows(Exception.class, () -> get("/health"));
    }

    @Test
    void stopInterruptsAHungListener() throws Exception {
        start();
        String prefix = server.threadNamePrefix();
        TestClient c = connected();
        c.send("{\"type\":\"offer\",\"sdp\":\"slow\"}");
        poll("offer");
        long t0 = System.nanoTime();
        server.stop();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis < 5000, "stop took " + millis + " ms");
        assertEquals(Set.of(), threadsNamed(prefix));
    }

    @Test
    void portInUseFailsStartCleanly() throws Exception {
        start();
        SignalingServer second = new SignalingServer(SignalingConfig.builder().port(server.port()).build(), listener, Map::of);
        assertThrows(java.io.IOException.class, second::start);
        assertEquals(Set.of(), threadsNamed(second.threadNamePrefix()));
        second.stop();
    }

    @Test
    void tooManyPeersGet503() throws Exception {
        start(b -> b.maxPeers(1));
        connected();
        assertEquals(503, upgradeStatus(server.accessToken(), origin()));
    }

    @Test
    void slowReaderSendsAreDroppedAndCounted() throws Exception {
        start(b -> b.maxPendingSendBytesPerPeer(1000));
        TestClient c = connect(server.accessToken(), origin());
        String peerId = (String) c.next(WAIT).get("peerId");
        SignalingPeer peer = server.peer(peerId);
        String big = SignalingProtocol.toWire(new AppMessage("{\"s\":\"" + "x".repeat(2000) + "\"}"));
        assertFalse(peer.send(big), "bigger than the pending-bytes budget");
        assertEquals(1, peer.droppedMessages());
        assertEquals(1, server.droppedMessages());
        assertTrue(peer.send("{\"type\":\"app\",\"data\":{}}"));
        assertEquals("app", c.next(WAIT).get("type"));
        peer.close();
        assertEquals(1000, c.closeCode(WAIT));
        assertFalse(peer.send("{}"));
        long deadline = System.currentTimeMillis() + WAIT;
        while (server.peer(peerId) != null && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertNull(server.peer(peerId), "unregistered after close");
    }

    private static Set<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
    }

    private static Set<String> jettyLikeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("qtp") || n.startsWith("Scheduler-") || n.startsWith("Connector-Scheduler")
                        || n.contains("framewire-signaling"))
                .collect(Collectors.toSet());
    }
}
