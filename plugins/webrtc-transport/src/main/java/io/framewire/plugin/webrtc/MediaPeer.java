package io.framewire.plugin.webrtc;

import io.framewire.api.Codec;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.LogText;
import io.framewire.plugin.webrtc.cc.TransportFeedback;
import io.framewire.plugin.webrtc.signaling.LogLimiter;
import io.framewire.plugin.webrtc.dtls.DtlsCertificate;
import io.framewire.plugin.webrtc.dtls.DtlsSrtpServer;
import io.framewire.plugin.webrtc.ice.IceLiteAgent;
import io.framewire.plugin.webrtc.rtp.Av1Packetizer;
import io.framewire.plugin.webrtc.rtp.H264Packetizer;
import io.framewire.plugin.webrtc.rtp.H265Packetizer;
import io.framewire.plugin.webrtc.pacer.PacedSender;
import io.framewire.plugin.webrtc.pacer.QueuedPacket;
import io.framewire.plugin.webrtc.rtp.NtpTime;
import io.framewire.plugin.webrtc.rtp.PlayoutDelay;
import io.framewire.plugin.webrtc.rtp.Rtcp;
import io.framewire.plugin.webrtc.rtp.RtcpWriter;
import io.framewire.plugin.webrtc.rtp.RtpClock;
import io.framewire.plugin.webrtc.rtp.RtpHeaderExtensions;
import io.framewire.plugin.webrtc.rtp.RtpHistory;
import io.framewire.plugin.webrtc.rtp.RtpPacket;
import io.framewire.plugin.webrtc.rtp.RtpPacketizer;
import io.framewire.plugin.webrtc.rtp.RtxPackets;
import io.framewire.plugin.webrtc.sdp.MediaDescription;
import io.framewire.plugin.webrtc.sdp.SdpAnswer;
import io.framewire.plugin.webrtc.sdp.SessionDescription;
import io.framewire.plugin.webrtc.srtp.SrtpContext;
import io.framewire.plugin.webrtc.srtp.SrtpException;
import io.framewire.plugin.webrtc.srtp.SrtpKeyMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media side of one browser: ICE-lite on its own UDP port, DTLS-SRTP, RTP packetization of
 * the encoded frames, and RTCP (PLI/FIR ask for a key frame, NACK is answered from the history of
 * sent packets, receiver reports feed the stats, sender reports go out every second).
 *
 * <p><b>Two ways of sending.</b> With congestion control ({@link WebRtcSettings#congestionControl()})
 * and a browser that agreed to transport-wide feedback, frames are queued in this peer's
 * {@link PeerCongestion} pacer and leave at a rate that follows its bandwidth estimate; each packet
 * is stamped with a transport-wide sequence number and SRTP-protected as it leaves (the history keeps
 * unprotected packets); NACKs are answered within the retransmission budget, as RTX packets when RTX
 * was negotiated; a media queue that waited too long is dropped and the peer waits for a key frame.
 * Otherwise each frame is protected and sent at once on the caller's thread and every NACK is
 * answered from a history of protected packets (the behaviour before congestion control).
 *
 * <p>{@link #send} runs on the session's pacing thread and never blocks on the network beyond a UDP
 * send.
 */
final class MediaPeer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaPeer.class);
    /** A remote party can fail handshakes at will: one line per interval over all peers. */
    private static final LogLimiter HANDSHAKE_FAILURES = new LogLimiter(LOG);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(20);

    /** What the peer needs from the transport. */
    interface Owner {
        void requestKeyframe(MediaPeer peer);

        /**
         * @return the most this peer's stream could use, in bit/s on the wire (the encoder's
         *         configured rate plus headers): bandwidth probes go no higher; unknown: MAX_VALUE
         */
        default long probeCeilingBps() {
            return Long.MAX_VALUE;
        }
    }

    private final String peerId;
    private final Owner owner;
    private final IceLiteAgent agent;
    private final DtlsSrtpServer dtls;
    private final SdpAnswer answer;
    private final Codec codec;
    private final long ssrc = RANDOM.nextInt() & 0xFFFFFFFFL;
    private final String cname;
    private final RtpPacketizer packetizer;
    private final RtpClock clock = RtpClock.video();
    private final RtpHistory history = new RtpHistory(1024);
    /** Padding for probes repeats the last this many media packets. */
    static final int PADDING_LOOKBACK = 32;
    private final Counters counters = new Counters();
    /** Null when sending without congestion control (see the class description). */
    private final PeerCongestion congestion;
    private final AtomicInteger rtxSequence = new AtomicInteger(RANDOM.nextInt(0x10000));
    private final ByteRate sentRate = new ByteRate();
    private final ByteRate retransmissionRate = new ByteRate();
    private byte[] wire = new byte[0]; // pacer thread only
    /** RTP sequence number of the last media packet queued, -1 before one. */
    private volatile int lastMediaSequence = -1;
    private int paddingStep; // pacer thread only
    /** RTP sequence number of the first packet of the last key frame sent, -1 before one. */
    private volatile int lastKeyframeSequence = -1;
    private volatile SrtpContext outbound;
    private volatile SrtpContext inbound;
    private volatile SrtpKeyMaterial keys;
    private volatile boolean needKeyframe = true;
    private volatile long lastRtpTimestamp;
    private volatile boolean closed;

    /**
     * Opens the UDP port and answers the offer. Media flows once the browser's ICE check and DTLS
     * handshake complete ({@link #start}).
     */
    MediaPeer(String peerId, SessionDescription offer, Codec codec, DtlsCertificate certificate,
              InetSocketAddress bind, List<String> advertisedAddresses, WebRtcSettings settings, Owner owner)
            throws IOException {
        this.peerId = peerId;
        this.owner = owner;
        this.codec = codec;
        this.cname = "framewire-" + Long.toHexString(ssrc);
        this.agent = new IceLiteAgent(bind);
        try {
            SdpAnswer.Builder builder = SdpAnswer.builder(offer).codec(codec)
                    .ice(agent.localUfrag(), agent.localPassword())
                    .fingerprint(certificate.fingerprint().substring(certificate.fingerprint().indexOf(' ') + 1))
                    .ssrc(ssrc).cname(cname).msid("framewire", "video")
                    .transportCc(settings.congestionControl());
            if (settings.congestionControl()) {
                builder.rtxSsrc((ssrc + 1 + RANDOM.nextInt(Integer.MAX_VALUE)) & 0xFFFFFFFFL); // never equal to ssrc
            }
            for (String address : advertisedAddresses) {
                builder.candidate(address, agent.localAddress().getPort());
            }
            this.answer = builder.build();
            MediaDescription video = offer.media().stream().filter(m -> answer.mid().equals(m.mid())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("answer mid " + answer.mid() + " not in the offer"));
            if (video.iceUfrag() == null || video.icePwd() == null || video.fingerprint() == null) {
                throw new IllegalArgumentException("the offer's video section lacks ice-ufrag, ice-pwd or fingerprint");
            }
            agent.setRemoteCredentials(video.iceUfrag(), video.icePwd());
            this.dtls = new DtlsSrtpServer(agent, certificate, video.fingerprint().toString());
            RtpHeaderExtensions extensions = headerExtensions(answer);
            this.packetizer = packetizer(codec, answer.payloadType().number(), ssrc, settings.maxPacketSize(),
                    extensions);
            this.congestion = answer.transportCc() && extensions.transportSequenceOffset() >= 0
                    ? new PeerCongestion(peerId, settings, extensions.transportSequenceOffset(), this::transmit,
                            this::onPacerOverflow, answer.rtx() ? this::padding : null, owner::probeCeilingBps)
                    : null;
        } catch (RuntimeException | Error e) {
            agent.close();
            throw e;
        }
        agent.setMediaHandler(this::onMedia);
    }

    /** The header extensions the browser agreed to, written by the packetizer into every packet. */
    private static RtpHeaderExtensions headerExtensions(SdpAnswer answer) {
        RtpHeaderExtensions extensions = RtpHeaderExtensions.NONE;
        if (answer.playoutDelayId() > 0) {
            // show frames as soon as decoded: no playout buffering in the browser
            extensions = extensions.with(answer.playoutDelayId(), PlayoutDelay.data(0, 0));
        }
        if (answer.transportCc()) {
            extensions = extensions.withTransportSequenceSlot(answer.transportCcId());
        }
        return extensions;
    }

    private static RtpPacketizer packetizer(Codec codec, int payloadType, long ssrc, int maxPacketSize,
                                            RtpHeaderExtensions extensions) {
        int seq = RANDOM.nextInt(0x10000);
        switch (codec) {
            case H264:
                return new H264Packetizer(payloadType, ssrc, seq, maxPacketSize, extensions);
            case H265:
                return new H265Packetizer(payloadType, ssrc, seq, maxPacketSize, extensions);
            case AV1:
                return new Av1Packetizer(payloadType, ssrc, seq, maxPacketSize, extensions);
            default:
                throw new IllegalArgumentException("codec=" + codec + ": WebRTC carries H264, H265 or AV1");
        }
    }

    /** @return the SDP answer for the browser */
    String answerSdp() {
        return answer.sdp();
    }

    String peerId() {
        return peerId;
    }

    Codec codec() {
        return codec;
    }

    /** @return this peer's counters as they are now */
    Stats stats() {
        long now = System.nanoTime();
        PeerCongestion cc = congestion;
        return counters.snapshot(cc, sentRate.bitsPerSecond(now), retransmissionRate.bitsPerSecond(now));
    }

    /** @return true when this peer's sending follows a bandwidth estimate (see the class description) */
    boolean isAdaptive() {
        return congestion != null;
    }

    /**
     * @return the bitrate the encoder may use for this peer: the estimate less the headers' share and
     *         the retransmissions sent over the last second, in bit/s; -1 without congestion control
     */
    long encoderBudgetBps() {
        PeerCongestion cc = congestion;
        if (cc == null) {
            return -1;
        }
        long resent = retransmissionRate.bitsPerSecond(System.nanoTime());
        return Math.max(0, (long) (cc.estimateBps() * PeerCongestion.PAYLOAD_SHARE) - resent);
    }

    /**
     * @return this peer's figures for {@code /health}: its id, codec, whether media flows, and
     *         its {@link Stats}
     */
    Map<String, Object> statsSnapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peerId", peerId);
        m.put("codec", codec.name());
        m.put("connected", isConnected());
        m.putAll(stats().toMap());
        m.put("stunErrorRepliesDropped", agent.errorRepliesDropped());
        return m;
    }

    /** Starts ICE and the DTLS handshake; when keys are agreed, video flows from the next key frame. */
    void start() {
        agent.start();
        dtls.start(HANDSHAKE_TIMEOUT).whenComplete((material, error) -> {
            if (error != null) {
                if (!closed) {
                    HANDSHAKE_FAILURES.warn("Peer " + peerId + ": DTLS handshake failed: " + LogText.of(error.getMessage()), null);
                }
                return;
            }
            onKeys(material);
        });
    }

    /** The DTLS handshake agreed on SRTP keys: media may flow. Package-private for the tests. */
    void onKeys(SrtpKeyMaterial material) {
        keys = material;
        outbound = material.outboundContext(true);
        inbound = material.inboundContext(true);
        LOG.info("Peer {}: DTLS-SRTP ready ({}, {}); streaming {}{}", peerId, material.profile(),
                agent.selectedAddress(), codec, congestion == null ? "" : " with congestion control");
        owner.requestKeyframe(this);
    }

    /** @return true once SRTP keys exist */
    boolean isConnected() {
        return outbound != null && !closed;
    }

    /** @return true when the browser stopped answering consent checks */
    boolean isGone() {
        return closed || agent.isConsentExpired();
    }

    /**
     * Packetizes, protects and sends one encoded frame, from the first key frame on; a start-only key
     * frame ({@link EncodedFrame#startOnly()}) only while this peer has none yet.
     */
    void send(EncodedFrame frame, long ptsMicros) {
        SrtpContext srtp = outbound;
        if (srtp == null || closed) {
            return;
        }
        if (needKeyframe) {
            if (!frame.keyframe()) {
                counters.framesSkippedWaitingForKeyframe.incrementAndGet();
                return;
            }
            // a start-only key frame gives a picture; the stream proper starts at the next real one
            needKeyframe = frame.startOnly();
        } else if (frame.startOnly()) {
            return; // this peer decodes the stream already: an old key frame would take it back in time
        }
        long timestamp = clock.timestamp(ptsMicros);
        lastRtpTimestamp = timestamp;
        PeerCongestion cc = congestion;
        if (cc != null) {
            List<QueuedPacket> packets = new ArrayList<>();
            long now = System.nanoTime();
            packetizer.packetize(frame.data(), timestamp, (packet, length, marker) -> {
                byte[] copy = Arrays.copyOf(packet, length); // the packetizer reuses its buffer
                history.store(copy, length); // unprotected: a resend gets a new transport sequence number
                packets.add(new QueuedPacket(copy, length, QueuedPacket.Kind.MEDIA, now));
            });
            if (frame.keyframe() && !packets.isEmpty()) {
                lastKeyframeSequence = RtpPacket.wrap(packets.get(0).data(), 0, packets.get(0).length()).sequenceNumber();
            }
            if (!packets.isEmpty()) {
                QueuedPacket last = packets.get(packets.size() - 1);
                lastMediaSequence = RtpPacket.wrap(last.data(), 0, last.length()).sequenceNumber();
            }
            if (frame.keyframe() && LOG.isDebugEnabled()) {
                LOG.debug("peer {}: key frame of {} packets, {} bytes queued", peerId, packets.size(),
                        packets.stream().mapToInt(QueuedPacket::length).sum());
            }
            cc.enqueueFrame(packets, frame.keyframe());
        } else {
            packetizer.packetize(frame.data(), timestamp, (packet, length, marker) -> {
                int payloadLength = RtpPacket.wrap(packet, 0, length).payloadLength();
                // in the packetizer's buffer, which has room for the tag: no copy per packet
                int protectedLength = srtp.protectRtp(packet, 0, length);
                history.store(packet, protectedLength); // resent as is on NACK
                try {
                    agent.send(packet, 0, protectedLength);
                    countFirstSend(payloadLength, protectedLength, System.nanoTime());
                } catch (IOException e) {
                    counters.sendErrors.incrementAndGet();
                }
            });
        }
        counters.framesSent.incrementAndGet();
    }

    /**
     * The pacer's transmitter: stamps the transport-wide sequence number, protects and sends one
     * queued packet, and tells congestion control. On the pacer thread.
     */
    private int transmit(QueuedPacket packet) throws IOException {
        SrtpContext srtp = outbound;
        PeerCongestion cc = congestion;
        if (srtp == null || closed || cc == null) {
            return 0;
        }
        int length = packet.length();
        if (wire.length < length + srtp.maxOverhead()) {
            wire = new byte[length + srtp.maxOverhead() + 64];
        }
        System.arraycopy(packet.data(), 0, wire, 0, length);
        int sequence = cc.stamp(wire);
        boolean media = packet.kind() == QueuedPacket.Kind.MEDIA;
        int payloadLength = media ? RtpPacket.wrap(wire, 0, length).payloadLength() : 0;
        int protectedLength = srtp.protectRtp(wire, 0, length);
        try {
            agent.send(wire, 0, protectedLength);
        } catch (IOException e) {
            counters.sendErrors.incrementAndGet();
            throw e;
        }
        long now = System.nanoTime();
        cc.onSent(sequence, protectedLength, now, packet.probeCluster());
        if (media) {
            countFirstSend(payloadLength, protectedLength, now);
        } else if (packet.kind() == QueuedPacket.Kind.PADDING) {
            sentRate.add(protectedLength, now);
        } else {
            counters.retransmissions.incrementAndGet();
            sentRate.add(protectedLength, now);
            retransmissionRate.add(protectedLength, now);
        }
        return protectedLength;
    }

    /**
     * The probes' padding (on the pacer thread): an RTX copy of one of the last
     * {@value #PADDING_LOOKBACK} media packets, in turn, as libwebrtc pads with payload. The browser
     * keeps the first copy of a packet and drops the others; a full-size copy fills a probe with fewer
     * packets than padding-only packets (at most 255 bytes) would. Package-private for the tests.
     */
    QueuedPacket padding() {
        int last = lastMediaSequence;
        if (last < 0 || closed) {
            return null;
        }
        for (int tries = 0; tries < PADDING_LOOKBACK; tries++) {
            int seq = (last - paddingStep++ % PADDING_LOOKBACK) & 0xFFFF;
            byte[] original = history.get(seq);
            if (original != null) {
                byte[] rtx = rtxCopy(original);
                return new QueuedPacket(rtx, rtx.length, QueuedPacket.Kind.PADDING, System.nanoTime());
            }
        }
        return null;
    }

    /** @return {@code original} (unprotected) wrapped for the RTX SSRC with the next RTX sequence number */
    private byte[] rtxCopy(byte[] original) {
        return RtxPackets.wrap(original, original.length, answer.rtxPayloadType(), answer.rtxSsrc(),
                rtxSequence.getAndIncrement());
    }

    /** Counts a media packet sent the first time (what sender reports and the send rate carry). */
    private void countFirstSend(int payloadLength, int protectedLength, long nowNanos) {
        counters.packetsSent.incrementAndGet();
        counters.payloadBytesSent.addAndGet(payloadLength);
        counters.bytesSent.addAndGet(protectedLength);
        sentRate.add(protectedLength, nowNanos);
    }

    /**
     * The pacer dropped a media queue that waited too long (the path carries less than the encoder
     * sends): this peer skips to the next key frame, and asks for one.
     */
    private void onPacerOverflow() {
        needKeyframe = true;
        counters.pacerOverflows.incrementAndGet();
        owner.requestKeyframe(this);
    }

    /** Sends a sender report (with CNAME); called about once a second. */
    void sendReport() {
        SrtpContext srtp = outbound;
        if (srtp == null || closed) {
            return;
        }
        byte[] report = RtcpWriter.senderReportWithCname(ssrc, Instant.now(), lastRtpTimestamp,
                counters.packetsSent.get(), counters.payloadBytesSent.get(), cname);
        try {
            agent.send(srtp.protectRtcp(report));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Peer {}: sender report not sent: {}", peerId, e.toString());
        }
    }

    /** RTP/RTCP from the browser (RFC 5761 demux: RTCP packet types 192..223). */
    private void onMedia(byte[] data, int offset, int length, InetSocketAddress from) {
        SrtpContext srtp = inbound;
        if (srtp == null || length < 8) {
            return;
        }
        int packetType = data[offset + 1] & 0xFF;
        if (packetType < 192 || packetType > 223) {
            return; // RTP from a recvonly browser: nothing to do
        }
        byte[] rtcp;
        try {
            rtcp = srtp.unprotectRtcp(Arrays.copyOfRange(data, offset, offset + length));
        } catch (SrtpException e) {
            counters.rtcpErrors.incrementAndGet();
            return;
        }
        try {
            for (Rtcp.Packet packet : Rtcp.parse(rtcp)) {
                handle(packet);
            }
        } catch (IllegalArgumentException e) {
            counters.rtcpErrors.incrementAndGet();
        }
    }

    /** Acts on one RTCP packet from the browser and counts it; package-private for the tests. */
    void handle(Rtcp.Packet packet) {
        if (packet instanceof Rtcp.PictureLossIndication) {
            counters.pliReceived.incrementAndGet();
            owner.requestKeyframe(this);
        } else if (packet instanceof Rtcp.FullIntraRequest) {
            counters.firReceived.incrementAndGet();
            owner.requestKeyframe(this);
        } else if (packet instanceof Rtcp.Nack nack) {
            counters.nacksReceived.incrementAndGet();
            PeerCongestion cc = congestion;
            long overBudget = cc == null ? 0 : cc.retransmissionsOverBudget();
            for (int seq : nack.lostSequences()) {
                byte[] again = history.get(seq);
                counters.nackedPackets.incrementAndGet();
                if (again != null && cc != null) {
                    if (needKeyframe || beforeLastKeyframe(seq)) {
                        continue; // the viewer starts again at a key frame: a resend would only delay it
                    }
                    retransmitPaced(cc, seq, again);
                } else if (again != null) {
                    try {
                        agent.send(again);
                        counters.retransmissions.incrementAndGet();
                    } catch (IOException e) {
                        counters.sendErrors.incrementAndGet();
                    }
                }
            }
            if (cc != null && cc.retransmissionsOverBudget() > overBudget) {
                cc.onLossBeyondBudget(); // before the key frame: it is encoded at the lower rate
                repairWithKeyframe();
            }
        } else if (packet instanceof Rtcp.ReceiverReport rr) {
            long now = NtpTime.now();
            for (Rtcp.ReportBlock block : rr.reports()) {
                if (block.ssrc() == ssrc) {
                    long rtt = block.roundTripMicros(now).orElse(-1);
                    counters.onReport(block, rtt);
                    PeerCongestion cc = congestion;
                    if (cc != null) {
                        cc.onReceiverReport(block.fractionLost(), rtt);
                    }
                }
            }
        } else if (packet instanceof TransportFeedback feedback) {
            counters.transportFeedbackReceived.incrementAndGet();
            PeerCongestion cc = congestion;
            if (cc != null) {
                cc.onFeedback(feedback);
            }
        } else if (packet instanceof Rtcp.Remb remb) {
            counters.rembBitrateBps = remb.bitrateBps();
        }
    }

    /** @return true when {@code seq} was sent before the last key frame (16-bit serial number order) */
    private boolean beforeLastKeyframe(int seq) {
        int key = lastKeyframeSequence;
        if (key < 0) {
            return false;
        }
        int behind = (key - seq) & 0xFFFF;
        return behind > 0 && behind < 0x8000;
    }

    /**
     * More was lost than the retransmission budget can resend (a queue overflowed on the path): the
     * picture cannot be repaired in time, so this viewer skips to the next key frame (rather than
     * waiting seconds for resends) and asks for one; what waits in its pacer is dropped, since the
     * browser cannot use it and it would hold the key frame up. The runtime limits how often key frames come.
     */
    private void repairWithKeyframe() {
        LOG.debug("peer {}: loss beyond the resend budget, waiting for a key frame", peerId);
        counters.keyframesForLoss.incrementAndGet();
        needKeyframe = true;
        PeerCongestion cc = congestion;
        if (cc != null) {
            cc.discardQueued();
        }
        owner.requestKeyframe(this);
    }

    /**
     * Queues a resend within the budget: as an RTX packet when RTX was negotiated (the browser then
     * tells resends from late originals), else the original packet again.
     */
    private void retransmitPaced(PeerCongestion cc, int seq, byte[] original) {
        if (!cc.mayRetransmit(seq, original.length)) {
            counters.retransmissionsRefused.incrementAndGet();
            return;
        }
        cc.enqueueRetransmission(answer.rtx() ? rtxCopy(original) : original);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (congestion != null) {
            congestion.close(); // before SRTP: the pacer thread must not protect with a closed context
        }
        dtls.close();
        agent.close();
        SrtpContext out = outbound;
        SrtpContext in = inbound;
        if (out != null) {
            out.close();
        }
        if (in != null) {
            in.close();
        }
        SrtpKeyMaterial k = keys;
        if (k != null) {
            k.close();
        }
    }

    /**
     * A snapshot of one peer's counters, for health and diagnostics.
     *
     * @param framesSent                   frames packetized and sent
     * @param framesSkippedWaitingForKeyframe frames dropped before the first key frame
     * @param packetsSent                  RTP packets sent the first time (retransmissions not counted)
     * @param payloadBytesSent             RTP payload bytes of those (what sender reports carry)
     * @param bytesSent                    SRTP bytes of those, as on the wire without UDP/IP
     * @param sendErrors                   packets the socket refused, retransmissions included
     * @param rtcpErrors                   RTCP packets that failed SRTCP or did not parse
     * @param nacksReceived                generic NACK messages received
     * @param nackedPackets                sequence numbers those NACKs asked for
     * @param retransmissions              packets sent again from the history
     * @param pliReceived                  picture loss indications received
     * @param firReceived                  full intra requests received
     * @param fractionLost                 last receiver report's fraction lost, in 1/256; -1 before any
     * @param cumulativeLost               last receiver report's cumulative packets lost
     * @param jitter                       last receiver report's interarrival jitter, 90 kHz timestamp units
     * @param roundTripMicros              last round-trip time from a receiver report, -1 before any
     * @param rembBitrateBps               last REMB estimate in bits per second, -1 before any
     * @param retransmissionsRefused       resends the retransmission budget refused
     * @param transportFeedbackReceived    transport-cc feedback messages received
     * @param pacerOverflows               times the pacer dropped a media queue that waited too long
     * @param keyframesForLoss             NACKs with more losses than the retransmission budget could
     *                                     resend, answered by skipping to a key frame
     * @param estimatedBitrateBps          congestion control's estimate, -1 without congestion control
     * @param sendBitrateBps               SRTP bits per second sent over the last second, resends included
     * @param retransmissionBitrateBps     of those, resends
     * @param pacerQueueMillis             how long the oldest packet in the pacer queue has waited, -1
     *                                     without congestion control
     * @param probesSent                   bandwidth probes sent to their minimum, -1 without congestion
     *                                     control
     * @param paddingBytesSent             SRTP bytes of the probes' padding, -1 without congestion control
     */
    record Stats(long framesSent, long framesSkippedWaitingForKeyframe, long packetsSent, long payloadBytesSent,
                 long bytesSent, long sendErrors, long rtcpErrors, long nacksReceived, long nackedPackets,
                 long retransmissions, long pliReceived, long firReceived, int fractionLost, long cumulativeLost,
                 long jitter, long roundTripMicros, long rembBitrateBps, long retransmissionsRefused,
                 long transportFeedbackReceived, long pacerOverflows, long keyframesForLoss, long estimatedBitrateBps,
                 long sendBitrateBps, long retransmissionBitrateBps, long pacerQueueMillis, long probesSent,
                 long paddingBytesSent) {

        /** @return the fields by name, in declaration order, for a JSON health body */
        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("framesSent", framesSent);
            map.put("framesSkippedWaitingForKeyframe", framesSkippedWaitingForKeyframe);
            map.put("packetsSent", packetsSent);
            map.put("payloadBytesSent", payloadBytesSent);
            map.put("bytesSent", bytesSent);
            map.put("sendErrors", sendErrors);
            map.put("rtcpErrors", rtcpErrors);
            map.put("nacksReceived", nacksReceived);
            map.put("nackedPackets", nackedPackets);
            map.put("retransmissions", retransmissions);
            map.put("pliReceived", pliReceived);
            map.put("firReceived", firReceived);
            map.put("fractionLost", fractionLost);
            map.put("cumulativeLost", cumulativeLost);
            map.put("jitter", jitter);
            map.put("roundTripMicros", roundTripMicros);
            map.put("rembBitrateBps", rembBitrateBps);
            map.put("retransmissionsRefused", retransmissionsRefused);
            map.put("transportFeedbackReceived", transportFeedbackReceived);
            map.put("pacerOverflows", pacerOverflows);
            map.put("keyframesForLoss", keyframesForLoss);
            map.put("estimatedBitrateBps", estimatedBitrateBps);
            map.put("sendBitrateBps", sendBitrateBps);
            map.put("retransmissionBitrateBps", retransmissionBitrateBps);
            map.put("pacerQueueMillis", pacerQueueMillis);
            map.put("probesSent", probesSent);
            map.put("paddingBytesSent", paddingBytesSent);
            return Collections.unmodifiableMap(map);
        }
    }

    /** The live counters of one peer: written by the sender and the RTCP thread, read by {@link #stats()}. */
    private static final class Counters {
        final AtomicLong framesSent = new AtomicLong();
        final AtomicLong framesSkippedWaitingForKeyframe = new AtomicLong();
        final AtomicLong packetsSent = new AtomicLong();
        final AtomicLong payloadBytesSent = new AtomicLong();
        final AtomicLong bytesSent = new AtomicLong();
        final AtomicLong sendErrors = new AtomicLong();
        final AtomicLong rtcpErrors = new AtomicLong();
        final AtomicLong nacksReceived = new AtomicLong();
        final AtomicLong nackedPackets = new AtomicLong();
        final AtomicLong retransmissions = new AtomicLong();
        final AtomicLong pliReceived = new AtomicLong();
        final AtomicLong firReceived = new AtomicLong();
        final AtomicLong retransmissionsRefused = new AtomicLong();
        final AtomicLong transportFeedbackReceived = new AtomicLong();
        final AtomicLong pacerOverflows = new AtomicLong();
        final AtomicLong keyframesForLoss = new AtomicLong();
        volatile Rtcp.ReportBlock lastReport;
        volatile long roundTripMicros = -1;
        volatile long rembBitrateBps = -1;

        void onReport(Rtcp.ReportBlock block, long rttMicros) {
            lastReport = block;
            if (rttMicros >= 0) {
                roundTripMicros = rttMicros;
            }
        }

        Stats snapshot(PeerCongestion cc, long sendBps, long retransmissionBps) {
            Rtcp.ReportBlock report = lastReport;
            PacedSender.Stats pacer = cc == null ? null : cc.pacerStats();
            return new Stats(framesSent.get(), framesSkippedWaitingForKeyframe.get(), packetsSent.get(),
                    payloadBytesSent.get(), bytesSent.get(), sendErrors.get(), rtcpErrors.get(), nacksReceived.get(),
                    nackedPackets.get(), retransmissions.get(), pliReceived.get(), firReceived.get(),
                    report == null ? -1 : report.fractionLost(), report == null ? 0 : report.cumulativeLost(),
                    report == null ? 0 : report.jitter(), roundTripMicros, rembBitrateBps,
                    retransmissionsRefused.get(), transportFeedbackReceived.get(), pacerOverflows.get(),
                    keyframesForLoss.get(),
                    cc == null ? -1 : cc.estimateBps(), sendBps, retransmissionBps,
                    pacer == null ? -1 : pacer.oldestQueuedMillis(), pacer == null ? -1 : pacer.probesSent(),
                    pacer == null ? -1 : pacer.paddingBytesSent());
        }
    }
}
