package io.framewire.testing.receiver;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.Codec;
import io.framewire.plugin.webrtc.dtls.DtlsCertificate;
import io.framewire.plugin.webrtc.dtls.DtlsSrtpClient;
import io.framewire.plugin.webrtc.ice.StunMessage;
import io.framewire.plugin.webrtc.rtp.RtpPacket;
import io.framewire.plugin.webrtc.sdp.Attribute;
import io.framewire.plugin.webrtc.sdp.MediaDescription;
import io.framewire.plugin.webrtc.sdp.PayloadType;
import io.framewire.plugin.webrtc.sdp.SdpParser;
import io.framewire.plugin.webrtc.sdp.SessionDescription;
import io.framewire.plugin.webrtc.srtp.SrtpContext;
import io.framewire.plugin.webrtc.srtp.SrtpException;
import io.framewire.plugin.webrtc.srtp.SrtpKeyMaterial;
import io.framewire.plugin.webrtc.srtp.SrtpProfile;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A browser stand-in for tests: connects to a running Framewire WebRTC transport the way a browser
 * does and decodes what it streams.
 *
 * <ol>
 * <li>Signaling: a WebSocket to {@code /signal?token=...} (with the server's own Origin), waits for
 *     {@code hello}, sends a recvonly video offer (H.264 packetization-mode 1 constrained baseline,
 *     H.265 Main, AV1 Main; its own ICE credentials and DTLS certificate fingerprint,
 *     {@code setup:actpass}) and reads the answer with {@link SdpParser}.</li>
 * <li>ICE, controlling side: STUN binding requests (USERNAME serverUfrag:clientUfrag,
 *     MESSAGE-INTEGRITY with the server's password, FINGERPRINT, USE-CANDIDATE, ICE-CONTROLLING) from one
 *     UDP socket to the server's first IPv4 host candidate, repeated every second as consent; binding
 *     requests from the server are answered.</li>
 * <li>DTLS client ({@link DtlsSrtpClient}) on that socket (RFC 7983 demultiplexing), SRTP keys exported
 *     (RFC 5764) and RTP unprotected with the server's half ({@link SrtpKeyMaterial#inboundContext}).</li>
 * <li>Depacketized ({@link Depacketizer}) into access units at the marker bit, decoded with FFmpeg
 *     ({@link FfmpegDecoder}). A lost packet drops the frame; until a key frame arrives (at the start
 *     or after a loss) frames are dropped and a PLI is sent (at most every 250 ms).</li>
 * </ol>
 *
 * <pre>{@code
 * try (WebRtcTestReceiver rx = WebRtcTestReceiver.connect(URI.create("http://127.0.0.1:8080"), token, Codec.H265)) {
 *     DecodedFrame f = rx.awaitFrame(Duration.ofSeconds(5));
 *     ... f.width(), f.rgb(x, y), rx.framesDecoded()
 * }
 * }</pre>
 */
public final class WebRtcTestReceiver implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    private static final long CONSENT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long PLI_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int MTU = 1500;

    private final Codec codec;
    private final WebSocketClient webSocket;
    private final Listener signaling = new Listener();
    private final DatagramSocket socket;
    private final String localUfrag = randomToken(4);
    private final String localPwd = randomToken(24);
    private final long tieBreaker = RANDOM.nextLong();
    private final long ssrc = RANDOM.nextInt() & 0xFFFFFFFFL;
    private final BlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>();
    private final BlockingQueue<DecodedFrame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> iceConnected = new CompletableFuture<>();
    private final AtomicLong framesDecoded = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong plisSent = new AtomicLong();
    private final AtomicLong decodeErrors = new AtomicLong();
    private final Thread reader;
    private volatile boolean closed;
    private volatile String remoteUfrag;
    private volatile String remotePwd;
    private volatile InetSocketAddress remote;
    private volatile int payloadType = -1;
    private volatile SrtpContext inbound;
    private volatile SrtpContext outbound;
    private DTLSTransport dtls;
    // reader thread only
    private Depacketizer depacketizer;
    private FfmpegDecoder decoder;
    private int expectedSeq = -1;
    private long currentTimestamp = -1;
    private boolean frameBroken;
    private boolean waitingForKeyframe = true;
    private long lastPliNanos;
    private long lastConsentNanos;
    private volatile int dropNextFrames;
    private volatile String lastDecodeError;

    private WebRtcTestReceiver(Codec codec) throws Exception {
        this.codec = codec;
        this.webSocket = new WebSocketClient();
        this.socket = new DatagramSocket(new InetSocketAddress("0.0.0.0", 0));
        this.reader = new Thread(this::readLoop, "webrtc-test-receiver-" + socket.getLocalPort());
        this.reader.setDaemon(true);
    }

    /**
     * Connects, negotiates, completes ICE and DTLS; returns when SRTP keys are in place (media may not
     * have arrived yet).
     *
     * @param url   the server's HTTP address ({@code http://host:port}, ws:// also accepted)
     * @param token the access token
     * @param codec the codec the server must answer with (all three are offered)
     */
    public static WebRtcTestReceiver connect(URI url, String token, Codec codec) throws Exception {
        WebRtcTestReceiver rx = new WebRtcTestReceiver(codec);
        try {
            rx.start(url, token);
            return rx;
        } catch (Exception | Error e) {
            rx.close();
            throw e;
        }
    }

    /** {@link #connect(URI, String, Codec)} with the URL as a string. */
    public static WebRtcTestReceiver connect(String url, String token, Codec codec) throws Exception {
        return connect(URI.create(url), token, codec);
    }

    private void start(URI url, String token) throws Exception {
        boolean secure = "https".equals(url.getScheme()) || "wss".equals(url.getScheme());
        String hostPort = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        URI signal = URI.create((secure ? "wss://" : "ws://") + hostPort + "/signal?token=" + token);
        webSocket.start();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Origin", (secure ? "https://" : "http://") + hostPort);
        webSocket.connect(signaling, signal, request).get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Object> hello = signaling.next("hello");
        if (!codec.name().equals(hello.get("codec"))) {
            throw new IllegalStateException("the server streams " + hello.get("codec") + ", not " + codec);
        }
        DtlsCertificate certificate = DtlsCertificate.generate("framewire-test-receiver");
        signaling.send(JSON.std.asString(Map.of("type", "offer", "sdp", offer(certificate.fingerprint()))));
        Map<String, Object> answer = signaling.next("answer");
        String serverFingerprint = readAnswer((String) answer.get("sdp"));

        socket.connect(remote);
        socket.setSoTimeout(100);
        reader.start();
        iceConnected.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        DtlsSrtpClient client = new DtlsSrtpClient(certificate, serverFingerprint, SrtpProfile.AES_CM_128_HMAC_SHA1_80.dtlsId());
        client.timeoutMillis = (int) STEP_TIMEOUT.toMillis();
        dtls = new DTLSClientProtocol().connect(client, new DemuxedTransport());
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        try (SrtpKeyMaterial keys = SrtpKeyMaterial.fromDtlsExport(profile,
                client.exportSrtp(SrtpKeyMaterial.exportLength(profile)))) {
            outbound = keys.outboundContext(false);
            inbound = keys.inboundContext(false); // the server's write key: we are the DTLS client
        }
    }

    /** A recvonly video offer with the three codecs, as a browser would send it. */
    private String offer(String fingerprint) {
        String nl = "\r\n";
        return "v=0" + nl
                + "o=- " + (RANDOM.nextLong() & Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1" + nl
                + "s=-" + nl
                + "t=0 0" + nl
                + "a=group:BUNDLE 0" + nl
                + "a=msid-semantic: WMS" + nl
                + "m=video 9 UDP/TLS/RTP/SAVPF 102 49 45" + nl
                + "c=IN IP4 0.0.0.0" + nl
                + "a=rtcp:9 IN IP4 0.0.0.0" + nl
                + "a=ice-ufrag:" + localUfrag + nl
                + "a=ice-pwd:" + localPwd + nl
                + "a=fingerprint:" + fingerprint + nl
                + "a=setup:actpass" + nl
                + "a=mid:0" + nl
                + "a=recvonly" + nl
                + "a=rtcp-mux" + nl
                + "a=rtcp-rsize" + nl
                + "a=rtpmap:102 H264/90000" + nl
                + "a=rtcp-fb:102 nack" + nl
                + "a=rtcp-fb:102 nack pli" + nl
                + "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f" + nl
                + "a=rtpmap:49 H265/90000" + nl
                + "a=rtcp-fb:49 nack" + nl
                + "a=rtcp-fb:49 nack pli" + nl
                + "a=fmtp:49 level-id=93;profile-id=1;tier-flag=0;tx-mode=SRST" + nl
                + "a=rtpmap:45 AV1/90000" + nl
                + "a=rtcp-fb:45 nack" + nl
                + "a=rtcp-fb:45 nack pli" + nl
                + "a=fmtp:45 level-idx=5;profile=0;tier=0" + nl;
    }

    /** Reads the server's credentials, candidate and payload type; @return its fingerprint */
    private String readAnswer(String sdp) {
        SessionDescription answer = SdpParser.parse(sdp);
        MediaDescription video = answer.media().stream().filter(m -> "video".equals(m.media()) && m.port() != 0)
                .findFirst().orElseThrow(() -> new IllegalStateException("no accepted video section: " + sdp));
        remoteUfrag = video.iceUfrag() != null ? video.iceUfrag() : answer.iceUfrag();
        remotePwd = video.icePwd() != null ? video.icePwd() : answer.icePwd();
        var fingerprint = video.fingerprint() != null ? video.fingerprint() : answer.fingerprint();
        if (remoteUfrag == null || remotePwd == null || fingerprint == null) {
            throw new IllegalStateException("answer without ICE credentials or fingerprint: " + sdp);
        }
        PayloadType pt = video.payloadTypes().stream().filter(p -> p.is(codec.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("answer without " + codec + ": " + sdp));
        payloadType = pt.number();
        for (Attribute a : video.attributes()) {
            if ("candidate".equals(a.name())) {
                String[] f = a.value().trim().split("\\s+"); // foundation component udp priority ip port typ host
                if (f.length >= 6 && "udp".equalsIgnoreCase(f[2]) && f[4].indexOf(':') < 0) {
                    remote = new InetSocketAddress(f[4], Integer.parseInt(f[5]));
                    break;
                }
            }
        }
        if (remote == null) {
            throw new IllegalStateException("answer without an IPv4 UDP host candidate: " + sdp);
        }
        depacketizer = Depacketizer.forCodec(codec);
        decoder = new FfmpegDecoder(codec);
        return fingerprint.toString();
    }

    /**
     * @param timeout how long to wait
     * @return the next decoded picture
     * @throws AssertionError when none arrives in time (naming what was received)
     */
    public DecodedFrame awaitFrame(Duration timeout) throws InterruptedException {
        DecodedFrame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no decoded frame within " + timeout + ": " + this);
        }
        return f;
    }

    /** @return the next decoded picture if one is queued, else null */
    public DecodedFrame pollFrame() {
        return frames.poll();
    }

    /** @return pictures decoded so far */
    public long framesDecoded() {
        return framesDecoded.get();
    }

    /** @return access units dropped (loss, waiting for a key frame, decoder errors) */
    public long framesDropped() {
        return framesDropped.get();
    }

    /** @return SRTP packets received and unprotected */
    public long packetsReceived() {
        return packetsReceived.get();
    }

    /** @return picture loss indications sent */
    public long plisSent() {
        return plisSent.get();
    }

    /** @return the negotiated RTP payload type */
    public int payloadType() {
        return payloadType;
    }

    /**
     * For tests of the key frame path: the next {@code n} complete frames are dropped as if a packet
     * had been lost, and the receiver then waits for a key frame (sending PLIs).
     */
    public void dropNextFrames(int n) {
        dropNextFrames = n;
    }

    @Override
    public String toString() {
        return "WebRtcTestReceiver[" + codec + ", pt " + payloadType + ", packets " + packetsReceived
                + ", decoded " + framesDecoded + ", dropped " + framesDropped + ", PLIs " + plisSent
                + ", decode errors " + decodeErrors + (lastDecodeError == null ? "" : " (" + lastDecodeError + ")")
                + "]";
    }

    // ---- network thread ----

    private void readLoop() {
        byte[] buf = new byte[MTU + 100];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            long now = System.nanoTime();
            if (now - lastConsentNanos >= (iceConnected.isDone() ? CONSENT_INTERVAL_NANOS : CONSENT_INTERVAL_NANOS / 10)) {
                lastConsentNanos = now;
                sendBindingRequest();
            }
            try {
                p.setLength(buf.length);
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!closed) {
                    iceConnected.completeExceptionally(e);
                }
                return;
            }
            int first = buf[0] & 0xFF;
            try {
                if (first < 4) {
                    onStun(buf, p.getLength());
                } else if (first >= 20 && first <= 63) {
                    dtlsIn.add(Arrays.copyOf(buf, p.getLength()));
                } else if (first >= 128 && first <= 191) {
                    onSrtp(buf, p.getLength());
                }
            } catch (RuntimeException e) {
                lastDecodeError = e.toString();
            }
        }
    }

    private void sendBindingRequest() {
        if (remote == null) {
            return;
        }
        byte[] req = new StunMessage(StunMessage.BINDING_REQUEST, StunMessage.newTransactionId())
                .addUsername(remoteUfrag + ":" + localUfrag)
                .addPriority(0x6E7F1EFFL)
                .addIceControlling(tieBreaker)
                .addUseCandidate()
                .encode(remotePwd.getBytes(StandardCharsets.UTF_8), true);
        send(req);
    }

    private void onStun(byte[] buf, int len) {
        if (!StunMessage.isStun(buf, 0, len)) {
            return;
        }
        StunMessage m = StunMessage.decode(buf, 0, len);
        if (m.type() == StunMessage.BINDING_SUCCESS && m.checkIntegrity(remotePwd.getBytes(StandardCharsets.UTF_8))) {
            iceConnected.complete(null);
        } else if (m.type() == StunMessage.BINDING_ERROR) {
            iceConnected.completeExceptionally(new IOException("ICE check refused: error " + m.errorCode()));
        } else if (m.type() == StunMessage.BINDING_REQUEST
                && m.checkIntegrity(localPwd.getBytes(StandardCharsets.UTF_8))) {
            byte[] resp = new StunMessage(StunMessage.BINDING_SUCCESS, m.transactionId())
                    .addXorMappedAddress(remote)
                    .encode(localPwd.getBytes(StandardCharsets.UTF_8), true);
            send(resp);
        }
    }

    private void onSrtp(byte[] buf, int len) {
        SrtpContext srtp = inbound;
        if (srtp == null || len < 12) {
            return;
        }
        int pt = buf[1] & 0xFF;
        if (pt >= 192 && pt <= 223) {
            return; // RTCP (sender reports): not needed
        }
        byte[] rtp;
        try {
            rtp = srtp.unprotectRtp(Arrays.copyOf(buf, len));
        } catch (SrtpException e) {
            lastDecodeError = "SRTP: " + e.getMessage();
            return;
        }
        packetsReceived.incrementAndGet();
        RtpPacket packet = RtpPacket.wrap(rtp);
        lastMediaSsrc = packet.ssrc();
        if (packet.payloadType() != payloadType) {
            return;
        }
        onRtp(packet, rtp);
    }

    private void onRtp(RtpPacket packet, byte[] rtp) {
        int seq = packet.sequenceNumber();
        long ts = packet.timestamp();
        boolean lost = false;
        if (expectedSeq >= 0 && seq != expectedSeq) {
            if (((seq - expectedSeq) & 0xFFFF) > 0x8000) {
                return; // late or duplicate
            }
            lost = true;
        }
        expectedSeq = (seq + 1) & 0xFFFF;
        if (ts != currentTimestamp) {
            if (currentTimestamp >= 0) {
                onAccessUnit(null, currentTimestamp); // the previous frame's marker never came
            }
            depacketizer.reset();
            currentTimestamp = ts;
            frameBroken = lost; // the lost packets may have been this frame's first ones
        } else if (lost) {
            frameBroken = true;
        }
        if (!frameBroken) {
            try {
                depacketizer.payload(rtp, packet.headerLength(), packet.payloadLength());
            } catch (IllegalArgumentException e) {
                lastDecodeError = "depacketize: " + e.getMessage();
                frameBroken = true;
            }
        }
        if (packet.marker()) {
            byte[] au = null;
            if (!frameBroken) {
                try {
                    au = depacketizer.finish();
                } catch (IllegalArgumentException e) {
                    lastDecodeError = "depacketize: " + e.getMessage();
                }
            }
            depacketizer.reset();
            frameBroken = false;
            currentTimestamp = -1;
            onAccessUnit(au, ts);
        }
    }

    private void onAccessUnit(byte[] au, long ts) {
        if (au != null && dropNextFrames > 0) {
            dropNextFrames--;
            au = null;
        }
        if (au == null) {
            framesDropped.incrementAndGet();
            waitingForKeyframe = true;
            requestKeyframe();
            return;
        }
        if (waitingForKeyframe) {
            if (!depacketizer.isKeyframe(au)) {
                framesDropped.incrementAndGet();
                requestKeyframe();
                return;
            }
            waitingForKeyframe = false;
        }
        try {
            for (DecodedFrame f : decoder.decode(au, ts)) {
                framesDecoded.incrementAndGet();
                frames.add(f);
            }
        } catch (IllegalStateException e) {
            decodeErrors.incrementAndGet();
            lastDecodeError = e.getMessage();
            waitingForKeyframe = true;
            requestKeyframe();
        }
    }

    /** Sends a picture loss indication (RFC 4585 6.3.1), at most every 250 ms. */
    private void requestKeyframe() {
        SrtpContext srtp = outbound;
        long now = System.nanoTime();
        if (srtp == null || now - lastPliNanos < PLI_INTERVAL_NANOS && lastPliNanos != 0) {
            return;
        }
        lastPliNanos = now;
        byte[] pli = new byte[12];
        pli[0] = (byte) 0x81; // V=2, FMT=1
        pli[1] = (byte) 206; // payload-specific feedback
        pli[3] = 2; // length in words - 1
        putU32(pli, 4, ssrc);
        putU32(pli, 8, lastMediaSsrc);
        send(srtp.protectRtcp(pli));
        plisSent.incrementAndGet();
    }

    private volatile long lastMediaSsrc;

    private static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private void send(byte[] data) {
        try {
            socket.send(new DatagramPacket(data, data.length, remote));
        } catch (IOException e) {
            lastDecodeError = "send: " + e;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (dtls != null) {
            try {
                dtls.close();
            } catch (IOException ignored) {
                // the server may be gone
            }
        }
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            webSocket.stop();
        } catch (Exception ignored) {
            // best effort
        }
        if (decoder != null && !reader.isAlive()) {
            decoder.close();
        }
        if (inbound != null) {
            inbound.close();
        }
        if (outbound != null) {
            outbound.close();
        }
    }

    private static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** DTLS records from the reader thread's queue; sends straight to the socket. */
    private final class DemuxedTransport implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return MTU;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            byte[] record;
            try {
                record = dtlsIn.poll(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            if (record == null) {
                if (closed) {
                    throw new IOException("receiver closed");
                }
                return -1;
            }
            int n = Math.min(len, record.length);
            System.arraycopy(record, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            socket.send(new DatagramPacket(buf, off, len, remote));
        }

        @Override
        public void close() {
            // the receiver closes the socket
        }
    }

    /** The signaling WebSocket: JSON messages queued in order (public: Jetty binds its methods reflectively). */
    public static final class Listener implements Session.Listener.AutoDemanding {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private volatile Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            messages.add(message);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // the connection ends with close(); a failed step times out in next() and says so
        }

        void send(String text) {
            session.sendText(text, Callback.NOOP);
        }

        /** Skips other messages until one of this type; fails on an {@code error} or after the step timeout. */
        Map<String, Object> next(String type) throws Exception {
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new IOException("no '" + type + "' message within " + STEP_TIMEOUT);
                }
                Map<String, Object> map = JSON.std.mapFrom(m);
                if (type.equals(map.get("type"))) {
                    return map;
                }
                if ("error".equals(map.get("type"))) {
                    throw new IOException("the server refused: " + map.get("error"));
                }
            }
        }
    }
}
