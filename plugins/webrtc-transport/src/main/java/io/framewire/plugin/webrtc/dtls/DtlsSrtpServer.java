package io.framewire.plugin.webrtc.dtls;

import io.framewire.plugin.webrtc.ice.IceLiteAgent;
import io.framewire.plugin.webrtc.srtp.SrtpKeyMaterial;
import io.framewire.plugin.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS 1.2 server side of DTLS-SRTP (RFC 5764) over an {@link IceLiteAgent}, with bctls.
 *
 * <p>The constructor registers this object as the agent's DTLS handler: received DTLS datagrams
 * are queued and read by bctls through a {@link DatagramTransport}; records are sent with
 * {@link IceLiteAgent#send(byte[], int, int)} to the selected address. {@link #start(Duration)}
 * runs the handshake on a daemon thread named {@code framewire-dtls-<port>}:
 * ECDHE-ECDSA cipher suites, our {@link DtlsCertificate}, a mandatory client certificate whose
 * fingerprint must equal the one from the remote SDP (otherwise the handshake fails with a
 * {@code bad_certificate} alert and a {@link DtlsHandshakeException} naming both fingerprints), and
 * the {@code use_srtp} extension where we pick {@link SrtpProfile#AES_CM_128_HMAC_SHA1_80} (the only
 * profile implemented; no MKI). When the handshake completes, the "EXTRACTOR-dtls_srtp" keying
 * material is exported and split into {@link SrtpKeyMaterial} (as the DTLS server we send with the
 * server write key: {@code keys.outboundContext(true)}).
 *
 * <p>After the handshake the same thread keeps reading the DTLS connection so bctls can answer
 * retransmitted client flights and receive alerts; application data (e.g. SCTP for data channels)
 * goes to {@link #setApplicationDataHandler}.
 *
 * <p>{@link #close()} sends close_notify if connected, aborts a running handshake, unregisters
 * from the agent and joins the thread. It does not close the agent nor the key material.
 */
public final class DtlsSrtpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsSrtpServer.class);
    /** Prefix of the handshake/reader thread's name. */
    public static final String THREAD_NAME_PREFIX = "framewire-dtls-";
    /** Maximum DTLS datagram we send (fits common paths incl. tunnels; WebRTC uses ~1200). */
    public static final int SEND_LIMIT = 1200;
    private static final int RECEIVE_LIMIT = 8192;

    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };
    private static final List<SrtpProfile> PROFILES = List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80);

    private final IceLiteAgent agent;
    private final DtlsCertificate certificate;
    private final String remoteFingerprint;
    private final QueueTransport transport = new QueueTransport();
    private final CompletableFuture<SrtpKeyMaterial> keys = new CompletableFuture<>();
    private final Object lifecycle = new Object();
    private volatile Consumer<byte[]> applicationDataHandler;
    private volatile DTLSTransport dtls;
    private volatile boolean closed;
    private volatile String failure;
    private Thread thread;

    /**
     * Creates the server and registers it as {@code agent}'s DTLS handler.
     *
     * @param agent             the ICE agent carrying the DTLS records
     * @param certificate       our certificate (its fingerprint is in our SDP answer)
     * @param remoteFingerprint the remote SDP {@code a=fingerprint}, e.g. "sha-256 AB:CD:..."
     */
    public DtlsSrtpServer(IceLiteAgent agent, DtlsCertificate certificate, String remoteFingerprint) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.remoteFingerprint = Objects.requireNonNull(remoteFingerprint, "remoteFingerprint").trim();
        int sp = this.remoteFingerprint.indexOf(' ');
        if (sp < 0) {
            throw new IllegalArgumentException("remote fingerprint must look like 'sha-256 AB:CD:...'");
        }
        DtlsCertificate.fingerprint(this.remoteFingerprint.substring(0, sp), new byte[0]); // validates hash name
        agent.setDtlsHandler(transport::offer);
    }

    /** @param handler receives decrypted DTLS application data on the DTLS thread (null drops it) */
    public void setApplicationDataHandler(Consumer<byte[]> handler) {
        this.applicationDataHandler = handler;
    }

    /**
     * Starts the handshake thread (idempotent).
     *
     * @param handshakeTimeout the handshake fails if not complete within this time
     * @return completes with the SRTP key material, or exceptionally with a {@link DtlsHandshakeException}
     */
    public CompletableFuture<SrtpKeyMaterial> start(Duration handshakeTimeout) {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (thread == null) {
                int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, handshakeTimeout.toMillis()));
                thread = new Thread(() -> run(millis), THREAD_NAME_PREFIX + agent.localAddress().getPort());
                thread.setDaemon(true);
                thread.start();
            }
        }
        return keys;
    }

    /**
     * Waits for the handshake.
     *
     * @param timeout how long to wait
     * @return the key material (owned by the caller: close it when done)
     * @throws DtlsHandshakeException if the handshake failed or did not finish in time
     */
    public SrtpKeyMaterial awaitKeys(Duration timeout) throws DtlsHandshakeException {
        try {
            return keys.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof DtlsHandshakeException d ? d : new DtlsHandshakeException("DTLS handshake failed", c);
        } catch (TimeoutException e) {
            throw new DtlsHandshakeException("DTLS handshake not complete after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DtlsHandshakeException("interrupted", e);
        }
    }

    /** @return whether the handshake completed and the connection is not closed */
    public boolean isConnected() {
        return dtls != null && !closed;
    }

    /**
     * Sends DTLS application data (e.g. SCTP) after the handshake.
     *
     * @param data bytes
     * @param off  offset
     * @param len  length
     * @throws IOException if not connected or sending fails
     */
    public void sendApplicationData(byte[] data, int off, int len) throws IOException {
        DTLSTransport t = dtls;
        if (t == null || closed) {
            throw new IOException("DTLS not connected");
        }
        t.send(data, off, len);
    }

    /** Sends close_notify if connected, aborts the handshake, joins the thread; idempotent. */
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
        agent.setDtlsHandler(null);
        DTLSTransport d = dtls;
        if (d != null) {
            try {
                d.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("DTLS close", e);
            }
        }
        transport.close();
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("DTLS thread {} did not stop", t.getName());
            }
        }
        keys.completeExceptionally(new DtlsHandshakeException("DTLS server closed", null));
    }

    // ------------------------------------------------------------------ thread

    private void run(int timeoutMillis) {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        Server server = new Server(crypto, timeoutMillis);
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        protocol.setVerifyRequests(false); // ICE connectivity checks already proved return routability
        DTLSTransport connected;
        try {
            connected = protocol.accept(server, transport);
        } catch (IOException | RuntimeException e) {
            String reason = failure != null ? failure
                    : closed ? "closed during handshake"
                    : (e instanceof TlsFatalAlert a ? "fatal alert " + AlertDescription.getText(a.getAlertDescription())
                       : e.toString());
            keys.completeExceptionally(new DtlsHandshakeException("DTLS handshake failed: " + reason, e));
            LOG.debug("DTLS handshake failed: {}", reason, e);
            return;
        }
        byte[] exported = server.exported;
        server.exported = null;
        try {
            SrtpProfile profile = server.chosen;
            SrtpKeyMaterial material = SrtpKeyMaterial.fromDtlsExport(profile, exported);
            dtls = connected;
            if (!keys.complete(material)) {
                material.close(); // closed concurrently
            }
        } catch (RuntimeException e) {
            keys.completeExceptionally(new DtlsHandshakeException("DTLS-SRTP key export failed", e));
            closeQuietly(connected);
            return;
        } finally {
            if (exported != null) {
                Arrays.fill(exported, (byte) 0);
            }
        }
        if (closed) {
            closeQuietly(connected);
            return;
        }
        readLoop(connected);
    }

    private void readLoop(DTLSTransport connected) {
        byte[] buf = new byte[RECEIVE_LIMIT];
        while (!closed) {
            try {
                int n = connected.receive(buf, 0, buf.length, 500);
                if (n > 0) {
                    Consumer<byte[]> h = applicationDataHandler;
                    if (h != null) {
                        h.accept(Arrays.copyOf(buf, n));
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.debug("DTLS connection ended", e);
                }
                break;
            }
        }
    }

    private static void closeQuietly(DTLSTransport t) {
        try {
            t.close();
        } catch (IOException | RuntimeException e) {
            // ignore
        }
    }

    // ------------------------------------------------------------------ bctls server

    private final class Server extends DefaultTlsServer {
        private final int timeoutMillis;
        private SrtpProfile chosen;
        private byte[] exported;

        Server(BcTlsCrypto crypto, int timeoutMillis) {
            super(crypto);
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            // bctls only allows exporting from here (RFC 5764 §4.2)
            exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyMaterial.exportLength(chosen));
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return timeoutMillis;
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                    certificate.privateKey(), certificate.tlsCertificate(getCrypto()),
                    SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            return new CertificateRequest(
                    new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                    TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            if (clientCertificate == null || clientCertificate.isEmpty()) {
                failure = "the client sent no certificate (DTLS-SRTP requires one to match a=fingerprint)";
                throw new TlsFatalAlert(AlertDescription.handshake_failure, failure);
            }
            byte[] der = clientCertificate.getCertificateAt(0).getEncoded();
            if (!DtlsCertificate.matches(remoteFingerprint, der)) {
                String hash = remoteFingerprint.substring(0, remoteFingerprint.indexOf(' '));
                failure = "remote certificate fingerprint mismatch: SDP says '" + remoteFingerprint
                        + "' but the client presented '" + DtlsCertificate.fingerprint(hash, der) + "'";
                throw new TlsFatalAlert(AlertDescription.bad_certificate, failure);
            }
        }

        @Override
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (offered == null) {
                failure = "the client did not offer the use_srtp extension";
                throw new TlsFatalAlert(AlertDescription.handshake_failure, failure);
            }
            for (SrtpProfile p : PROFILES) {
                for (int id : offered.getProtectionProfiles()) {
                    if (id == p.dtlsId()) {
                        chosen = p;
                        return;
                    }
                }
            }
            failure = "no common SRTP protection profile; client offered "
                    + Arrays.toString(offered.getProtectionProfiles()) + ", we support " + PROFILES;
            throw new TlsFatalAlert(AlertDescription.handshake_failure, failure);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getServerExtensions() throws IOException {
            Hashtable ext = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {chosen.dtlsId()}, TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
            if (alertLevel == AlertLevel.fatal) {
                LOG.debug("DTLS fatal alert raised: {} {}", AlertDescription.getText(alertDescription), message);
            }
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            if (alertLevel == AlertLevel.fatal && failure == null) {
                failure = "the client sent a fatal alert: " + AlertDescription.getText(alertDescription);
            }
        }
    }

    // ------------------------------------------------------------------ transport

    /** bctls transport: receives from a queue fed by the ICE agent, sends through the agent. */
    private final class QueueTransport implements DatagramTransport {
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(256);
        private volatile boolean transportClosed;

        void offer(byte[] data, int off, int len, InetSocketAddress from) {
            if (!transportClosed && !queue.offer(Arrays.copyOfRange(data, off, off + len))) {
                LOG.debug("DTLS receive queue full; dropping a record from {}", from);
            }
        }

        @Override
        public int getReceiveLimit() {
            return RECEIVE_LIMIT;
        }

        @Override
        public int getSendLimit() {
            return SEND_LIMIT;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (transportClosed) {
                throw new IOException("DTLS transport closed");
            }
            byte[] d;
            try {
                d = queue.poll(Math.max(0, waitMillis), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            if (d == null) {
                if (transportClosed) {
                    throw new IOException("DTLS transport closed");
                }
                return -1;
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (transportClosed) {
                throw new IOException("DTLS transport closed");
            }
            agent.send(buf, off, len);
        }

        @Override
        public void close() {
            transportClosed = true;
            queue.clear();
        }
    }
}
