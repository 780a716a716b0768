package io.framewire.plugin.webrtc;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.ServerConfig;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Plugins;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import io.framewire.plugin.webrtc.dtls.DtlsCertificate;
import io.framewire.plugin.webrtc.input.LetterboxMapper;
import io.framewire.plugin.webrtc.sdp.SdpParser;
import io.framewire.plugin.webrtc.sdp.SessionDescription;
import io.framewire.plugin.webrtc.signaling.KeyEvent;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Standard WebRTC to any browser, with no vendor client library: signaling, app messages and input
 * over one WebSocket ({@link SignalingServer}), media over ICE-lite + DTLS-SRTP + RTP per browser
 * ({@link MediaPeer}). Serves the web client at {@code /} and {@code /health} on the session's HTTP
 * port. Pointer events are mapped from the {@code <video>} element (object-fit: contain) to stream
 * pixels here, on the server; events on the letterbox bars are dropped.
 */
@Component(service = Transport.class, property = Plugins.NAME + "=webrtc", configurationPid = WebRtcSettings.PID)
@Designate(ocd = WebRtcSettings.class)
public class WebRtcTransport implements Transport, SignalingListener, MediaPeer.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);

    private final Map<String, MediaPeer> peers = new ConcurrentHashMap<>();
    private volatile WebRtcSettings settings;
    private volatile TransportContext context;
    private volatile SignalingServer signaling;
    private volatile DtlsCertificate certificate;
    private volatile String codec;
    private volatile long droppedPointerEvents;
    private ScheduledExecutorService reports;

    /** For Declarative Services. */
    public WebRtcTransport() {
    }

    /** For use without OSGi (tests, embedding). */
    public WebRtcTransport(WebRtcSettings settings) {
        this.settings = settings;
    }

    /**
     * The settings Configuration Admin gives when nothing is configured, for use without OSGi.
     *
     * @param accessToken the signaling token, or "" to generate one at start
     */
    public static WebRtcSettings defaultSettings(String accessToken) {
        return new WebRtcSettings() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return WebRtcSettings.class;
            }

            @Override
            public String accessToken() {
                return accessToken;
            }

            @Override
            public String[] allowedOrigins() {
                return new String[0];
            }

            @Override
            public String[] iceServers() {
                return new String[0];
            }

            @Override
            public String[] mediaAddresses() {
                return new String[0];
            }

            @Override
            public int maxPacketSize() {
                return 1200;
            }

            @Override
            public int maxPeers() {
                return 16;
            }
        };
    }

    @Activate
    @Modified
    void configure(WebRtcSettings newSettings) {
        this.settings = newSettings; // applies to the next start (a running signaling server keeps its token)
    }

    @Override
    public synchronized void start(TransportContext ctx) throws IOException {
        this.context = ctx;
        ServerConfig config = ctx.config();
        certificate = DtlsCertificate.generate();
        SignalingConfig.Builder builder = SignalingConfig.builder().name("framewire-signaling")
                .bindAddress(config.bindAddress()).port(config.httpPort())
                .accessToken(settings.accessToken()).maxPeers(settings.maxPeers())
                .resourceLoader(WebRtcTransport.class.getClassLoader())
                .helloFields(this::helloFields);
        for (String origin : settings.allowedOrigins()) {
            builder.allowOrigin(origin);
        }
        SignalingServer server = new SignalingServer(builder.build(), this, this::healthFields);
        server.start();
        signaling = server;
        reports = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "framewire-rtcp");
            t.setDaemon(true);
            return t;
        });
        reports.scheduleAtFixedRate(this::everySecond, 1, 1, TimeUnit.SECONDS);
        LOG.info("Framewire is streaming. Open http://localhost:{}/?token={}", server.port(), server.accessToken());
    }

    /** @return the signaling server's port (after start) */
    public int port() {
        return signaling.port();
    }

    /** @return the access token browsers need (after start) */
    public String accessToken() {
        return signaling.accessToken();
    }

    private Map<String, Object> helloFields() {
        ServerConfig config = context.config();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("width", config.width());
        fields.put("height", config.height());
        fields.put("fps", config.fps());
        fields.put("codec", codec);
        List<Map<String, Object>> iceServers = new ArrayList<>();
        for (String url : settings.iceServers()) {
            iceServers.add(IceServers.toBrowser(url));
        }
        fields.put("iceServers", iceServers);
        return fields;
    }

    private Map<String, Object> healthFields() {
        Map<String, Object> body = context.health().toMap(context.config());
        body.put("peers", peers.size());
        return body;
    }

    @Override
    public void send(EncodedFrame frame) {
        codec = frame.codec();
        for (MediaPeer peer : peers.values()) {
            if (peer.isConnected()) {
                peer.send(frame, frame.ptsMicros());
            }
        }
    }

    @Override
    public void sendMessage(String peerId, String json) {
        SignalingServer server = signaling;
        if (server == null) {
            return;
        }
        String outgoing;
        try {
            outgoing = json.contains("\"type\":\"error\"") ? json : SignalingProtocol.outgoing(json);
        } catch (IllegalArgumentException e) {
            LOG.warn("Not a JSON object, not sent: {}", json);
            return;
        }
        if (peerId == null) {
            for (SignalingPeer peer : server.peers()) {
                peer.send(outgoing);
            }
        } else {
            server.send(peerId, outgoing);
        }
    }

    @Override
    public int peerCount() {
        return (int) peers.values().stream().filter(MediaPeer::isConnected).count();
    }

    // Signaling callbacks: on the signaling server's listener thread, never a network thread.

    @Override
    public String onOffer(SignalingPeer peer, String sdp) throws Exception {
        String current = codec;
        if (current == null || "RAW".equals(current)) {
            throw new IllegalStateException("the active encoder produces " + current
                    + ", not a WebRTC codec: select an H.264, H.265 or AV1 encoder");
        }
        SessionDescription offer = SdpParser.parse(sdp);
        ServerConfig config = context.config();
        MediaPeer media = new MediaPeer(peer.peerId(), offer, current, certificate,
                new InetSocketAddress(config.bindAddress(), 0), advertisedAddresses(config), settings.maxPacketSize(), this);
        MediaPeer previous = peers.put(peer.peerId(), media);
        if (previous != null) {
            previous.close(); // a renegotiation replaces the peer's media
        }
        media.start();
        LOG.info("Peer {} offered; answering with {} on UDP {}", peer.peerId(), current, advertisedAddresses(config));
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
    public void onAppMessage(SignalingPeer peer, String json) {
        context.onMessage(peer.peerId(), json);
    }

    @Override
    public void onStageLoad(SignalingPeer peer, String uri) {
        context.onMessage(peer.peerId(), SignalingProtocol.stageLoad(uri));
    }

    @Override
    public void onPointer(SignalingPeer peer, PointerEvent event) {
        ServerConfig config = context.config();
        Optional<LetterboxMapper.StreamPoint> point;
        try {
            point = LetterboxMapper.map(config.width(), config.height(), event.elementWidth(), event.elementHeight(),
                    event.x(), event.y());
        } catch (IllegalArgumentException e) {
            peer.send(SignalingProtocol.error("pointer: " + e.getMessage()));
            return;
        }
        if (point.isEmpty()) {
            droppedPointerEvents++;
            return; // on the letterbox bars
        }
        int x = point.get().x();
        int y = point.get().y();
        if (event.kind() == PointerEvent.Kind.MOVE) {
            LOG.debug("Peer {} pointer move at stream ({}, {})", peer.peerId(), x, y);
        } else {
            LOG.info("Peer {} pointer {} button {} at stream ({}, {})", peer.peerId(),
                    event.kind().name().toLowerCase(java.util.Locale.ROOT), event.button(), x, y);
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "input.pointer");
        message.put("kind", event.kind().name().toLowerCase(java.util.Locale.ROOT));
        message.put("button", event.button());
        message.put("buttons", event.buttons());
        message.put("x", x);
        message.put("y", y);
        if (event.kind() == PointerEvent.Kind.WHEEL) {
            message.put("dx", event.dx());
            message.put("dy", event.dy());
        }
        forward(peer, message);
    }

    @Override
    public void onKey(SignalingPeer peer, KeyEvent event) {
        LOG.info("Peer {} key {} key={} code={}{}{}{}{}", peer.peerId(), event.kind().name().toLowerCase(java.util.Locale.ROOT),
                event.key(), event.code(), event.shift() ? " +shift" : "", event.ctrl() ? " +ctrl" : "",
                event.alt() ? " +alt" : "", event.meta() ? " +meta" : "");
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "input.key");
        message.put("kind", event.kind().name().toLowerCase(java.util.Locale.ROOT));
        message.put("key", event.key());
        message.put("code", event.code());
        message.put("shift", event.shift());
        message.put("ctrl", event.ctrl());
        message.put("alt", event.alt());
        message.put("meta", event.meta());
        forward(peer, message);
    }

    /** Hands mapped input to the application as app messages ({@code input.pointer}, {@code input.key}). */
    private void forward(SignalingPeer peer, Map<String, Object> message) {
        try {
            context.onMessage(peer.peerId(), JSON.std.asString(message));
        } catch (IOException e) {
            LOG.warn("Could not forward {}", message, e);
        }
    }

    @Override
    public void requestKeyframe(MediaPeer peer) {
        TransportContext ctx = context;
        if (ctx != null) {
            ctx.requestKeyframe();
        }
    }

    /** Sender reports, and dropping browsers that stopped answering ICE consent checks. */
    private void everySecond() {
        for (MediaPeer peer : peers.values()) {
            if (peer.isGone()) {
                LOG.info("Peer {} stopped answering (ICE consent expired); closing its media", peer.peerId());
                peers.remove(peer.peerId(), peer);
                peer.close();
            } else {
                peer.sendReport();
            }
        }
    }

    /** @return pointer events dropped because they fell on the letterbox bars */
    public long droppedPointerEvents() {
        return droppedPointerEvents;
    }

    private List<String> advertisedAddresses(ServerConfig config) throws SocketException {
        if (settings.mediaAddresses().length > 0) {
            return List.of(settings.mediaAddresses());
        }
        if (!"0.0.0.0".equals(config.bindAddress()) && !"::".equals(config.bindAddress())) {
            return List.of(config.bindAddress());
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
        LOG.info("WebRTC transport stopped");
    }
}
