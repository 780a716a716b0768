package io.framewire.plugin.webrtc;

import io.framewire.plugin.webrtc.cc.BandwidthEstimator;
import io.framewire.plugin.webrtc.cc.CongestionSettings;
import io.framewire.plugin.webrtc.cc.ProbeCluster;
import io.framewire.plugin.webrtc.cc.TransportFeedback;
import io.framewire.plugin.webrtc.pacer.PacedSender;
import io.framewire.plugin.webrtc.pacer.PaddingSource;
import io.framewire.plugin.webrtc.pacer.PacerSettings;
import io.framewire.plugin.webrtc.pacer.QueuedPacket;
import io.framewire.plugin.webrtc.pacer.RetransmissionBudget;
import io.framewire.plugin.webrtc.pacer.Transmitter;
import io.framewire.plugin.webrtc.rtp.RtpPacket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One viewer's congestion control, wired together: the {@link BandwidthEstimator} fed by
 * transport-cc feedback and receiver reports sets the {@link PacedSender}'s rate and the
 * {@link RetransmissionBudget}; the pacer's transmitter stamps each leaving packet with the next
 * transport-wide sequence number and reports it back here.
 *
 * <p>Threads: {@link #stamp} and {@link #onSent} run on the pacer thread; the feedback methods on
 * the RTCP (media socket) thread; the rest anywhere.
 */
final class PeerCongestion implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCongestion.class);
    /**
     * Share of the estimate left for the encoder's payload after RTP, extension and SRTP headers
     * (about 30 bytes of a 1200-byte packet; encoders that hold their rate loosely stay below it anyway).
     */
    static final double PAYLOAD_SHARE = 0.97;
    /**
     * The pacer's burst after an idle gap, in ms of the pacing rate: on a fast path a whole frame
     * still leaves at once (a 1080p frame at 8 Mbit/s is about 33 kB; 10 ms at 2.5 x 12 Mbit/s is
     * 37 kB), so pacing costs no latency there; near capacity and for key frames packets are spread
     * (libwebrtc allows 40 ms).
     */
    static final int PACER_BURST_MILLIS = 10;

    private final BandwidthEstimator estimator;
    private final RetransmissionBudget budget;
    private final PacedSender pacer;
    private final int sequenceOffset;
    private int nextSequence; // pacer thread only
    private final String name;
    private final boolean probing;
    private final LongSupplier probeCeilingBps;
    private volatile boolean mediaFlows; // feedback arrived: the browser receives media
    private long lastTarget; // guarded by this

    /**
     * @param name           the pacer thread's name suffix (the peer id)
     * @param settings       the transport's settings (bounds, pacing factor, retransmission share)
     * @param sequenceOffset where the transport-wide sequence number's two bytes are in every packet
     * @param transmitter    protects and sends a packet; calls {@link #stamp} and {@link #onSent}
     * @param onOverflow     called on the pacer thread when a stale media queue was dropped
     * @param padding        fills bandwidth probes; null: no probing (the estimate then only climbs)
     * @param probeCeiling   the most the encoder could use, in bit/s on the wire: no probe goes higher
     */
    PeerCongestion(String name, WebRtcSettings settings, int sequenceOffset, Transmitter transmitter,
                   Runnable onOverflow, PaddingSource padding, LongSupplier probeCeiling) {
        this.name = name;
        this.estimator = new BandwidthEstimator(congestionSettings(settings));
        this.budget = new RetransmissionBudget(settings.retransmissionShare(), System::nanoTime);
        this.sequenceOffset = sequenceOffset;
        this.pacer = new PacedSender(name, transmitter, PacerSettings.defaults()
                .withPacingFactor(settings.pacingFactor())
                .withMinPacingBps(settings.minBitrateKbps() * 1000L)
                .withBurstMillis(PACER_BURST_MILLIS));
        pacer.onOverflow(onOverflow);
        pacer.paddingSource(padding);
        this.probing = padding != null;
        this.probeCeilingBps = probeCeiling;
        follow();
    }

    /** The estimator's bounds from the settings, checked with the settings' names in the message. */
    static CongestionSettings congestionSettings(WebRtcSettings s) {
        try {
            return new CongestionSettings(s.minBitrateKbps() * 1000L, s.startBitrateKbps() * 1000L,
                    s.maxBitrateKbps() * 1000L);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("WebRTC settings minBitrateKbps=" + s.minBitrateKbps()
                    + ", startBitrateKbps=" + s.startBitrateKbps() + ", maxBitrateKbps=" + s.maxBitrateKbps()
                    + ": need min <= start <= max", e);
        }
    }

    /** Queues a frame's unprotected packets; they leave at the pacing rate. */
    void enqueueFrame(List<QueuedPacket> packets, boolean keyframe) {
        pacer.enqueueFrame(packets, keyframe);
    }

    /**
     * Asks the retransmission budget for {@code sizeBytes}.
     *
     * @return true when the resend may be queued with {@link #enqueueRetransmission}
     */
    boolean mayRetransmit(int sequence, int sizeBytes) {
        return budget.tryAcquire(sequence, sizeBytes);
    }

    /**
     * Drops what waits in the pacer: the viewer starts again at a key frame, and the packets of the
     * frames before it would only hold that key frame up.
     */
    void discardQueued() {
        int dropped = pacer.discardQueued();
        LOG.debug("peer {}: {} queued packets dropped, waiting for a key frame", name, dropped);
    }

    /** Queues a resend (unprotected, RTX-wrapped where negotiated) ahead of media. */
    void enqueueRetransmission(byte[] packet) {
        pacer.enqueueRetransmission(new QueuedPacket(packet, packet.length, QueuedPacket.Kind.RETRANSMISSION,
                System.nanoTime()));
    }

    /** On the pacer thread: writes the next transport-wide sequence number into an unprotected packet. */
    int stamp(byte[] packet) {
        int sequence = nextSequence;
        nextSequence = (nextSequence + 1) & 0xFFFF;
        RtpPacket.writeTransportSequence(packet, sequenceOffset, sequence);
        return sequence;
    }

    /**
     * On the pacer thread: the stamped packet left the socket with {@code wireBytes} bytes, in probe
     * cluster {@code probeCluster} (0: none).
     */
    void onSent(int sequence, int wireBytes, long nowNanos, int probeCluster) {
        estimator.onPacketSent(sequence, wireBytes, TimeUnit.NANOSECONDS.toMicros(nowNanos), probeCluster);
    }

    /**
     * The browser asked for more resends than the budget allows: the estimate drops to what arrived
     * lately ({@link BandwidthEstimator#onLossBeyondBudget}), before the key frame that repairs it is
     * encoded.
     */
    void onLossBeyondBudget() {
        estimator.onLossBeyondBudget(TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
        follow();
    }

    /** Transport-cc feedback from the browser. */
    void onFeedback(TransportFeedback feedback) {
        estimator.onFeedback(feedback, TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
        mediaFlows = true;
        follow();
    }

    /**
     * A receiver report block about our media SSRC.
     *
     * @param fractionLost    loss in 1/256
     * @param roundTripMicros the round trip it measured, or -1
     */
    void onReceiverReport(int fractionLost, long roundTripMicros) {
        if (roundTripMicros >= 0) {
            estimator.onRoundTrip(roundTripMicros);
            budget.setRoundTripMicros(roundTripMicros);
        }
        estimator.onReceiverReport(fractionLost, TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
        follow();
    }

    /** The pacer and the retransmission budget take up the estimate. */
    private void follow() {
        long target = estimator.targetBps();
        synchronized (this) {
            if (target < lastTarget && LOG.isDebugEnabled()) {
                LOG.debug("peer {}: estimate {} -> {} kbit/s: {}", name, lastTarget / 1000, target / 1000,
                        estimator.snapshot());
            }
            lastTarget = target;
        }
        pacer.setTargetBitrate(target);
        budget.setTargetBitrate(target);
        if (probing && mediaFlows) { // probes are padded with media packets: none before media flows
            long now = TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
            for (ProbeCluster c : estimator.probesDue(probeCeilingBps.getAsLong(), now)) {
                LOG.debug("peer {}: probe {} at {} kbit/s", name, c.id(), c.bps() / 1000);
                pacer.startProbe(c.id(), c.bps(), c.minBytes(), c.minPackets());
            }
        }
    }

    /** @return the estimate in bit/s */
    long estimateBps() {
        return estimator.targetBps();
    }

    /** @return the pacer's counters */
    PacedSender.Stats pacerStats() {
        return pacer.stats();
    }

    /** @return resends the budget refused for want of tokens: losses it could not repair */
    long retransmissionsOverBudget() {
        return budget.overBudget();
    }

    @Override
    public void close() {
        pacer.close();
    }
}
