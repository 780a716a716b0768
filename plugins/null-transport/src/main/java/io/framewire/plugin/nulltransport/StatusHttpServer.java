package io.framewire.plugin.nulltransport;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.framewire.api.HealthReport;
import io.framewire.api.spi.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /health} (JSON; 200 when ready, 503 otherwise, for readiness probes) and a
 * small status page at {@code /}, with the JDK's built-in HTTP server, on the null transport's HTTP
 * address and port: the null transport has no peers, but its stream can still be watched in figures.
 */
final class StatusHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusHttpServer.class);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "framewire-http");
        t.setDaemon(true);
        return t;
    });

    /** Binds and starts serving; on failure nothing is left running. */
    StatusHttpServer(TransportContext session, String bindAddress, int port) throws IOException {
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        } catch (IOException | RuntimeException e) {
            threads.shutdownNow();
            throw e;
        }
        server.createContext("/health", exchange -> respondHealth(exchange, session));
        server.createContext("/", this::respondStatusPage);
        server.setExecutor(threads);
        server.start();
    }

    /** @return the bound port */
    int port() {
        return server.getAddress().getPort();
    }

    private static void respondHealth(HttpExchange exchange, TransportContext session) throws IOException {
        HealthReport h = session.health();
        Map<String, Object> body = h.toMap(session.stream());
        body.put("peers", 0); // the same fields as the WebRTC transport's /health: no peers here
        body.put("peerStats", List.of());
        send(exchange, h.ready() ? 200 : 503, "application/json", JSON.std.asString(body).getBytes(StandardCharsets.UTF_8));
    }

    private void respondStatusPage(HttpExchange exchange) throws IOException {
        if (!"/".equals(exchange.getRequestURI().getPath())) {
            send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream page = StatusHttpServer.class.getResourceAsStream("/status.html")) {
            send(exchange, 200, "text/html; charset=utf-8", page.readAllBytes());
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        LOG.debug("HTTP server stopped");
    }
}
