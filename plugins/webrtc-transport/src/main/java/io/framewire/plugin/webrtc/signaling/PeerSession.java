package io.framewire.plugin.webrtc.signaling;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import io.framewire.api.spi.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket connection: parses and validates on the Jetty thread (cheap), answers pings there,
 * and hands everything else to the {@link ListenerDispatcher}.
 *
 * <p>Internal: public only because Jetty's WebSocket endpoint scanning requires a public class;
 * it cannot be constructed outside this package. Use it through {@link SignalingPeer}.
 */
public final class PeerSession implements Session.Listener.AutoDemanding, SignalingPeer {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);
    // peers can trigger these at will: one line per interval over all peers
    private static final LogLimiter REJECTED_OFFERS = new LogLimiter(LOG);
    private static final LogLimiter LISTENER_FAILURES = new LogLimiter(LOG);
    private static final LogLimiter RATE_LIMITED = new LogLimiter(LOG);
    static final int CLOSE_NORMAL = 1000;
    static final int CLOSE_GOING_AWAY = 1001;
    static final int CLOSE_UNSUPPORTED_DATA = 1003;
    static final int CLOSE_POLICY_VIOLATION = 1008;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final SignalingServer server;
    private final SignalingListener listener;
    private final ListenerDispatcher dispatcher;
    private final SignalingConfig config;
    private final String peerId;
    private final TokenBucket bucket;
    private final AtomicInteger pendingSends = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private volatile Session session;
    private volatile boolean closing;
    // rate-limit window; only touched by the sequential reader
    private long windowStart;
    private int droppedInWindow;
    private boolean errorSentInWindow;

    PeerSession(SignalingServer server, SignalingListener listener, ListenerDispatcher dispatcher,
                SignalingConfig config, String peerId) {
        this.server = server;
        this.listener = listener;
        this.dispatcher = dispatcher;
        this.config = config;
        this.peerId = peerId;
        this.bucket = new TokenBucket(config.rateLimitPerSecond(), config.rateLimitBurst(), System.nanoTime());
    }

    // ------------------------------------------------------------------ SignalingPeer

    @Override
    public String peerId() {
        return peerId;
    }

    @Override
    public boolean send(String json) {
        Session s = session;
        if (json == null || s == null || !s.isOpen()) {
            drop();
            return false;
        }
        int len = json.length();
        if (pendingSends.incrementAndGet() > config.maxPendingSendsPerPeer()
                | pendingBytes.addAndGet(len) > config.maxPendingSendBytesPerPeer()) {
            sent(len);
            drop();
            return false;
        }
        try {
            s.sendText(json, Callback.from(() -> sent(len), failure -> sent(len)));
            return true;
        } catch (RuntimeException e) {
            sent(len);
            drop();
            return false;
        }
    }

    private void sent(int len) {
        pendingSends.decrementAndGet();
        pendingBytes.addAndGet(-len);
    }

    private void drop() {
        dropped.incrementAndGet();
        server.countDropped();
    }

    @Override
    public void close() {
        close(CLOSE_NORMAL, "closed by server");
    }

    @Override
    public void close(int statusCode, String reason) {
        closing = true;
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(statusCode, reason, Callback.NOOP);
        }
    }

    @Override
    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    @Override
    public long droppedMessages() {
        return dropped.get();
    }

    @Override
    public SocketAddress remoteAddress() {
        Session s = session;
        return s == null ? null : s.getRemoteSocketAddress();
    }

    @Override
    public String toString() {
        return "SignalingPeer[" + peerId + " " + remoteAddress() + "]";
    }

    // ------------------------------------------------------------------ Jetty callbacks

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        if (!server.register(this)) {
            closing = true;
            s.close(CLOSE_GOING_AWAY, "server stopping", Callback.NOOP);
            return;
        }
        Map<String, Object> fields;
        try {
            fields = config.helloFields().get();
        } catch (RuntimeException e) {
            LOG.warn("hello fields supplier failed", e);
            fields = Map.of();
        }
        // Report the connect before the first write: a write can fail and close the session
        // re-entrantly, and onDisconnect must then follow a reported onConnect.
        connected.set(true);
        dispatcher.submitLifecycle(() -> listener.onConnect(this));
        send(SignalingProtocol.hello(peerId, fields));
        LOG.debug("Peer {} connected from {}", peerId, s.getRemoteSocketAddress());
    }

    @Override
    public void onWebSocketText(String text) {
        if (closing) {
            return;
        }
        if (!bucket.tryAcquire(System.nanoTime())) {
            overLimit();
            return;
        }
        SignalingProtocol.ClientMessage message;
        try {
            message = SignalingProtocol.parse(text);
        } catch (SignalingProtocol.InvalidMessage e) {
            LOG.debug("Peer {} sent an invalid message: {}", peerId, LogText.of(e.getMessage()));
            send(SignalingProtocol.error(e.getMessage()));
            return;
        }
        if (message instanceof SignalingProtocol.Ping ping) {
            send(SignalingProtocol.pong(ping.t()));
        } else if (message instanceof SignalingProtocol.Offer offer) {
            dispatch(offer.type(), () -> answer(offer.sdp()));
        } else if (message instanceof SignalingProtocol.Candidate c) {
            dispatch(c.type(), () -> listener.onCandidate(this, c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
        } else if (message instanceof SignalingProtocol.App app) {
            dispatch(app.type(), () -> listener.onAppMessage(this, app.message()));
        } else if (message instanceof SignalingProtocol.Pointer pointer) {
            dispatch(pointer.type(), () -> listener.onPointer(this, pointer.event()));
        } else if (message instanceof SignalingProtocol.Key key) {
            dispatch(key.type(), () -> listener.onKey(this, key.event()));
        } else if (message instanceof SignalingProtocol.StageLoad load) {
            dispatch(load.type(), () -> listener.onStageLoad(this, load.uri()));
        } else {
            send(SignalingProtocol.error("unknown type '" + message.type() + "'"));
        }
    }

    /** On the listener thread: asks the listener for the answer; a rejection goes back as an error. */
    private void answer(String sdp) {
        String answer;
        try {
            answer = listener.onOffer(this, sdp);
        } catch (Exception e) {
            REJECTED_OFFERS.info("Offer from peer " + peerId + " rejected: " + LogText.of(e.toString()));
            send(SignalingProtocol.error("offer rejected: " + (e.getMessage() == null ? e.toString() : e.getMessage())));
            return;
        }
        if (answer != null) {
            send(SignalingProtocol.answer(answer));
        }
    }

    /** Queues a callback; a full queue drops the message and tells the client. */
    private void dispatch(String type, Runnable callback) {
        boolean queued = dispatcher.submitMessage(() -> {
            try {
                callback.run();
            } catch (RuntimeException e) {
                LISTENER_FAILURES.warn("Signaling listener failed on '" + LogText.of(type) + "' from peer " + peerId
                        + ": " + LogText.of(e.toString()), e);
                send(SignalingProtocol.error(type + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage())));
            }
        });
        if (!queued) {
            send(SignalingProtocol.error("server busy: '" + type + "' message dropped"));
        }
    }

    private void overLimit() {
        long now = System.nanoTime();
        if (now - windowStart > SECOND) {
            windowStart = now;
            droppedInWindow = 0;
            errorSentInWindow = false;
        }
        droppedInWindow++;
        if (!errorSentInWindow) {
            errorSentInWindow = true;
            send(SignalingProtocol.error("rate limit exceeded: more than " + fmt(config.rateLimitPerSecond())
                    + " messages/s (burst " + fmt(config.rateLimitBurst()) + "); message dropped"));
        }
        if (droppedInWindow > config.rateLimitPerSecond()) {
            RATE_LIMITED.info("Peer " + peerId + " closed: sustained message rate over "
                    + fmt(config.rateLimitPerSecond()) + "/s");
            close(CLOSE_POLICY_VIOLATION, "rate limit exceeded");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        if (!closing) {
            close(CLOSE_UNSUPPORTED_DATA, "binary messages are not supported");
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        LOG.debug("Peer {} closed: {} {}", peerId, statusCode, LogText.of(reason));
        terminated();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("Peer {} error: {}", peerId, LogText.of(cause.toString()));
        Session s = session;
        if (s == null || !s.isOpen()) {
            terminated();
        }
    }

    /** Unregisters and reports onDisconnect, once, and only after a reported onConnect. */
    void terminated() {
        closing = true;
        server.unregister(this);
        if (connected.get() && disconnected.compareAndSet(false, true)) {
            dispatcher.submitLifecycle(() -> listener.onDisconnect(this));
        }
    }
}
