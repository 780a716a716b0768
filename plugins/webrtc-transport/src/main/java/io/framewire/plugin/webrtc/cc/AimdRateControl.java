package io.framewire.plugin.webrtc.cc;

/**
 * The delay-based rate (draft-ietf-rmcat-gcc-02 section 5.5, libwebrtc's {@code AimdRateControl}):
 * a state machine driven by the {@link DelayState}. Normal -> increase, underusing -> hold (let the
 * queue drain), overusing -> decrease, then hold until the signal is normal again.
 *
 * <ul>
 *   <li>Decrease: to {@value #BETA} x the acknowledged bitrate (minus 5 kbit/s), never up. The
 *       acknowledged bitrate at that moment is a sample of the link capacity ({@link LinkCapacity}).
 *   <li>Increase far from the capacity estimate (none yet, or the throughput left its band):
 *       multiplicative, {@value #MULTIPLICATIVE_PER_SECOND} per second. libwebrtc uses 8 %/s and
 *       relies on probing to climb quickly; probes raise the rate here too ({@link #onProbe}), but
 *       only now and then on a loaded path, so the increase itself stays faster.
 *   <li>Increase near it: additive, about one average packet per response time (RTT + 100 ms), at
 *       least {@value #MIN_ADDITIVE_BPS_PER_SECOND} bit/s per second.
 *   <li>An increase never goes above 1.5 x the acknowledged bitrate + 10 kbit/s: a sender that does
 *       not use its allowance (app-limited) must not inflate the estimate.
 * </ul>
 */
final class AimdRateControl {

    static final double BETA = 0.85;
    static final double MULTIPLICATIVE_PER_SECOND = 1.25;
    static final double MIN_ADDITIVE_BPS_PER_SECOND = 4_000;
    static final long DEFAULT_RTT_MICROS = 200_000;
    /** Response time = RTT + this: one frame to react plus feedback interval and queuing. */
    static final long RESPONSE_EXTRA_MICROS = 100_000;
    static final double FRAME_SECONDS = 1 / 30.0;
    static final int PACKET_BYTES = 1200;
    /** How long a probe's rate bounds the decrease ({@link #onProbe}). */
    static final long PROBED_FLOOR_MICROS = 2_000_000;

    private enum Phase { HOLD, INCREASE, DECREASE }

    private final long minBps;
    private final long maxBps;
    private final LinkCapacity linkCapacity = new LinkCapacity();
    private Phase phase = Phase.INCREASE;
    private double currentBps;
    private long lastChange = Long.MIN_VALUE;
    private long rttMicros = DEFAULT_RTT_MICROS;
    private long probedBps = -1;
    private long probedUntil = Long.MIN_VALUE;

    AimdRateControl(CongestionSettings settings) {
        this.minBps = settings.minBps();
        this.maxBps = settings.maxBps();
        this.currentBps = settings.startBps();
    }

    void setRtt(long rttMicros) {
        this.rttMicros = rttMicros;
    }

    long bps() {
        return (long) currentBps;
    }

    LinkCapacity linkCapacity() {
        return linkCapacity;
    }

    /**
     * Whether an overuse may cut the rate again: after max(RTT, 10 ms) capped at 200 ms since the
     * last change, or at once when the throughput fell below half the estimate.
     */
    boolean mayReduce(long nowMicros, long throughputBps) {
        long interval = Math.max(10_000, Math.min(200_000, rttMicros));
        return lastChange == Long.MIN_VALUE || nowMicros - lastChange >= interval
                || throughputBps < currentBps / 2;
    }

    /**
     * A probe showed the path carries {@code bps}, above the rate: take it over. A learnt capacity
     * below it is forgotten (the path changed), so the increase from there is multiplicative again.
     * For {@value #PROBED_FLOOR_MICROS} µs a decrease goes no lower than {@value #BETA} x the probed
     * rate (libwebrtc bounds its back-off by the probed lower bound of the link capacity the same
     * way): the encoder needs a moment to fill the new rate, and meanwhile the acknowledged rate a
     * decrease starts from still shows the old one.
     */
    void onProbe(long bps, long nowMicros) {
        if (bps <= currentBps) {
            return;
        }
        currentBps = clamp(bps);
        probedBps = bps;
        probedUntil = nowMicros + PROBED_FLOOR_MICROS;
        if (linkCapacity.hasEstimate() && bps > linkCapacity.upperBps()) {
            linkCapacity.reset();
        }
        lastChange = nowMicros;
    }

    /** Loss says the path got worse: a probe's rate no longer bounds the decrease. */
    void forgetProbe() {
        probedBps = -1;
    }

    /** Sets the rate directly (overuse before any throughput is known: halve). */
    void set(long bps, long nowMicros) {
        currentBps = clamp(bps);
        lastChange = nowMicros;
    }

    /**
     * One step of the state machine.
     *
     * @param signal        the detector's state
     * @param ackedBps      the acknowledged bitrate, -1 if unknown (then the current rate stands in)
     * @param nowMicros     now, sender's clock
     * @return the new rate
     */
    long update(DelayState signal, long ackedBps, long nowMicros) {
        if (lastChange == Long.MIN_VALUE) {
            lastChange = nowMicros; // the first increase starts from here, not with a full step
        }
        double throughput = ackedBps >= 0 ? ackedBps : currentBps;
        switch (signal) {
            case NORMAL -> phase = phase == Phase.HOLD ? Phase.INCREASE : phase;
            case OVERUSING -> phase = Phase.DECREASE;
            case UNDERUSING -> phase = Phase.HOLD;
        }
        switch (phase) {
            case HOLD -> { }
            case INCREASE -> increase(throughput, nowMicros);
            case DECREASE -> decrease(throughput, nowMicros);
        }
        currentBps = clamp(currentBps);
        return bps();
    }

    private void increase(double throughput, long nowMicros) {
        if (throughput > linkCapacity.upperBps()) {
            linkCapacity.reset(); // the link got faster: far from the old estimate again
        }
        double limit = 1.5 * throughput + 10_000;
        double seconds = Math.min(nowMicros - lastChange, 1_000_000) / 1e6;
        if (currentBps < limit && seconds > 0) {
            double step = linkCapacity.hasEstimate()
                    ? additivePerSecond() * seconds
                    : Math.max(currentBps * (Math.pow(MULTIPLICATIVE_PER_SECOND, seconds) - 1), 1000 * seconds);
            currentBps = Math.min(currentBps + step, limit);
        }
        lastChange = nowMicros;
    }

    private void decrease(double throughput, long nowMicros) {
        double decreased = BETA * throughput;
        if (decreased > 5_000) {
            decreased -= 5_000; // a little under the throughput, to drain what we queued
        }
        if (decreased > currentBps && linkCapacity.hasEstimate()) {
            decreased = BETA * linkCapacity.bps();
        }
        if (probedBps > 0 && nowMicros < probedUntil) {
            decreased = Math.max(decreased, BETA * probedBps);
            throughput = Math.max(throughput, probedBps); // the capacity sample, too
        }
        if (decreased < currentBps) {
            currentBps = decreased;
        }
        if (throughput < linkCapacity.lowerBps()) {
            linkCapacity.reset(); // far below what we believed: take this sample afresh
        }
        linkCapacity.onOveruse((long) throughput);
        phase = Phase.HOLD; // until the queue has drained and the signal is normal
        lastChange = nowMicros;
    }

    /** About one average packet per response time, in bit/s per second. */
    private double additivePerSecond() {
        double frameBits = currentBps * FRAME_SECONDS;
        double packetsPerFrame = Math.ceil(frameBits / (8 * PACKET_BYTES));
        double packetBits = frameBits / Math.max(1, packetsPerFrame);
        double responseSeconds = (rttMicros + RESPONSE_EXTRA_MICROS) / 1e6;
        return Math.max(MIN_ADDITIVE_BPS_PER_SECOND, packetBits / responseSeconds);
    }

    private double clamp(double bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
