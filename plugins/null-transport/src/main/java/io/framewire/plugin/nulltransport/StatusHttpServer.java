package io.framewire.plugin.nulltransport;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.HealthReport;
import io.framewire.api.spi.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves {@code GET /metrics} (the session's Prometheus text), {@code GET /health} (JSON; 200 when ready, 503 otherwise, for readiness probes) and a
 * small status page at {@code /} on the null transport's HTTP address and port: the null transport
 * has no peers, but its stream can still be watched in figures.
 *
 * <p>A minimal HTTP/1.1 responder on {@link ServerSocket}: one request per connection
 * ({@code Connection: close}), {@code GET} and {@code HEAD} only. It needs nothing beyond
 * {@code java.net}, so the bundle resolves in any OSGi framework (Karaf's system bundle does not
 * export the JDK's {@code com.sun.net.httpserver}).
 */
final class StatusHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusHttpServer.class);
    /** Longest request head (request line and headers) read; longer ones are answered 431. */
    private static final int MAX_HEAD_BYTES = 8192;
    /** A client that sends no complete request head within this time is dropped. */
    private static final int READ_TIMEOUT_MILLIS = 5_000;
    /** How long, after responding, what the client still sends is read and dropped before closing. */
    private static final int LINGER_MILLIS = 1_000;

    private final TransportContext session;
    private final ServerSocket socket;
    private final Thread acceptor;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "framewire-http");
        t.setDaemon(true);
        return t;
    });

    /** Binds and starts serving; on failure nothing is left running. */
    StatusHttpServer(TransportContext session, String bindAddress, int port) throws IOException {
        this.session = session;
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(bindAddress, port), 16);
        } catch (IOException | RuntimeException e) {
            s.close();
            threads.shutdownNow();
            throw e;
        }
        socket = s;
        acceptor = new Thread(this::acceptLoop, "framewire-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the bound port */
    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("Null transport HTTP: accept failed ({}); the status server stops", e.toString());
                }
                return;
            }
            try {
                threads.execute(() -> handle(client));
            } catch (RejectedExecutionException e) {
                closeQuietly(client); // closing
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            client.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            respond(in, out);
            // Close gracefully: a request body left unread would make the close a reset, which
            // can reach the client before it has read the response.
            client.shutdownOutput();
            client.setSoTimeout(LINGER_MILLIS);
            in.transferTo(OutputStream.nullOutputStream());
        } catch (SocketException | SocketTimeoutException e) {
            LOG.debug("Null transport HTTP: connection dropped ({})", e.toString());
        } catch (IOException | RuntimeException e) {
            LOG.debug("Null transport HTTP: request failed", e);
        }
    }

    private void respond(InputStream in, OutputStream out) throws IOException {
        String head = readHead(in);
        if (head == null) {
            send(out, false, 431, "text/plain", bytes("request header too large"));
            return;
        }
        String[] requestLine = head.substring(0, head.indexOf('\r')).split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            send(out, false, 400, "text/plain", bytes("bad request"));
            return;
        }
        String method = requestLine[0];
        boolean headOnly = "HEAD".equals(method);
        if (!"GET".equals(method) && !headOnly) {
            send(out, false, 405, "text/plain", bytes("only GET and HEAD"));
            return;
        }
        String path;
        try {
            path = URI.create(requestLine[1]).getPath();
        } catch (IllegalArgumentException e) {
            send(out, false, 400, "text/plain", bytes("bad request target"));
            return;
        }
        if ("/health".equals(path)) {
            HealthReport h = session.health();
            Map<String, Object> body = h.toMap(session.stream());
            body.put("peers", 0); // the same fields as the WebRTC transport's /health: no peers here
            body.put("peerStats", List.of());
            send(out, headOnly, h.ready() ? 200 : 503, "application/json", JSON.std.asString(body).getBytes(StandardCharsets.UTF_8));
        } else if ("/metrics".equals(path)) {
            send(out, headOnly, 200, TransportContext.METRICS_CONTENT_TYPE, session.metrics().getBytes(StandardCharsets.UTF_8));
        } else if ("/".equals(path)) {
            try (InputStream page = StatusHttpServer.class.getResourceAsStream("/status.html")) {
                send(out, headOnly, 200, "text/html; charset=utf-8", page.readAllBytes());
            }
        } else {
            send(out, headOnly, 404, "text/plain", bytes("not found"));
        }
    }

    /** @return the request head, its closing blank line included, or null when it is too long */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0; // of "\r\n\r\n"
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                throw new SocketException("end of stream before the request head ended");
            }
            head.write(b);
            if (b == '\r') {
                matched = matched == 2 ? 3 : 1;
            } else if (b == '\n' && (matched == 1 || matched == 3)) {
                matched++;
            } else {
                matched = 0;
            }
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static void send(OutputStream out, boolean headOnly, int status, String type, byte[] body) throws IOException {
        String headers = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "Connection: close\r\n\r\n";
        out.write(headers.getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) {
            out.write(body);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do: the connection is gone either way
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Null transport HTTP: closing the server socket: {}", e.toString());
        }
        threads.shutdownNow();
        try {
            acceptor.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("HTTP server stopped");
    }
}
