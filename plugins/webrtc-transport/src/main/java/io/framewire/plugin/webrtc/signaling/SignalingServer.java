package io.framewire.plugin.webrtc.signaling;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The signaling and web server of the WebRTC transport: a Jetty 12 core server that serves
 *
 * <ul>
 *   <li>{@code GET /} (and {@code /index.html}, {@code /framewire.js}, {@code /style.css}, other
 *       flat files of the web client) from the bundle class path ({@link SignalingConfig#resourceBase()});</li>
 *   <li>{@code GET /health}: the JSON of the health supplier; 200 when its {@code ready} is
 *       {@code true}, 503 otherwise;</li>
 *   <li>{@code GET /metrics}: the metrics supplier's Prometheus text (404 without one);</li>
 *   <li>{@code GET /access?token=...}: 204 when the token is the server's, 403 otherwise: the web
 *       client asks this when its WebSocket closed before opening, because browsers hide the HTTP
 *       status of a refused upgrade;</li>
 *   <li>the WebSocket {@code /signal?token=...}: the {@link SignalingProtocol}, guarded as
 *       described in {@link SignalingConfig}.</li>
 * </ul>
 *
 * <p>Life cycle: {@link #start()} once, then {@link #stop()} (idempotent; also {@link #close()}).
 * A stopped server cannot be started again: make a new one. Stop closes the peers (1001), reports
 * {@code onDisconnect} for each, lets the listener finish its queue (up to 2 s, then interrupts it)
 * and joins every thread the server made; all of them are named {@link #threadNamePrefix()}...
 *
 * <p>Every response, Jetty's error pages included, carries {@link SecurityHeaders}.
 */
public final class SignalingServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingServer.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long LISTENER_GRACE_MILLIS = 2000;
    private static final long JOIN_MILLIS = 5000;
    /** The token probe: 204 for the server's token, 403 otherwise. */
    public static final String ACCESS_PATH = "/access";

    private enum State { NEW, STARTED, STOPPED }

    private final SignalingConfig config;
    private final SignalingListener listener;
    private final Supplier<Map<String, Object>> health;
    private final Supplier<String> metrics;
    private final String threadNamePrefix;
    private final StaticContent content;
    private final Map<String, PeerSession> peers = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    // anyone who reaches the port can cause these: one line per interval each
    private final LogLimiter refusals = new LogLimiter(LOG);
    private final LogLimiter fullRefusals = new LogLimiter(LOG);
    private final AtomicLong peerCounter = new AtomicLong();
    private final String peerIdSalt;

    private State state = State.NEW;
    private volatile boolean accepting;
    private volatile String accessToken;
    private volatile byte[] accessTokenHash;
    private volatile int port = -1;
    private Server server;
    private TrackingThreadFactory jettyThreads;
    private ScheduledThreadPoolExecutor schedulerService;
    private TrackingThreadFactory schedulerThreads;
    private volatile ListenerDispatcher dispatcher;

    /**
     * @param config   the settings
     * @param listener the application (callbacks run on the server's listener thread)
     * @param health   the {@code /health} body; {@code ready == Boolean.TRUE} gives 200, else 503.
     *                 Called on a Jetty thread: must be quick and must not block.
     */
    public SignalingServer(SignalingConfig config, SignalingListener listener, Supplier<Map<String, Object>> health) {
        this(config, listener, health, null);
    }

    /**
     * @param config   the settings
     * @param listener the application (callbacks run on the server's listener thread)
     * @param health   the {@code /health} body, as for the other constructor
     * @param metrics  the {@code /metrics} body in the Prometheus text format, or null for no {@code /metrics};
     *                 called on a Jetty thread: must be quick and must not block
     */
    public SignalingServer(SignalingConfig config, SignalingListener listener, Supplier<Map<String, Object>> health,
                           Supplier<String> metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.health = Objects.requireNonNull(health, "health");
        this.metrics = metrics;
        this.threadNamePrefix = config.name() + "-" + INSTANCES.incrementAndGet();
        this.content = new StaticContent(config.resourceLoader(), config.resourceBase());
        this.peerIdSalt = GeneratedToken.random(6);
        String token = config.accessToken();
        if (token != null) {
            setToken(token);
        }
    }

    /**
     * Binds and starts serving. Without a configured token it uses the process-wide
     * {@link GeneratedToken}, so a restarted server keeps the token open pages hold.
     *
     * @throws IOException when the address cannot be bound (the server is then stopped)
     * @throws IllegalStateException when called twice or after stop
     */
    public synchronized void start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("SignalingServer can be started once; state is " + state);
        }
        state = State.STARTED;
        if (accessToken == null) {
            setToken(GeneratedToken.get());
        }
        dispatcher = new ListenerDispatcher(threadNamePrefix + "-listener", config.listenerQueueCapacity());

        jettyThreads = new TrackingThreadFactory(threadNamePrefix + "-jetty");
        QueuedThreadPool pool = new QueuedThreadPool(16, 4, 30_000, 0, null, null, jettyThreads);
        pool.setName(threadNamePrefix);
        pool.setDaemon(true);
        schedulerThreads = new TrackingThreadFactory(threadNamePrefix + "-scheduler");
        schedulerService = new ScheduledThreadPoolExecutor(1, schedulerThreads);
        schedulerService.setRemoveOnCancelPolicy(true);
        server = new Server(pool, new ScheduledExecutorScheduler(schedulerService), null);
        server.setStopAtShutdown(false);
        server.setStopTimeout(0);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.bindAddress());
        connector.setPort(config.port());
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);

        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(config.maxTextMessageBytes());
            container.setMaxBinaryMessageSize(1024);
            container.setMaxFrameSize(Math.max(config.maxTextMessageBytes(), 1024));
            container.setIdleTimeout(config.idleTimeout());
            container.addMapping("/signal", this::createWebSocket);
        });
        ws.setHandler(new HttpRoutes());
        server.setHandler(SecurityHeaders.wrapping(ws));
        server.setErrorHandler(SecurityHeaders.errorHandler());

        try {
            server.start();
        } catch (Exception e) {
            stop();
            if (e instanceof IOException) {
                throw (IOException) e;
            }
            Throwable cause = e.getCause();
            if (cause instanceof BindException) {
                throw (BindException) cause;
            }
            throw new IOException("could not start the signaling server on " + config.bindAddress() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        port = connector.getLocalPort();
        accepting = true;
        LOG.info("Signaling server listening on {}:{}", config.bindAddress(), port);
    }

    /** Stops serving, closes the peers and joins all threads. Idempotent. */
    public synchronized void stop() {
        if (state == State.STOPPED) {
            return;
        }
        boolean wasStarted = state == State.STARTED;
        state = State.STOPPED;
        accepting = false;
        if (!wasStarted) {
            return;
        }
        for (PeerSession peer : new ArrayList<>(peers.values())) {
            peer.close(PeerSession.CLOSE_GOING_AWAY, "server stopping");
        }
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("Signaling server did not stop cleanly", e);
            }
        }
        for (PeerSession peer : new ArrayList<>(peers.values())) {
            peer.terminated();
        }
        if (schedulerService != null) {
            schedulerService.shutdownNow();
            try {
                schedulerService.awaitTermination(JOIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dispatcher != null) {
            dispatcher.shutdown(LISTENER_GRACE_MILLIS);
        }
        if ((jettyThreads != null && !jettyThreads.joinAll(JOIN_MILLIS))
                || (schedulerThreads != null && !schedulerThreads.joinAll(JOIN_MILLIS))) {
            LOG.warn("Some signaling server threads ({}-*) did not end", threadNamePrefix);
        }
        LOG.info("Signaling server on port {} stopped", port);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** @return the bound port (the real one when configured 0), or -1 before start */
    public int port() {
        return port;
    }

    /** @return the access token (configured, or generated at start; null before start if not configured) */
    public String accessToken() {
        return accessToken;
    }

    /** @return {@code http://localhost:PORT/?token=TOKEN} (the host of the bind address unless a wildcard) */
    public String url() {
        String host = config.bindAddress();
        if (host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host) || "127.0.0.1".equals(host)) {
            host = "localhost";
        } else if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port + "/?token=" + accessToken;
    }

    /** @return the prefix of every thread name this server uses */
    public String threadNamePrefix() {
        return threadNamePrefix;
    }

    /** @return the settings */
    public SignalingConfig config() {
        return config;
    }

    /** @return a snapshot of the connected peers */
    public Collection<SignalingPeer> peers() {
        return List.copyOf(peers.values());
    }

    /** @return the connected peer with that id, or null */
    public SignalingPeer peer(String peerId) {
        return peerId == null ? null : peers.get(peerId);
    }

    /** @return how many peers are connected */
    public int peerCount() {
        return peers.size();
    }

    /**
     * Sends a JSON message to one peer, or to every peer when {@code peerId} is null. Never blocks.
     *
     * @return how many peers it was queued for
     */
    public int send(String peerId, String json) {
        if (peerId != null) {
            PeerSession p = peers.get(peerId);
            return p != null && p.send(json) ? 1 : 0;
        }
        int n = 0;
        for (PeerSession p : peers.values()) {
            if (p.send(json)) {
                n++;
            }
        }
        return n;
    }

    /** @return outgoing messages dropped (slow or gone clients), over all peers since start */
    public long droppedMessages() {
        return dropped.get();
    }

    /** @return client messages dropped because the listener queue was full */
    public long rejectedMessages() {
        ListenerDispatcher d = dispatcher;
        return d == null ? 0 : d.rejectedMessages();
    }

    // ------------------------------------------------------------------ internals

    void countDropped() {
        dropped.incrementAndGet();
    }

    boolean register(PeerSession peer) {
        if (!accepting) {
            return false;
        }
        peers.put(peer.peerId(), peer);
        return true;
    }

    void unregister(PeerSession peer) {
        peers.remove(peer.peerId(), peer);
    }

    private void setToken(String token) {
        this.accessToken = token;
        this.accessTokenHash = sha256(token);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time check (both sides hashed to the same length first). */
    boolean tokenMatches(String presented) {
        byte[] expected = accessTokenHash;
        if (presented == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(presented));
    }

    /** @return null when the upgrade may proceed, else the reason for a 403 */
    String checkAccess(Request request) {
        String token = Request.extractQueryParameters(request).getValue("token");
        if (!tokenMatches(token)) {
            return token == null ? "missing access token" : "invalid access token";
        }
        List<String> origins = request.getHeaders().getValuesList(HttpHeader.ORIGIN);
        if (origins.isEmpty()) {
            return config.allowMissingOrigin() ? null : "missing Origin header";
        }
        if (origins.size() > 1) {
            return "more than one Origin header";
        }
        String origin = SignalingConfig.normalizeOrigin(origins.get(0));
        if (origin == null) {
            return "origin not allowed";
        }
        if (config.allowedOrigins().contains(origin)
                || sameOrigin(origin, request.isSecure() ? "https" : "http", request.getHeaders().get(HttpHeader.HOST))) {
            return null;
        }
        return "origin not allowed";
    }

    /**
     * Same origin: scheme, host and port all equal. A page served over http opens {@code ws:}, over
     * https {@code wss:}; either way the browser sends the page's origin, so the upgrade's own scheme
     * is the one of the connection it came on ({@code http} or {@code https}).
     *
     * @param origin       normalized origin
     * @param serverScheme {@code http} or {@code https}: how the request reached this server
     * @param host         the Host header
     */
    static boolean sameOrigin(String origin, String serverScheme, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String scheme = origin.substring(0, origin.indexOf("://"));
        if (!scheme.equals(serverScheme)) {
            return false; // an http page must not drive an https server, nor the other way round
        }
        int dflt = "https".equals(scheme) ? 443 : 80;
        String rest = origin.substring(scheme.length() + 3);
        String[] o = splitHostPort(rest, dflt);
        String[] h = splitHostPort(host.trim().toLowerCase(Locale.ROOT), dflt);
        return o != null && h != null && o[0].equals(h[0]) && o[1].equals(h[1]);
    }

    /** @return {host, port} with the default port filled in, or null when malformed */
    private static String[] splitHostPort(String hostPort, int defaultPort) {
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = hostPort.substring(0, end + 1);
            String after = hostPort.substring(end + 1);
            if (after.isEmpty()) {
                port = Integer.toString(defaultPort);
            } else if (after.startsWith(":")) {
                port = after.substring(1);
            } else {
                return null;
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0 && hostPort.indexOf(':') != colon) {
                return null; // an unbracketed IPv6 address is not a valid Host
            }
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? Integer.toString(defaultPort) : hostPort.substring(colon + 1);
        }
        try {
            return new String[] {host, Integer.toString(Integer.parseInt(port))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        String problem = checkAccess(request);
        if (problem != null) {
            refusals.info("Refused signaling upgrade from " + Request.getRemoteAddr(request) + ": " + problem);
            Response.writeError(request, response, callback, 403, "Forbidden: " + problem);
            return null;
        }
        if (!accepting) {
            Response.writeError(request, response, callback, 503, "server stopping");
            return null;
        }
        if (peers.size() >= config.maxPeers()) {
            fullRefusals.warn("Refused signaling upgrade from " + Request.getRemoteAddr(request) + ": " + peers.size()
                    + " peers connected (maxPeers)", null);
            Response.writeError(request, response, callback, 503, "too many peers");
            return null;
        }
        String peerId = "p" + peerCounter.incrementAndGet() + "-" + peerIdSalt;
        return new PeerSession(this, listener, dispatcher, config, peerId);
    }

    /** /health, the web client, and 404/405/400 for everything else. */
    private final class HttpRoutes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            boolean head = HttpMethod.HEAD.is(method);
            if (!HttpMethod.GET.is(method) && !head) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                Response.writeError(request, response, callback, 405);
                return true;
            }
            if ("/signal".equals(path)) {
                Response.writeError(request, response, callback, 400, "WebSocket upgrade required");
                return true;
            }
            if ("/health".equals(path)) {
                health(request, response, callback, head);
                return true;
            }
            if ("/metrics".equals(path) && metrics != null) {
                metrics(response, callback, head);
                return true;
            }
            if (ACCESS_PATH.equals(path)) {
                // no Origin check: it answers only "is this token right", which the upgrade tells too
                boolean ok = tokenMatches(Request.extractQueryParameters(request).getValue("token"));
                response.setStatus(ok ? 204 : 403);
                response.write(true, null, callback);
                return true;
            }
            StaticContent.Entry entry = content.get(path);
            if (entry == null) {
                Response.writeError(request, response, callback, 404);
                return true;
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, entry.contentType());
            write(response, callback, entry.bytes(), head);
            return true;
        }

        private void health(Request request, Response response, Callback callback, boolean head) {
            Map<String, Object> body;
            int status;
            try {
                Map<String, Object> report = health.get();
                body = report == null ? new LinkedHashMap<>() : new LinkedHashMap<>(report);
                status = Boolean.TRUE.equals(body.get("ready")) ? 200 : 503;
            } catch (RuntimeException e) {
                LOG.warn("Health supplier failed", e);
                body = new LinkedHashMap<>();
                body.put("ready", false);
                body.put("error", "health supplier failed: " + e);
                status = 503;
            }
            String json;
            try {
                json = SignalingProtocol.write(body);
            } catch (IllegalArgumentException e) {
                json = "{\"ready\":false,\"error\":\"health report is not serializable\"}";
                status = 503;
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
            write(response, callback, json.getBytes(StandardCharsets.UTF_8), head);
        }

        private void metrics(Response response, Callback callback, boolean head) {
            String text;
            try {
                text = metrics.get();
                response.setStatus(200);
            } catch (RuntimeException e) {
                LOG.warn("Metrics supplier failed: {}", e.toString());
                text = "metrics supplier failed\n";
                response.setStatus(500);
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, io.framewire.api.spi.TransportContext.METRICS_CONTENT_TYPE);
            write(response, callback, text.getBytes(StandardCharsets.UTF_8), head);
        }

        private void write(Response response, Callback callback, byte[] bytes, boolean head) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, head ? null : ByteBuffer.wrap(bytes), callback);
        }
    }
}
