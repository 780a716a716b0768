package io.framewire.plugin.webrtc.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import io.framewire.api.spi.LogText;
import io.framewire.plugin.webrtc.signaling.LogLimiter;
import org.ice4j.StunException;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ICE-lite agent (RFC 8445 §2.5) owning one UDP socket, with RFC 7983 demultiplexing.
 *
 * <p>As a lite agent it only answers connectivity checks (it never sends any) and is always the
 * controlled side. A Binding request is valid when its USERNAME is {@code "ourUfrag:theirUfrag"}
 * (the remote ufrag is checked once {@link #setRemoteCredentials} was called) and its
 * MESSAGE-INTEGRITY verifies with our password; a present FINGERPRINT must verify too, otherwise
 * the datagram is silently dropped. A valid request gets a success response with
 * XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT; a request without USERNAME or
 * MESSAGE-INTEGRITY gets 400, a wrong USERNAME or integrity gets 401 (no source address is
 * validated or selected then). Those error responses are unauthenticated and larger than the
 * request, so they are rate-limited per source IP address ({@link ErrorReplyLimiter}: a small burst,
 * then a few per second); beyond, the request is dropped silently and counted
 * ({@link #errorRepliesDropped()}).
 *
 * <p>STUN itself is Jitsi's {@code ice4j} (the library Jitsi Videobridge uses): it decodes the
 * request and checks its FINGERPRINT, validates MESSAGE-INTEGRITY against the password this agent
 * registers in the {@link SharedStunStack}'s credentials manager, and encodes the responses. This
 * class adds what a lite agent decides: which requests are valid, which address is selected, and
 * the demultiplexing of the one socket.
 *
 * <p>Selection: a valid request carrying USE-CANDIDATE (the controlling peer's nomination) selects
 * its source address. For lite simplicity the <em>first</em> valid check also selects its source
 * when nothing is selected yet, so media can flow as soon as the peer can reach us; a later
 * nomination replaces it.
 *
 * <p>Demultiplexing by first byte (RFC 7983): 0–3 STUN (handled here), 20–63 DTLS → the
 * {@link #setDtlsHandler DTLS handler}, 128–191 RTP/RTCP → the {@link #setMediaHandler media
 * handler}; anything else is dropped. DTLS and media are only accepted from source addresses that
 * passed a valid check (at most {@value #MAX_VALIDATED} of them).
 *
 * <p>Consent freshness (RFC 7675): {@link #millisSinceLastConsent()} and
 * {@link #isConsentExpired()} (no valid check for more than {@link #CONSENT_TIMEOUT}).
 *
 * <p>Threading: {@link #start()} starts one daemon receive thread named
 * {@code framewire-ice-<port>}; handlers run on it and must not block (copy the data: the array is
 * reused after the handler returns). {@link #send} is thread-safe. {@link #close()} closes the
 * socket and joins the thread.
 */
public final class IceLiteAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IceLiteAgent.class);
    /** Datagrams come from anyone: a handler failure is one line per interval, the stack at DEBUG. */
    private static final LogLimiter HANDLER_FAILURES = new LogLimiter(LOG);
    static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    /** Consent is lost after this long without a valid check (RFC 7675). */
    public static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(30);
    /** Prefix of the receive thread's name. */
    public static final String THREAD_NAME_PREFIX = "framewire-ice-";
    /** Maximum number of validated remote addresses remembered. */
    public static final int MAX_VALIDATED = 16;
    private static final int RECEIVE_BUFFER = 65536;

    /** Receives demultiplexed datagrams on the agent's thread. */
    @FunctionalInterface
    public interface DatagramHandler {
        /**
         * @param data   the array holding the datagram (reused after return: copy what you keep)
         * @param offset datagram offset
         * @param length datagram length
         * @param from   the (validated) source address
         */
        void onDatagram(byte[] data, int offset, int length, InetSocketAddress from);
    }

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final String localUfrag;
    private final String localPassword;
    private final byte[] localKey;
    private final TransportAddress localTransportAddress;
    private final StunStack stunStack = SharedStunStack.get();
    private final CredentialsAuthority credentials = new LocalCredentials();
    private final Set<InetSocketAddress> validated = ConcurrentHashMap.newKeySet();
    private final ErrorReplyLimiter errorReplies = new ErrorReplyLimiter(); // receive thread only
    private final AtomicLong errorRepliesDropped = new AtomicLong();
    private final Object lifecycle = new Object();
    private volatile String remoteUfrag;
    private volatile String remotePassword;
    private volatile DatagramHandler dtlsHandler;
    private volatile DatagramHandler mediaHandler;
    private volatile Consumer<InetSocketAddress> selectionListener;
    private volatile InetSocketAddress selected;
    private volatile long lastConsentNanos;
    private volatile boolean closed;
    private Thread thread;

    /**
     * Opens and binds the socket (nothing is received before {@link #start()}).
     *
     * @param bindAddress local address; port 0 picks a free port
     * @throws IOException if the socket cannot be bound
     */
    public IceLiteAgent(InetSocketAddress bindAddress) throws IOException {
        channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            channel.bind(bindAddress);
            channel.configureBlocking(true);
            localAddress = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        localUfrag = randomIceString(8);
        localPassword = randomIceString(24);
        localKey = localPassword.getBytes(StandardCharsets.UTF_8);
        localTransportAddress = SharedStunStack.udp(localAddress);
        stunStack.getCredentialsManager().registerAuthority(credentials);
        lastConsentNanos = System.nanoTime();
    }

    /** Starts the receive thread. Idempotent; fails after {@link #close()}. */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("agent closed");
            }
            if (thread == null) {
                lastConsentNanos = System.nanoTime();
                thread = new Thread(this::receiveLoop, THREAD_NAME_PREFIX + localAddress.getPort());
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /** @return the bound local address (the host candidate to put in the SDP) */
    public InetSocketAddress localAddress() { return localAddress; }

    /** @return our ICE username fragment (8 ice-chars) for {@code a=ice-ufrag} */
    public String localUfrag() { return localUfrag; }

    /** @return our ICE password (24 ice-chars) for {@code a=ice-pwd} */
    public String localPassword() { return localPassword; }

    /**
     * Sets the peer's credentials from its SDP offer.
     *
     * @param ufrag the remote {@code a=ice-ufrag}
     * @param password the remote {@code a=ice-pwd} (kept for completeness; a lite agent never
     *                 sends checks, so it is not used to verify anything)
     */
    public void setRemoteCredentials(String ufrag, String password) {
        this.remoteUfrag = ufrag;
        this.remotePassword = password;
    }

    /** @return the remote ufrag, or null if not set */
    public String remoteUfrag() { return remoteUfrag; }

    /** @return the remote password, or null if not set */
    public String remotePassword() { return remotePassword; }

    /** @param handler receives DTLS datagrams (first byte 20–63); null drops them */
    public void setDtlsHandler(DatagramHandler handler) { this.dtlsHandler = handler; }

    /** @param handler receives RTP/RTCP datagrams (first byte 128–191); null drops them */
    public void setMediaHandler(DatagramHandler handler) { this.mediaHandler = handler; }

    /** @param listener told (on the agent thread) whenever the selected address changes */
    public void setSelectionListener(Consumer<InetSocketAddress> listener) { this.selectionListener = listener; }

    /** @return the selected remote address, or null before the first valid check */
    public InetSocketAddress selectedAddress() { return selected; }

    /** @return milliseconds since the last valid check (or since {@link #start()} if none yet) */
    public long millisSinceLastConsent() {
        return (System.nanoTime() - lastConsentNanos) / 1_000_000L;
    }

    /** @return true if no valid check arrived for more than {@link #CONSENT_TIMEOUT}: the peer is gone */
    public boolean isConsentExpired() {
        return millisSinceLastConsent() > CONSENT_TIMEOUT.toMillis();
    }

    /**
     * Sends a datagram to the selected address.
     *
     * @param data datagram bytes
     * @param offset offset
     * @param length length
     * @throws IOException if nothing is selected yet, the agent is closed, or sending fails
     */
    public void send(byte[] data, int offset, int length) throws IOException {
        send(ByteBuffer.wrap(data, offset, length));
    }

    /** @param data the whole array is sent @throws IOException see {@link #send(byte[], int, int)} */
    public void send(byte[] data) throws IOException {
        send(data, 0, data.length);
    }

    /**
     * Sends the remaining bytes of a buffer to the selected address (the position advances).
     *
     * @param data datagram
     * @throws IOException see {@link #send(byte[], int, int)}
     */
    public void send(ByteBuffer data) throws IOException {
        InetSocketAddress to = selected;
        if (closed) {
            throw new ClosedChannelException();
        }
        if (to == null) {
            throw new IOException("no ICE candidate pair selected yet");
        }
        channel.send(data, to);
    }

    /** Closes the socket and joins the receive thread; idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        stunStack.getCredentialsManager().unregisterAuthority(credentials);
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing ICE socket", e);
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("ICE receive thread {} did not stop", t.getName());
            }
        }
        dtlsHandler = null;
        mediaHandler = null;
        selectionListener = null;
        validated.clear();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() { return closed; }

    // ------------------------------------------------------------------ receive path

    private void receiveLoop() {
        ByteBuffer bb = ByteBuffer.allocate(RECEIVE_BUFFER);
        byte[] a = bb.array();
        while (!closed) {
            SocketAddress src;
            bb.clear();
            try {
                src = channel.receive(bb);
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (closed) {
                    break;
                }
                LOG.debug("ICE receive error", e);
                continue;
            }
            if (!(src instanceof InetSocketAddress from) || bb.position() == 0) {
                continue;
            }
            int len = bb.position();
            int b0 = a[0] & 0xff;
            try {
                if (b0 <= 3) {
                    handleStun(a, len, from);
                } else if (b0 >= 20 && b0 <= 63) {
                    deliver(dtlsHandler, a, len, from);
                } else if (b0 >= 128 && b0 <= 191) {
                    deliver(mediaHandler, a, len, from);
                }
            } catch (RuntimeException e) {
                HANDLER_FAILURES.warn("handler failed on a datagram from " + from + ": " + LogText.of(e.toString()), e);
            }
        }
    }

    private void deliver(DatagramHandler h, byte[] a, int len, InetSocketAddress from) {
        if (h != null && validated.contains(from)) {
            h.onDatagram(a, 0, len, from);
        }
    }

    private void handleStun(byte[] a, int len, InetSocketAddress from) {
        Message msg;
        try {
            msg = Message.decode(a, 0, len); // ice4j also verifies a present FINGERPRINT
        } catch (StunException | RuntimeException e) {
            return; // not STUN after all, or a wrong FINGERPRINT (RFC 8489 §8): dropped silently
        }
        if (msg.getMessageType() != Message.BINDING_REQUEST) {
            return; // indications (keepalives) and responses need no answer from a lite agent
        }
        Request req = (Request) msg;
        UsernameAttribute usernameAttribute = (UsernameAttribute) req.getAttribute(Attribute.USERNAME);
        MessageIntegrityAttribute integrity =
                (MessageIntegrityAttribute) req.getAttribute(Attribute.MESSAGE_INTEGRITY);
        if (usernameAttribute == null || integrity == null) {
            replyError(req, 400, "Bad Request", from);
            return;
        }
        String user = new String(usernameAttribute.getUsername(), StandardCharsets.UTF_8);
        int colon = user.indexOf(':');
        String ours = colon < 0 ? user : user.substring(0, colon);
        String theirs = colon < 0 ? null : user.substring(colon + 1);
        String expectedTheirs = remoteUfrag;
        TransportAddress source = SharedStunStack.udp(from);
        if (colon < 0 || !ours.equals(localUfrag) || (expectedTheirs != null && !expectedTheirs.equals(theirs))
                || !stunStack.validateMessageIntegrity(integrity, user, true,
                        RawMessage.build(a, len, source, localTransportAddress))) {
            replyError(req, 401, "Unauthorized", from);
            return;
        }
        lastConsentNanos = System.nanoTime();
        if (validated.size() < MAX_VALIDATED || validated.contains(from)) {
            validated.add(from);
        }
        boolean nominated = req.containsAttribute(Attribute.USE_CANDIDATE);
        InetSocketAddress current = selected;
        if ((nominated || current == null) && !from.equals(current) && validated.contains(from)) {
            selected = from;
            LOG.debug("ICE-lite selected {} (USE-CANDIDATE={})", from, nominated);
            Consumer<InetSocketAddress> l = selectionListener;
            if (l != null) {
                l.accept(from);
            }
        }
        reply(successResponse(req, user, source), from);
    }

    /** XOR-MAPPED-ADDRESS, then MESSAGE-INTEGRITY with our password (ice4j asks {@link #credentials}). */
    private byte[] successResponse(Request req, String user, TransportAddress from) {
        Response resp = MessageFactory.createBindingResponse(req, from);
        return encode(resp, req, AttributeFactory.createMessageIntegrityAttribute(user));
    }

    /** An unauthenticated error reply, within the per-source limit; otherwise dropped and counted. */
    private void replyError(Request req, int code, String reason, InetSocketAddress to) {
        if (errorReplies.tryAcquire(to.getAddress(), System.nanoTime())) {
            reply(errorResponse(req, code, reason), to);
        } else {
            errorRepliesDropped.incrementAndGet();
        }
    }

    /** @return STUN error responses not sent because their source was over its limit, since creation */
    public long errorRepliesDropped() {
        return errorRepliesDropped.get();
    }

    private byte[] errorResponse(Request req, int code, String reason) {
        return encode(MessageFactory.createBindingErrorResponse((char) code, reason), req, null);
    }

    private byte[] encode(Response resp, Request req, MessageIntegrityAttribute integrity) {
        try {
            resp.setTransactionID(req.getTransactionID());
        } catch (StunException e) {
            throw new IllegalStateException("transaction ID of a decoded request refused", e);
        }
        if (integrity != null) {
            resp.putAttribute(integrity);
        }
        resp.putAttribute(AttributeFactory.createFingerprintAttribute());
        return resp.encode(stunStack);
    }

    private void reply(byte[] msg, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(msg), to);
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("STUN reply to {} failed", to, e);
            }
        }
    }

    /**
     * Our password for ice4j's shared credentials registry: only for our own ufrag, so agents
     * sharing the {@link SharedStunStack} never answer for each other.
     */
    private final class LocalCredentials implements CredentialsAuthority {
        @Override
        public byte[] getLocalKey(String username) {
            return checkLocalUserName(username) ? localKey.clone() : null;
        }

        @Override
        public byte[] getRemoteKey(String username, String media) {
            return null; // a lite agent never sends checks, so never signs with the peer's password
        }

        @Override
        public boolean checkLocalUserName(String username) {
            int colon = username.indexOf(':');
            return localUfrag.equals(colon < 0 ? username : username.substring(0, colon));
        }
    }

    private static String randomIceString(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
        }
        return new String(c);
    }
}
