package io.framewire.plugin.webrtc.signaling;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Settings of a {@link SignalingServer}; build with {@link #builder()}. Immutable.
 *
 * <h2>Security model</h2>
 * <ul>
 *   <li><b>Access token.</b> The WebSocket upgrade at {@code /signal} needs {@code ?token=} equal
 *       to {@link #accessToken()} (compared in constant time); otherwise HTTP 403. When no token is
 *       configured, the server uses the process-wide {@link GeneratedToken} (256 random bits,
 *       URL-safe base64), the same across restarts; read it with {@link SignalingServer#accessToken()}. The static client and {@code /health} need no
 *       token (they carry no control).</li>
 *   <li><b>Origin.</b> Browsers always send {@code Origin} on a WebSocket upgrade. It must be
 *       same-origin (scheme, host and port all equal: its scheme is the one the request came in
 *       with, {@code http} or {@code https}, and its host and port those of the {@code Host}
 *       header, which without a port gets the scheme's default) or be listed in
 *       {@link #allowedOrigins()} (exact {@code scheme://host[:port]}, case-insensitive, default
 *       ports dropped; a configured {@code ws://} or {@code wss://} stands for {@code http://} or
 *       {@code https://}, the origin of a page that opens such a socket). Otherwise 403. Behind a
 *       TLS-terminating proxy the browser's {@code https} origin differs from the plain connection
 *       the server sees: list it in {@link #allowedOrigins()}. This stops cross-site WebSocket
 *       hijacking even if a token leaks into another site's hands through the browser.</li>
 *   <li><b>No Origin.</b> Only non-browser clients (tools, tests) omit {@code Origin}; they are
 *       refused with 403 unless {@link #allowMissingOrigin()} is true. They still need the token.</li>
 * </ul>
 */
public final class SignalingConfig {
    private final String bindAddress;
    private final int port;
    private final String accessToken;
    private final Set<String> allowedOrigins;
    private final boolean allowMissingOrigin;
    private final int maxTextMessageBytes;
    private final double rateLimitPerSecond;
    private final double rateLimitBurst;
    private final int listenerQueueCapacity;
    private final int maxPendingSendsPerPeer;
    private final long maxPendingSendBytesPerPeer;
    private final int maxPeers;
    private final Duration idleTimeout;
    private final Supplier<Map<String, Object>> helloFields;
    private final ClassLoader resourceLoader;
    private final String resourceBase;
    private final String name;

    private SignalingConfig(Builder b) {
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.accessToken = b.accessToken;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.allowMissingOrigin = b.allowMissingOrigin;
        this.maxTextMessageBytes = b.maxTextMessageBytes;
        this.rateLimitPerSecond = b.rateLimitPerSecond;
        this.rateLimitBurst = b.rateLimitBurst;
        this.listenerQueueCapacity = b.listenerQueueCapacity;
        this.maxPendingSendsPerPeer = b.maxPendingSendsPerPeer;
        this.maxPendingSendBytesPerPeer = b.maxPendingSendBytesPerPeer;
        this.maxPeers = b.maxPeers;
        this.idleTimeout = b.idleTimeout;
        this.helloFields = b.helloFields;
        this.resourceLoader = b.resourceLoader;
        this.resourceBase = b.resourceBase;
        this.name = b.name;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the address to bind, default {@code 127.0.0.1}; {@code 0.0.0.0} for all interfaces */
    public String bindAddress() { return bindAddress; }

    /** @return the TCP port, default 0 (ephemeral; see {@link SignalingServer#port()}) */
    public int port() { return port; }

    /** @return the configured access token, or null to generate one at start */
    public String accessToken() { return accessToken; }

    /** @return normalized extra origins allowed besides same-origin, default none */
    public Set<String> allowedOrigins() { return allowedOrigins; }

    /** @return whether an upgrade without {@code Origin} (non-browser client) is allowed, default false */
    public boolean allowMissingOrigin() { return allowMissingOrigin; }

    /** @return the largest accepted text message in bytes, default 64 KiB (closes with 1009 above) */
    public int maxTextMessageBytes() { return maxTextMessageBytes; }

    /** @return the sustained message rate per connection, default 200/s */
    public double rateLimitPerSecond() { return rateLimitPerSecond; }

    /** @return the token bucket size per connection, default 400 */
    public double rateLimitBurst() { return rateLimitBurst; }

    /** @return how many client messages may wait for the listener thread, default 1024 */
    public int listenerQueueCapacity() { return listenerQueueCapacity; }

    /** @return how many outgoing messages may be unwritten per peer before send drops, default 256 */
    public int maxPendingSendsPerPeer() { return maxPendingSendsPerPeer; }

    /** @return how many outgoing bytes (chars) may be unwritten per peer before send drops, default 4 MiB */
    public long maxPendingSendBytesPerPeer() { return maxPendingSendBytesPerPeer; }

    /** @return the most concurrent WebSocket peers; more upgrades get 503; default 32 */
    public int maxPeers() { return maxPeers; }

    /** @return the WebSocket idle timeout (the client pings every few seconds), default 60 s */
    public Duration idleTimeout() { return idleTimeout; }

    /** @return extra {@code hello} fields (width, height, fps, codec, iceServers); called per connect on a network thread: keep it cheap */
    public Supplier<Map<String, Object>> helloFields() { return helloFields; }

    /** @return the class loader the web client is read from (the bundle's), default this class's */
    public ClassLoader resourceLoader() { return resourceLoader; }

    /** @return the resource folder of the web client, default {@code web/} */
    public String resourceBase() { return resourceBase; }

    /** @return the thread-name prefix, default {@code framewire-signaling} */
    public String name() { return name; }

    /**
     * Normalizes an origin to {@code scheme://host[:port]} in lower case, dropping a default port.
     *
     * @return the normalized origin, or null when it is not an http(s) origin
     */
    static String normalizeOrigin(String origin) {
        return normalizeOrigin(origin, false);
    }

    /**
     * @param wsSchemes whether {@code ws}/{@code wss} are taken as {@code http}/{@code https} (configured
     *                  origins; a browser's {@code Origin} header is always http(s))
     */
    static String normalizeOrigin(String origin, boolean wsSchemes) {
        if (origin == null) {
            return null;
        }
        try {
            URI u = new URI(origin.trim());
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (wsSchemes && "ws".equals(scheme)) {
                scheme = "http";
            } else if (wsSchemes && "wss".equals(scheme)) {
                scheme = "https";
            }
            if (u.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                return null;
            }
            if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !"/".equals(u.getRawPath())) {
                return null;
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                return null;
            }
            int port = u.getPort();
            int dflt = "https".equals(scheme) ? 443 : 80;
            String host = u.getHost().toLowerCase(Locale.ROOT);
            return scheme + "://" + host + (port == -1 || port == dflt ? "" : ":" + port);
        } catch (Exception e) {
            return null;
        }
    }

    /** Builder of {@link SignalingConfig}. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port;
        private String accessToken;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private boolean allowMissingOrigin;
        private int maxTextMessageBytes = SignalingProtocol.MAX_TEXT_MESSAGE_BYTES;
        private double rateLimitPerSecond = 200;
        private double rateLimitBurst = 400;
        private int listenerQueueCapacity = 1024;
        private int maxPendingSendsPerPeer = 256;
        private long maxPendingSendBytesPerPeer = 4L << 20;
        private int maxPeers = 32;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Supplier<Map<String, Object>> helloFields = Map::of;
        private ClassLoader resourceLoader = SignalingServer.class.getClassLoader();
        private String resourceBase = "web/";
        private String name = "framewire-signaling";

        private Builder() {
        }

        public Builder bindAddress(String v) { this.bindAddress = Objects.requireNonNull(v, "bindAddress"); return this; }

        public Builder port(int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port out of range: " + v);
            }
            this.port = v;
            return this;
        }

        /** @param v the token, or null/blank to generate one at start */
        public Builder accessToken(String v) { this.accessToken = v == null || v.isBlank() ? null : v; return this; }

        /**
         * @param origin e.g. {@code https://app.example.com}: scheme, host and optional port, no path;
         *               {@code ws://} and {@code wss://} stand for {@code http://} and {@code https://}
         */
        public Builder allowOrigin(String origin) {
            String n = normalizeOrigin(origin, true);
            if (n == null) {
                throw new IllegalArgumentException("allowedOrigins: \"" + origin + "\" is not an origin: expected "
                        + "http(s)://host[:port] (or ws(s)://host[:port]), no path, query or user info");
            }
            allowedOrigins.add(n);
            return this;
        }

        public Builder allowMissingOrigin(boolean v) { this.allowMissingOrigin = v; return this; }

        public Builder maxTextMessageBytes(int v) { this.maxTextMessageBytes = positive(v, "maxTextMessageBytes"); return this; }

        public Builder rateLimit(double perSecond, double burst) {
            if (!(perSecond > 0) || !(burst >= 1)) {
                throw new IllegalArgumentException("rate limit must be > 0 with burst >= 1: " + perSecond + "/" + burst);
            }
            this.rateLimitPerSecond = perSecond;
            this.rateLimitBurst = burst;
            return this;
        }

        public Builder listenerQueueCapacity(int v) { this.listenerQueueCapacity = positive(v, "listenerQueueCapacity"); return this; }

        public Builder maxPendingSendsPerPeer(int v) { this.maxPendingSendsPerPeer = positive(v, "maxPendingSendsPerPeer"); return this; }

        public Builder maxPendingSendBytesPerPeer(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxPendingSendBytesPerPeer must be > 0: " + v);
            }
            this.maxPendingSendBytesPerPeer = v;
            return this;
        }

        public Builder maxPeers(int v) { this.maxPeers = positive(v, "maxPeers"); return this; }

        public Builder idleTimeout(Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive: " + v);
            }
            this.idleTimeout = v;
            return this;
        }

        /** @param v extra {@code hello} fields, e.g. {@code () -> Map.of("width",1920,"height",1080,"fps",60,"codec","H264")} */
        public Builder helloFields(Supplier<Map<String, Object>> v) { this.helloFields = Objects.requireNonNull(v, "helloFields"); return this; }

        public Builder resourceLoader(ClassLoader v) { this.resourceLoader = Objects.requireNonNull(v, "resourceLoader"); return this; }

        public Builder resourceBase(String v) {
            Objects.requireNonNull(v, "resourceBase");
            this.resourceBase = v.isEmpty() || v.endsWith("/") ? v : v + "/";
            return this;
        }

        public Builder name(String v) { this.name = Objects.requireNonNull(v, "name"); return this; }

        public SignalingConfig build() {
            return new SignalingConfig(this);
        }

        private static int positive(int v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be > 0: " + v);
            }
            return v;
        }
    }
}
