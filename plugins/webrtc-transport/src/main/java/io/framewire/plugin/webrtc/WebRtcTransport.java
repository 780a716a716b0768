package io.framewire.plugin.webrtc;

import io.framewire.api.Codec;
import io.framewire.api.Defaults;
import io.framewire.api.StreamDescription;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.KeyInput;
import io.framewire.api.spi.LogText;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.PeerStats;
import io.framewire.api.spi.Plugins;
import io.framewire.api.spi.PointerInput;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import io.framewire.plugin.webrtc.dtls.DtlsCertificate;
import io.framewire.plugin.webrtc.input.LetterboxMapper;
import io.framewire.plugin.webrtc.sdp.SdpParser;
import io.framewire.plugin.webrtc.sdp.SessionDescription;
import io.framewire.plugin.webrtc.signaling.GeneratedToken;
import io.framewire.plugin.webrtc.signaling.PointerEvent;
import io.framewire.plugin.webrtc.signaling.SignalingConfig;
import io.framewire.plugin.webrtc.signaling.SignalingListener;
import io.framewire.plugin.webrtc.signaling.SignalingPeer;
import io.framewire.plugin.webrtc.signaling.SignalingProtocol;
import io.framewire.plugin.webrtc.signaling.SignalingServer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Standard WebRTC to any browser, with no vendor client library: signaling, app messages and input
 * over one WebSocket ({@link SignalingServer}), media over ICE-lite + DTLS-SRTP + RTP per browser
 * ({@link MediaPeer}). Serves the web client at {@code /} and {@code /health} on its own HTTP
 * address and port ({@link WebRtcSettings#bindAddress()}, {@link WebRtcSettings#httpPort()}).
 *
 * <p>This class is the transport's edge: browser messages arrive parsed into typed values, and
 * runtime messages are written to the wire here ({@link SignalingProtocol#toWire}). Offers are
 * answered with the session's codec ({@link TransportContext#stream()}), known before the first
 * frame. Pointer events are mapped from the {@code <video>} element (object-fit: contain) to stream
 * pixels here, on the server; events on the letterbox bars are dropped.
 */
@Component(service = Transport.class, property = Plugins.NAME + "=webrtc", configurationPid = WebRtcSettings.PID)
@Designate(ocd = WebRtcSettings.class)
public class WebRtcTransport implements Transport, SignalingListener, MediaPeer.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);
    /** How often the encoder's bitrate follows the viewers' estimates. */
    static final long RATE_UPDATE_MILLIS = 100;
    /** A new network bitrate is passed on only when it moved by more than this share (the encoder restarts its rate control). */
    static final double RATE_CHANGE_THRESHOLD = 0.03;

    private final Map<String, MediaPeer> peers = new ConcurrentHashMap<>();
    private final AtomicLong droppedPointerEvents = new AtomicLong();
    private volatile WebRtcSettings settings;
    private volatile TransportContext context;
    private volatile SignalingServer signaling;
    private volatile DtlsCertificate certificate;
    private boolean running; // guarded by this
    private ScheduledExecutorService reports;
    private volatile int networkKbps; // what the encoder was last told, 0 = no estimate
    private final ByteRate encodedRate = new ByteRate(); // what the encoder produced
    /** Guards the encoder rate decision (followNetwork: the rate tick and key-frame requests). */
    private final Object rateLock = new Object();
    private final EncoderRateAdjuster rateAdjuster = new EncoderRateAdjuster(); // guarded by rateLock

    /** For Declarative Services. */
    public WebRtcTransport() {
    }

    /**
     * For use without OSGi (tests, embedding).
     *
     * @param settings the settings, e.g. from {@link #defaultSettings(String, String, int)}
     */
    public WebRtcTransport(WebRtcSettings settings) {
        this.settings = settings;
    }

    /**
     * The settings Configuration Admin gives when nothing is configured, for use without OSGi:
     * {@link Defaults#BIND_ADDRESS} and {@link Defaults#HTTP_PORT}.
     *
     * @param accessToken the signaling token, or "" to generate one at start
     * @return the settings
     */
    public static WebRtcSettings defaultSettings(String accessToken) {
        return defaultSettings(accessToken, Defaults.BIND_ADDRESS, Defaults.HTTP_PORT);
    }

    /**
     * The default settings with the given HTTP address and port, for use without OSGi.
     *
     * @param accessToken the signaling token, or "" to generate one at start
     * @param bindAddress the address of the HTTP server and the media ports, e.g. {@code 127.0.0.1}
     * @param httpPort    the HTTP port, 0 for any free port ({@link #port()} tells which)
     * @return the settings
     */
    public static WebRtcSettings defaultSettings(String accessToken, String bindAddress, int httpPort) {
        return settings(Map.of("accessToken", accessToken, "bindAddress", bindAddress, "httpPort", httpPort));
    }

    /**
     * Settings for use without OSGi: the given values by attribute name, the declared defaults of
     * {@link WebRtcSettings} for the rest (one owner for each default: the annotation).
     *
     * @param values attribute name to value, of the attribute's type
     * @return the settings
     * @throws IllegalArgumentException naming an attribute {@link WebRtcSettings} does not have
     */
    public static WebRtcSettings settings(Map<String, Object> values) {
        return AnnotationDefaults.of(WebRtcSettings.class, values);
    }

    /**
     * New settings. A new HTTP address or port moves the running signaling server at once (its
     * browsers are disconnected and reconnect); everything else applies from the next start.
     */
    @Activate
    @Modified
    synchronized void configure(WebRtcSettings newSettings) {
        WebRtcSettings previous = settings;
        settings = newSettings;
        if (!running) {
            return;
        }
        if (signaling == null) {
            // the last move failed to bind: try again with these settings
            restartSignaling(null);
        } else if (!sameHttpAddress(previous, newSettings)) {
            restartSignaling(previous);
        }
    }

    private static boolean sameHttpAddress(WebRtcSettings a, WebRtcSettings b) {
        return a != null && a.httpPort() == b.httpPort() && a.bindAddress().equals(b.bindAddress());
    }

    @Override
    public synchronized void start(TransportContext ctx) throws IOException {
        if (running) {
            throw new IllegalStateException("the WebRTC transport is already started");
        }
        if (settings.congestionControl()) {
            PeerCongestion.congestionSettings(settings); // refuses min > start > max before any viewer
        }
        this.context = ctx;
        networkKbps = 0;
        certificate = DtlsCertificate.generate();
        SignalingServer server = startSignaling();
        signaling = server;
        reports = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "framewire-rtcp");
            t.setDaemon(true);
            return t;
        });
        reports.scheduleAtFixedRate(this::everySecond, 1, 1, TimeUnit.SECONDS);
        reports.scheduleAtFixedRate(() -> followNetwork(true), RATE_UPDATE_MILLIS, RATE_UPDATE_MILLIS, TimeUnit.MILLISECONDS);
        running = true;
        LOG.info("Framewire is streaming. Open {} ({})", server.url(), ctx.stream().codec());
    }

    /**
     * Starts a signaling server on the current settings. Without a configured token it uses the
     * process-wide {@link GeneratedToken}: a restart (new stream size, codec, port, a new component
     * instance) keeps the token the open pages hold, so they reconnect by themselves.
     */
    private SignalingServer startSignaling() throws IOException {
        WebRtcSettings s = settings;
        String token = s.accessToken() == null || s.accessToken().isBlank() ? null : s.accessToken();
        SignalingConfig.Builder builder = SignalingConfig.builder().name("framewire-signaling")
                .bindAddress(s.bindAddress()).port(s.httpPort())
                .accessToken(token).maxPeers(s.maxPeers())
                .resourceLoader(WebRtcTransport.class.getClassLoader())
                .helloFields(this::helloFields);
        for (String origin : s.allowedOrigins()) {
            builder.allowOrigin(origin);
        }
        SignalingServer server = new SignalingServer(builder.build(), this, this::healthFields, this::metricsText);
        server.start();
        return server;
    }

    /** Stops the signaling server and starts one on the current settings' address and port. */
    private void restartSignaling(WebRtcSettings previous) {
        SignalingServer old = signaling;
        signaling = null;
        if (old != null) {
            old.stop(); // disconnects every browser: its media peers close in onDisconnect
        }
        WebRtcSettings s = settings;
        try {
            SignalingServer server = startSignaling();
            signaling = server;
            LOG.info("HTTP address changed from {}:{} to {}:{}: signaling restarted, browsers reconnect; open {}",
                    previous == null ? "-" : previous.bindAddress(), previous == null ? "-" : previous.httpPort(),
                    s.bindAddress(), s.httpPort(), server.url());
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot serve HTTP on {}:{} ({}); no signaling until the settings change",
                    s.bindAddress(), s.httpPort(), e.toString());
        }
    }

    /** @return the signaling server's port, or -1 when not serving */
    public int port() {
        SignalingServer server = signaling;
        return server == null ? -1 : server.port();
    }

    /** @return the access token browsers need, or null when not serving */
    public String accessToken() {
        SignalingServer server = signaling;
        return server == null ? null : server.accessToken();
    }

    private Map<String, Object> helloFields() {
        StreamDescription stream = context.stream();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("width", stream.width());
        fields.put("height", stream.height());
        fields.put("fps", stream.fps());
        fields.put("codec", stream.codec().name());
        List<Map<String, Object>> iceServers = new ArrayList<>();
        for (String url : settings.iceServers()) {
            iceServers.add(IceServers.toBrowser(url));
        }
        fields.put("iceServers", iceServers);
        return fields;
    }

    private Map<String, Object> healthFields() {
        TransportContext ctx = context;
        Map<String, Object> body = ctx.health().toMap(ctx.stream());
        List<Map<String, Object>> stats = new ArrayList<>();
        for (MediaPeer peer : peers.values()) {
            stats.add(peer.statsSnapshot());
        }
        body.put("peers", stats.size());
        body.put("peerStats", stats);
        return body;
    }

    @Override
    public void send(EncodedFrame frame) {
        encodedRate.add(frame.data().remaining(), System.nanoTime());
        for (MediaPeer peer : peers.values()) {
            if (peer.isConnected()) {
                peer.send(frame, frame.ptsMicros());
            }
        }
    }

    @Override
    public void sendMessage(String peerId, OutgoingMessage message) {
        SignalingServer server = signaling;
        if (server == null) {
            return;
        }
        String wire;
        try {
            wire = SignalingProtocol.toWire(message);
        } catch (IllegalArgumentException e) {
            LOG.warn("Message to {} not sent: {}", peerId == null ? "every peer" : peerId, LogText.of(e.getMessage()));
            return;
        }
        server.send(peerId, wire);
    }

    @Override
    public String url() {
        SignalingServer server = signaling;
        return server == null ? null : server.url();
    }

    @Override
    public int peerCount() {
        return (int) peers.values().stream().filter(MediaPeer::isConnected).count();
    }

    @Override
    public List<PeerStats> peerStats() {
        List<PeerStats> out = new ArrayList<>();
        for (MediaPeer peer : peers.values()) {
            MediaPeer.Stats s = peer.stats();
            out.add(new PeerStats(peer.peerId(), s.framesSent(), s.bytesSent(), s.packetsSent(), s.retransmissions(),
                    s.nacksReceived(), s.pliReceived() + s.firReceived(), s.roundTripMicros(),
                    s.estimatedBitrateBps(), s.sendBitrateBps(), s.pacerQueueMillis(),
                    s.fractionLost() < 0 ? -1 : s.fractionLost() / 256.0));
        }
        return out;
    }

    private String metricsText() {
        TransportContext ctx = context;
        return ctx == null ? "" : ctx.metrics();
    }

    // Signaling callbacks: on the signaling server's listener thread, never a network thread.

    @Override
    public String onOffer(SignalingPeer peer, String sdp) throws Exception {
        Codec codec = context.stream().codec();
        if (!codec.hasRtpPayloadFormat()) {
            throw new IllegalStateException("the stream's codec is " + codec
                    + ", which WebRTC cannot carry: select an H.264, H.265 or AV1 encoder");
        }
        SessionDescription offer = SdpParser.parse(sdp);
        WebRtcSettings s = settings;
        List<String> addresses = advertisedAddresses(s);
        MediaPeer media = new MediaPeer(peer.peerId(), offer, codec, certificate,
                new InetSocketAddress(s.bindAddress(), 0), addresses, s, this);
        MediaPeer previous = peers.put(peer.peerId(), media);
        if (previous != null) {
            previous.close(); // a renegotiation replaces the peer's media
        }
        media.start();
        LOG.info("Peer {} offered; answering with {} on UDP {}", peer.peerId(), codec, addresses);
        return media.answerSdp();
    }

    @Override
    public void onConnect(SignalingPeer peer) {
        LOG.info("Peer {} connected from {}", peer.peerId(), peer.remoteAddress());
    }

    @Override
    public void onDisconnect(SignalingPeer peer) {
        MediaPeer media = peers.remove(peer.peerId());
        if (media != null) {
            media.close();
        }
        LOG.info("Peer {} disconnected", peer.peerId());
    }

    @Override
    public void onAppMessage(SignalingPeer peer, AppMessage message) {
        context.onAppMessage(peer.peerId(), message);
    }

    @Override
    public void onStageLoad(SignalingPeer peer, URI uri) {
        LOG.debug("Peer {} asks for stage {}", peer.peerId(), LogText.of(uri.toString()));
        context.onStageLoad(peer.peerId(), uri);
    }

    @Override
    public void onPointer(SignalingPeer peer, PointerEvent event) {
        StreamDescription stream = context.stream();
        Optional<LetterboxMapper.StreamPoint> point;
        try {
            point = LetterboxMapper.map(stream.width(), stream.height(), event.elementWidth(), event.elementHeight(),
                    event.x(), event.y());
        } catch (IllegalArgumentException e) {
            peer.send(SignalingProtocol.error("pointer: " + e.getMessage()));
            return;
        }
        if (point.isEmpty()) {
            droppedPointerEvents.incrementAndGet();
            return; // on the letterbox bars
        }
        PointerInput input = new PointerInput(PointerInput.Kind.valueOf(event.kind().name()), event.button(),
                event.buttons(), point.get().x(), point.get().y(), event.dx(), event.dy());
        if (input.kind() == PointerInput.Kind.MOVE) {
            LOG.debug("Peer {} pointer move at stream ({}, {})", peer.peerId(), input.x(), input.y());
        } else {
            LOG.info("Peer {} pointer {} button {} at stream ({}, {})", peer.peerId(),
                    input.kind().name().toLowerCase(Locale.ROOT), input.button(), input.x(), input.y());
        }
        context.onInput(peer.peerId(), input);
    }

    @Override
    public void onKey(SignalingPeer peer, KeyInput event) {
        // key and code are any strings a peer sends: escaped, so they cannot forge log lines
        LOG.info("Peer {} key {} key={} code={}{}{}{}{}", peer.peerId(), event.kind().name().toLowerCase(Locale.ROOT),
                LogText.of(event.key()), LogText.of(event.code()),
                event.shift() ? " +shift" : "", event.ctrl() ? " +ctrl" : "",
                event.alt() ? " +alt" : "", event.meta() ? " +meta" : "");
        context.onInput(peer.peerId(), event);
    }

    @Override
    public void requestKeyframe(MediaPeer peer) {
        // a viewer repairing loss may just have cut its estimate: the key frame is then encoded at
        // the lower rate, not at the one that overflowed the path
        followNetwork(false);
        TransportContext ctx = context;
        if (ctx != null) {
            ctx.requestKeyframe();
        }
    }

    @Override
    public long probeCeilingBps() {
        TransportContext ctx = context;
        int kbps = ctx == null ? 0 : ctx.configuredBitrateKbps();
        return kbps <= 0 ? Long.MAX_VALUE : (long) (kbps * 1000L / PeerCongestion.PAYLOAD_SHARE);
    }

    /**
     * Sets the encoder's bitrate from the viewers' estimates: one encode for all, so it follows the
     * weakest adaptive viewer, though never below {@link WebRtcSettings#minBitrateKbps()} (a viewer
     * whose path carries less overflows its pacer queue and skips to key frames; see
     * docs/protocol.md). Without adaptive viewers the configured bitrate applies (0 = no estimate).
     * An encoder that delivers less than asked is asked for a little more ({@link EncoderRateAdjuster}).
     * Under its own lock, not the transport's: it calls into the runtime, which may hold its
     * session's lock while it stops the transport.
     *
     * @param tick true on the rate tick; false between ticks, where only a cut applies (the adjuster
     *             learns on the tick only)
     */
    private void followNetwork(boolean tick) {
        synchronized (rateLock) {
            followNetworkLocked(tick);
        }
    }

    private void followNetworkLocked(boolean tick) {
        try {
            long weakest = Long.MAX_VALUE;
            for (MediaPeer peer : peers.values()) {
                if (peer.isConnected() && peer.isAdaptive()) {
                    weakest = Math.min(weakest, peer.encoderBudgetBps());
                }
            }
            int previous = networkKbps;
            int kbps;
            if (weakest == Long.MAX_VALUE) {
                kbps = 0;
                rateAdjuster.reset();
            } else {
                double factor = tick
                        ? rateAdjuster.update(previous * 1000L, encodedRate.bitsPerSecond(System.nanoTime()))
                        : rateAdjuster.factor();
                long wanted = Math.max(settings.minBitrateKbps(), weakest / 1000);
                kbps = (int) Math.min(Integer.MAX_VALUE, Math.round(wanted * factor));
            }
            boolean changed = (kbps == 0) != (previous == 0)
                    || Math.abs(kbps - previous) > previous * RATE_CHANGE_THRESHOLD;
            if (!tick && (kbps == 0 || kbps >= previous)) {
                return;
            }
            TransportContext ctx = context;
            if (changed && ctx != null) {
                networkKbps = kbps;
                ctx.setNetworkBitrateKbps(kbps);
            }
        } catch (RuntimeException e) {
            LOG.warn("Network bitrate not updated: {}", e.toString()); // the next tick tries again
        }
    }

    /** Sender reports, the viewers' network figures, and dropping browsers that stopped answering ICE consent checks. */
    private void everySecond() {
        for (MediaPeer peer : peers.values()) {
            if (peer.isGone()) {
                LOG.info("Peer {} stopped answering (ICE consent expired); closing its media", peer.peerId());
                peers.remove(peer.peerId(), peer);
                peer.close();
            } else {
                peer.sendReport();
                sendNetworkFigures(peer);
            }
        }
    }

    /** The {@code network} message: this viewer's path as the server sees it, for the overlay. */
    private void sendNetworkFigures(MediaPeer peer) {
        SignalingServer server = signaling;
        if (server == null || !peer.isConnected()) {
            return;
        }
        MediaPeer.Stats s = peer.stats();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("estimateKbps", s.estimatedBitrateBps() < 0 ? null : s.estimatedBitrateBps() / 1000);
        fields.put("sendKbps", s.sendBitrateBps() / 1000);
        int encoder = networkKbps;
        fields.put("encoderKbps", encoder > 0 ? encoder : null);
        fields.put("pacerQueueMs", s.pacerQueueMillis() < 0 ? null : s.pacerQueueMillis());
        fields.put("lossPercent", s.fractionLost() < 0 ? null : Math.round(s.fractionLost() * 1000 / 256.0) / 10.0);
        fields.put("rttMs", s.roundTripMicros() < 0 ? null : s.roundTripMicros() / 1000);
        server.send(peer.peerId(), SignalingProtocol.network(fields));
    }

    /** @return pointer events dropped because they fell on the letterbox bars */
    public long droppedPointerEvents() {
        return droppedPointerEvents.get();
    }

    private static List<String> advertisedAddresses(WebRtcSettings s) throws SocketException {
        if (s.mediaAddresses().length > 0) {
            return List.of(s.mediaAddresses());
        }
        if (!"0.0.0.0".equals(s.bindAddress()) && !"::".equals(s.bindAddress())) {
            return List.of(s.bindAddress());
        }
        List<String> addresses = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) {
                continue;
            }
            for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    addresses.add(address.getHostAddress());
                }
            }
        }
        addresses.sort((a, b) -> Boolean.compare(a.startsWith("127."), b.startsWith("127."))); // real interfaces first
        return addresses;
    }

    @Override
    public synchronized void stop() {
        running = false;
        SignalingServer server = signaling;
        signaling = null;
        if (server != null) {
            server.stop();
        }
        if (reports != null) {
            reports.shutdownNow();
            reports = null;
        }
        for (MediaPeer peer : peers.values()) {
            peer.close();
        }
        peers.clear();
        networkKbps = 0;
        LOG.info("WebRTC transport stopped");
    }
}
