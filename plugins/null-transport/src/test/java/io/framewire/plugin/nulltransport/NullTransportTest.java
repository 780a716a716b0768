package io.framewire.plugin.nulltransport;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.Codec;
import io.framewire.api.Defaults;
import io.framewire.api.HealthReport;
import io.framewire.api.StreamDescription;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.ErrorMessage;
import io.framewire.api.spi.InputEvent;
import io.framewire.api.spi.StageEvent;
import io.framewire.api.spi.TransportContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class NullTransportTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private volatile HealthReport health = new HealthReport(HealthReport.State.READY, 3, null,
            new HealthReport.Counters(7, 2, 0, 1, 0, 0, 0, 0, 0));
    private final TransportContext context = new TransportContext() {
        @Override
        public StreamDescription stream() {
            return new StreamDescription(Codec.RAW, 320, 240, 25, VideoInput.BGRA);
        }

        @Override
        public void onAppMessage(String peerId, AppMessage message) {
        }

        @Override
        public void onStageLoad(String peerId, URI uri) {
        }

        @Override
        public void onInput(String peerId, InputEvent event) {
        }

        @Override
        public void requestKeyframe() {
        }

        @Override
        public HealthReport health() {
            return health;
        }

        @Override
        public String metrics() {
            return "# TYPE framewire_frames_sent counter\nframewire_frames_sent_total " + health.counters().framesSent() + "\n";
        }
    };
    private NullTransport transport;

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.stop();
        }
    }

    private NullTransport start(int port) throws Exception {
        transport = new NullTransport(NullTransport.settings("127.0.0.1", port));
        assertEquals(null, transport.url(), "no page before start");
        transport.start(context);
        assertEquals("http://localhost:" + transport.port() + "/", transport.url());
        return transport;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void metricsServeTheSessionsPrometheusText() throws Exception {
        int port = freePort();
        start(port);
        HttpResponse<String> r = get(port, "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals(TransportContext.METRICS_CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("# TYPE framewire_frames_sent counter\nframewire_frames_sent_total 7\n", r.body());
    }

    @Test
    void defaultsAreTheApiDefaults() {
        NullTransportSettings s = NullTransport.settings(Defaults.BIND_ADDRESS, Defaults.HTTP_PORT);
        assertEquals("0.0.0.0", s.bindAddress());
        assertEquals(8080, s.httpPort());
        assertEquals(NullTransportSettings.class, s.annotationType());
        assertEquals(-1, new NullTransport().port(), "not serving before start");
    }

    @Test
    void healthShowsTheStreamAndTheRuntimesCounters() throws Exception {
        int port = start(0).port();
        HttpResponse<String> ok = get(port, "/health");
        assertEquals(200, ok.statusCode());
        Map<String, Object> body = JSON.std.mapFrom(ok.body());
        assertEquals("READY", body.get("status"));
        assertEquals("RAW", body.get("codec"));
        assertEquals(320, body.get("width"));
        assertEquals(240, body.get("height"));
        assertEquals(25, body.get("fps"));
        assertEquals(7, body.get("framesSent"));
        assertEquals(1, body.get("sourceErrors"));
        assertEquals(0, body.get("peers"));
        assertEquals(List.of(), body.get("peerStats"));

        health = new HealthReport(HealthReport.State.STARTING, -1, "scene:x", HealthReport.Counters.NONE);
        HttpResponse<String> starting = get(port, "/health");
        assertEquals(503, starting.statusCode());
        assertEquals("scene:x", JSON.std.mapFrom(starting.body()).get("stageLoading"));
        assertTrue(get(port, "/").body().contains("/health"), "the status page");
        assertEquals(404, get(port, "/other").statusCode());
    }

    @Test
    void answersHeadAndRefusesOtherMethods() throws Exception {
        int port = start(0).port();
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("application/json", head.headers().firstValue("Content-Type").orElse(null));
        assertEquals("no-store", head.headers().firstValue("Cache-Control").orElse(null));

        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(10_000))).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());

        // Several requests in a row and at once: one connection each, every one answered.
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> pending = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health?i=" + i))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var p : pending) {
            assertEquals(200, p.get(10, TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void bundleNeedsNoJdkHttpServer() throws Exception {
        // bnd writes the manifest to target/classes before the tests run
        java.nio.file.Path file = java.nio.file.Path.of(NullTransport.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).resolve("META-INF/MANIFEST.MF");
        assertTrue(java.nio.file.Files.isRegularFile(file), "no bnd manifest at " + file);
        java.util.jar.Manifest manifest;
        try (var in = java.nio.file.Files.newInputStream(file)) {
            manifest = new java.util.jar.Manifest(in);
        }
        String imports = manifest.getMainAttributes().getValue("Import-Package");
        assertTrue(imports != null && imports.contains("io.framewire.api.spi"), "Import-Package: " + imports);
        assertTrue(!imports.contains("com.sun."), "imports a JDK-internal package, which Karaf does not export: " + imports);
    }

    @Test
    void httpPortChangeMovesTheServer() throws Exception {
        int oldPort = start(0).port();
        int newPort = freePort();
        assertNotEquals(oldPort, newPort);

        transport.configure(NullTransport.settings("127.0.0.1", newPort));

        assertEquals(newPort, transport.port());
        assertEquals(200, get(newPort, "/health").statusCode());
        assertThrows(ConnectException.class, () -> get(oldPort, "/health"));

        transport.configure(NullTransport.settings("127.0.0.1", newPort));
        assertEquals(newPort, transport.port(), "same address: the server stays");
    }

    @Test
    void settingsBeforeStartApplyAtStartAndStopReleasesThePort() throws Exception {
        transport = new NullTransport(NullTransport.settings("127.0.0.1", 0));
        int port = freePort();
        transport.configure(NullTransport.settings("127.0.0.1", port));
        assertEquals(-1, transport.port());
        transport.start(context);
        assertEquals(port, transport.port());
        assertThrows(IllegalStateException.class, () -> transport.start(context));
        transport.stop();
        assertEquals(-1, transport.port());
        assertThrows(ConnectException.class, () -> get(port, "/health"));
        transport.stop(); // idempotent
        transport.start(context);
        assertEquals(port, transport.port(), "starts again after stop");
    }

    @Test
    void countsFramesAndMessagesOfEveryKind() throws Exception {
        start(0);
        ByteBuffer data = ByteBuffer.wrap(new byte[100]);
        transport.send(new EncodedFrame(Codec.RAW, data, 0, 0, true, false));
        transport.send(new EncodedFrame(Codec.RAW, data, 1, 40_000, false, true));
        assertEquals(2, transport.timing().frames());
        assertTrue(transport.timing().toString().startsWith("2 frames, 200 bytes, 1 key frames, 1 repeated"),
                transport.timing().toString());

        transport.sendMessage(null, new AppMessage("{}"));
        transport.sendMessage("p1", StageEvent.started(URI.create("scene:x")));
        transport.sendMessage("p1", new ErrorMessage("no"));
        assertEquals(3, transport.messages());
        assertEquals(0, transport.peerCount());
    }
}
