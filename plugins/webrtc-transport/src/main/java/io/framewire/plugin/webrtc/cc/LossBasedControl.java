package io.framewire.plugin.webrtc.cc;

/**
 * The classic loss-based ceiling (draft-ietf-rmcat-gcc-02 section 6, libwebrtc's
 * {@code SendSideBandwidthEstimation}). It starts at the maximum, so that without loss only the
 * delay-based rate limits the target, and reacts to each loss sample:
 *
 * <ul>
 *   <li>loss below {@value #LOW_LOSS}: grow by {@value #INCREASE_PER_SECOND} per second (up to
 *       the maximum);
 *   <li>between that and {@value #HIGH_LOSS}: hold (random loss on the path, not congestion);
 *   <li>above: rate = min(ceiling, current target) x (1 - 0.5 x loss), at most once per
 *       {@value #DECREASE_INTERVAL_MICROS} µs + RTT, the time for the cut to show in the loss.
 * </ul>
 */
final class LossBasedControl {

    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    static final double INCREASE_PER_SECOND = 1.08;
    static final long DECREASE_INTERVAL_MICROS = 300_000;

    private final long minBps;
    private final long maxBps;
    private double bps;
    private long lastUpdate = Long.MIN_VALUE;
    private long lastDecrease = Long.MIN_VALUE;

    LossBasedControl(CongestionSettings settings) {
        this.minBps = settings.minBps();
        this.maxBps = settings.maxBps();
        this.bps = settings.maxBps();
    }

    long bps() {
        return (long) bps;
    }

    /**
     * One loss sample.
     *
     * @param lossFraction lost / expected, 0..1
     * @param targetBps    the target now (a cut starts from it when it is below the ceiling)
     * @param rttMicros    the round-trip time
     * @param nowMicros    now, sender's clock
     */
    void onLoss(double lossFraction, long targetBps, long rttMicros, long nowMicros) {
        double seconds = lastUpdate == Long.MIN_VALUE ? 0 : Math.min(nowMicros - lastUpdate, 1_000_000) / 1e6;
        lastUpdate = nowMicros;
        if (lossFraction < LOW_LOSS) {
            bps = bps * Math.pow(INCREASE_PER_SECOND, seconds) + 1000 * seconds;
        } else if (lossFraction > HIGH_LOSS) {
            if (lastDecrease == Long.MIN_VALUE || nowMicros - lastDecrease >= DECREASE_INTERVAL_MICROS + rttMicros) {
                bps = Math.min(bps, targetBps) * (1 - 0.5 * lossFraction);
                lastDecrease = nowMicros;
            }
        }
        bps = Math.max(minBps, Math.min(maxBps, bps));
    }

    /**
     * Lowers the ceiling to {@code ceilingBps} (never raises it), as a loss decrease: it counts
     * towards the decrease interval and is skipped within it.
     */
    void capTo(long ceilingBps, long rttMicros, long nowMicros) {
        if (lastDecrease != Long.MIN_VALUE && nowMicros - lastDecrease < DECREASE_INTERVAL_MICROS + rttMicros) {
            return;
        }
        if (ceilingBps < bps) {
            bps = Math.max(minBps, ceilingBps);
            lastDecrease = nowMicros;
        }
    }

    /** A probe measured {@code measuredBps}: the path carries that much, so the ceiling is at least that. */
    void raiseTo(long measuredBps) {
        bps = Math.max(bps, Math.min(maxBps, measuredBps));
    }
}
