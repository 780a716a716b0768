package io.framewire.plugin.webrtc.cc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sender-side Google Congestion Control: the target bitrate from transport-cc feedback and receiver
 * reports (see the package description for the algorithm and its constants).
 *
 * <p>Thread-safe: the pacer thread calls {@link #onPacketSent}, the RTCP thread the rest; every
 * method synchronizes on this object. Times are microseconds on the caller's monotonic clock, except
 * arrival times inside feedback, which are on the receiver's clock.
 */
public final class BandwidthEstimator {

    /** A transport-cc loss sample needs at least this many packets... */
    static final int LOSS_MIN_PACKETS = 20;
    /** ...and this much send time, so 1 % random loss does not read as 10 % now and then. */
    static final long LOSS_MIN_MICROS = 100_000;
    /**
     * Loss beyond the resend budget cuts the target to {@link AimdRateControl#BETA} x the rate of this
     * many last arrivals (few: the path's rate just changed, and a window reaching back before the
     * change reads high; a key frame sized for a rate above the path's overflows it again).
     */
    static final int RECENT_DELIVERY_PACKETS = 10;
    /** Receiver-report loss counts only when transport-cc gave no loss sample for this long. */
    static final long REPORT_LOSS_FALLBACK_MICROS = 2_000_000;

    private final CongestionSettings settings;
    private final SendTimeHistory history = new SendTimeHistory();
    private final InterArrival interArrival = new InterArrival();
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final AcknowledgedBitrate acked = new AcknowledgedBitrate();
    private final AimdRateControl aimd;
    private final LossBasedControl lossBased;
    private final ProbeBitrateEstimator probes = new ProbeBitrateEstimator();
    private final ProbeController probeController;
    private final List<ProbeCluster> furtherProbes = new ArrayList<>();
    private long lastTarget;
    private long probeCeilingBps = Long.MAX_VALUE;

    private int lossExpected;
    private int lossLost;
    private long lossWindowStart = Long.MIN_VALUE;
    private long lastFeedbackLossSample = Long.MIN_VALUE;
    private double lossFraction;
    private long rttMicros;

    /**
     * The estimator's state, for stats and logs.
     *
     * @param targetBps     {@link #targetBps()}
     * @param delayBasedBps the delay-based (AIMD) rate
     * @param lossBasedBps  the loss-based ceiling ({@code maxBps} until loss was seen)
     * @param ackedBps      the acknowledged bitrate, -1 until known
     * @param delayState    "normal", "overusing" or "underusing"
     * @param lossFraction  the last loss sample, 0..1
     * @param rttMicros     the last round-trip time given to {@link #onRoundTrip}, 0 if none
     */
    public record Snapshot(long targetBps, long delayBasedBps, long lossBasedBps, long ackedBps, String delayState,
                           double lossFraction, long rttMicros) {
    }

    /** An estimator starting at {@code settings.startBps()}. */
    public BandwidthEstimator(CongestionSettings settings) {
        this.settings = settings;
        this.aimd = new AimdRateControl(settings);
        this.lossBased = new LossBasedControl(settings);
        this.probeController = new ProbeController(settings);
        this.lastTarget = targetBps();
    }

    /**
     * A packet left the socket.
     *
     * @param transportSequence its transport-wide sequence number (16-bit)
     * @param sizeBytes         bytes on the wire (the SRTP packet's size)
     * @param sendTimeMicros    now
     * @param probeCluster      the {@link ProbeCluster#id()} it was sent in, 0 for none
     */
    public synchronized void onPacketSent(int transportSequence, int sizeBytes, long sendTimeMicros,
                                          int probeCluster) {
        history.onSent(transportSequence, sizeBytes, sendTimeMicros, probeCluster);
    }

    /**
     * Probes to send now: the start probes, further probes called for by a measurement, a capacity
     * check ({@link ProbeController}). The caller sends each (a pacer) and their packets carry the
     * cluster's id to {@link #onPacketSent}. A caller that cannot send padding does not ask.
     *
     * @param ceilingBps the most the sender could use (the encoder's configured rate and headers):
     *                   no probe goes above it; {@link Long#MAX_VALUE} when unknown
     * @param nowMicros  now
     */
    public synchronized List<ProbeCluster> probesDue(long ceilingBps, long nowMicros) {
        probeCeilingBps = ceilingBps;
        List<ProbeCluster> due = new ArrayList<>(furtherProbes);
        furtherProbes.clear();
        due.addAll(probeController.due(targetBps(), ceilingBps, nowMicros));
        for (ProbeCluster c : due) {
            probes.onClusterSent(c);
        }
        return due;
    }

    /**
     * The receiver asked for more resends than the budget allows: the path delivers far less than
     * we send (a capacity drop into a full queue). Cuts the target to {@link AimdRateControl#BETA} x
     * the rate of the last {@value #RECENT_DELIVERY_PACKETS} arrivals at once, without waiting
     * for the loss and delay samples (at most once per loss decrease interval, like a loss sample).
     */
    public synchronized void onLossBeyondBudget(long nowMicros) {
        long delivered = acked.recentBps(RECENT_DELIVERY_PACKETS);
        if (delivered > 0) {
            aimd.forgetProbe();
            lossBased.capTo((long) (AimdRateControl.BETA * delivered), rttOrDefault(), nowMicros);
            noteTarget(nowMicros);
        }
    }

    /**
     * Transport-cc feedback arrived: updates the acknowledged bitrate, the delay trend and both rates.
     *
     * @param feedback  the parsed feedback
     * @param nowMicros now
     */
    public synchronized void onFeedback(TransportFeedback feedback, long nowMicros) {
        List<SendTimeHistory.Result> results = history.onFeedback(feedback);
        if (results.isEmpty()) {
            return;
        }
        List<SendTimeHistory.Result> received = new ArrayList<>(results.size());
        for (SendTimeHistory.Result r : results) {
            if (r.received()) {
                received.add(r);
            }
        }
        // by arrival, as the queue served them (feedback lists them by sequence)
        received.sort(Comparator.comparingLong(SendTimeHistory.Result::arrivalMicros)
                .thenComparingLong(SendTimeHistory.Result::sequence));
        for (SendTimeHistory.Result r : received) {
            if (r.probeCluster() > 0) {
                probes.onReceived(r.probeCluster(), r.sendTimeMicros(), r.arrivalMicros(), r.sizeBytes());
            } else {
                // a probe's train is not throughput the encoder can count on: in the acknowledged
                // rate it would lift the increase limit and push it out of the learnt capacity band
                acked.onReceived(r.arrivalMicros(), r.sizeBytes());
            }
            InterArrival.Deltas deltas = interArrival.add(r.sendTimeMicros(), r.arrivalMicros(), nowMicros);
            if (interArrival.wasReset()) {
                trendline.reset();
            }
            if (deltas != null) {
                trendline.update(deltas);
            }
        }
        updateDelayBased(nowMicros);
        countLoss(results, nowMicros);
        ProbeBitrateEstimator.Measurement measured = probes.takeMeasurement();
        if (measured != null) {
            onProbeMeasurement(measured, nowMicros);
        }
        noteTarget(nowMicros);
    }

    /**
     * A probe measured a rate. One that the path carried in full (not saturated) and that is above
     * the estimate is taken over by both the delay-based rate and the loss-based ceiling (as
     * libwebrtc does), unless the queue is growing now. A saturated one is not used: the path could
     * not carry the probe, and what arrived reads high whenever the path delivers in bursts (a
     * user-space relay late by a millisecond, Wi-Fi aggregation), which would set the rate above the
     * capacity; the delay-based rate finds the capacity below the probe anyway.
     */
    private void onProbeMeasurement(ProbeBitrateEstimator.Measurement m, long nowMicros) {
        furtherProbes.addAll(probeController.onMeasurement(m, probeCeilingBps, targetBps(), nowMicros));
        if (m.saturated() || trendline.state() == DelayState.OVERUSING || m.bps() <= targetBps()) {
            return;
        }
        aimd.onProbe(m.bps(), nowMicros);
        if (lossFraction < LossBasedControl.HIGH_LOSS) {
            lossBased.raiseTo(m.bps()); // a probe shows room, not less loss: heavy loss keeps its ceiling
        }
    }

    /** Tells the probe controller about a cut of the target. */
    private void noteTarget(long nowMicros) {
        long target = targetBps();
        if (target < lastTarget) {
            probeController.onDecrease(nowMicros);
            furtherProbes.clear();
        }
        lastTarget = target;
    }

    /**
     * A receiver report block arrived; its loss is used only while transport-cc feedback gives none.
     *
     * @param fractionLost loss since the previous report, in 1/256
     * @param nowMicros    now
     */
    public synchronized void onReceiverReport(int fractionLost, long nowMicros) {
        if (lastFeedbackLossSample != Long.MIN_VALUE
                && nowMicros - lastFeedbackLossSample < REPORT_LOSS_FALLBACK_MICROS) {
            return; // transport-cc reports the same loss per packet, and sooner
        }
        lossSample(Math.max(0, Math.min(255, fractionLost)) / 256.0, nowMicros);
        noteTarget(nowMicros);
    }

    /** A round-trip time measurement (from an RTCP receiver report's LSR/DLSR). */
    public synchronized void onRoundTrip(long rttMicros) {
        if (rttMicros < 0) {
            return;
        }
        this.rttMicros = rttMicros;
        aimd.setRtt(rttMicros);
    }

    /** @return the target bitrate in bit/s: min(delay-based, loss-based) within [min, max] */
    public synchronized long targetBps() {
        return settings.clamp(Math.min(aimd.bps(), lossBased.bps()));
    }

    /** @return the current state */
    public synchronized Snapshot snapshot() {
        return new Snapshot(targetBps(), aimd.bps(), lossBased.bps(), acked.bps(), trendline.state().label(),
                lossFraction, rttMicros);
    }

    private void updateDelayBased(long nowMicros) {
        DelayState state = trendline.state();
        long ackedBps = acked.bps();
        if (state != DelayState.OVERUSING) {
            aimd.update(state, ackedBps, nowMicros);
        } else if (ackedBps >= 0) {
            if (aimd.mayReduce(nowMicros, ackedBps)) {
                aimd.update(state, ackedBps, nowMicros);
            }
        } else if (aimd.mayReduce(nowMicros, aimd.bps())) {
            aimd.set(aimd.bps() / 2, nowMicros); // overuse before any throughput is known
        }
    }

    private void countLoss(List<SendTimeHistory.Result> results, long nowMicros) {
        for (SendTimeHistory.Result r : results) {
            if (!r.firstReport()) {
                continue;
            }
            if (lossWindowStart == Long.MIN_VALUE) {
                lossWindowStart = r.sendTimeMicros();
            }
            lossExpected++;
            if (!r.received()) {
                lossLost++;
            }
            if (lossExpected >= LOSS_MIN_PACKETS && r.sendTimeMicros() - lossWindowStart >= LOSS_MIN_MICROS) {
                lastFeedbackLossSample = nowMicros;
                lossSample((double) lossLost / lossExpected, nowMicros);
                lossExpected = 0;
                lossLost = 0;
                lossWindowStart = Long.MIN_VALUE;
            }
        }
    }

    private void lossSample(double fraction, long nowMicros) {
        lossFraction = fraction;
        if (fraction > LossBasedControl.HIGH_LOSS) {
            aimd.forgetProbe();
        }
        lossBased.onLoss(fraction, targetBps(), rttOrDefault(), nowMicros);
    }

    private long rttOrDefault() {
        return rttMicros > 0 ? rttMicros : AimdRateControl.DEFAULT_RTT_MICROS;
    }
}
