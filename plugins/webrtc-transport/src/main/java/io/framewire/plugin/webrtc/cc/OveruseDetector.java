package io.framewire.plugin.webrtc.cc;

/**
 * Compares the (gain-scaled) delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02
 * section 5.4, libwebrtc's {@code TrendlineEstimator::Detect}).
 *
 * <p>Overuse is declared only once the trend has stayed above the threshold for more than
 * {@value #OVERUSE_MICROS} µs over at least two groups and is not falling, so that one late group
 * does not cut the rate. The threshold follows |trend|: upwards slowly ({@value #K_UP}/ms) and
 * downwards fast ({@value #K_DOWN}/ms), clamped to [6, 600] ms; a sample more than 15 ms above the
 * threshold does not move it (a sudden spike should trigger, not desensitize). That adaptation keeps
 * GCC from starving next to loss-based TCP flows, which keep the queue full.
 */
final class OveruseDetector {

    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double INITIAL_THRESHOLD = 12.5;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    static final double MAX_ADAPT_OFFSET = 15;
    static final long OVERUSE_MICROS = 10_000;
    static final long MAX_ADAPT_STEP_MICROS = 100_000;

    private double threshold = INITIAL_THRESHOLD;
    private long lastThresholdUpdate = Long.MIN_VALUE;
    private long overuseMicros = -1;
    private int overuseCount;
    private double previousTrend;
    private DelayState state = DelayState.NORMAL;

    /**
     * One detection step.
     *
     * @param modifiedTrend   trend x number of deltas (at most 60) x threshold gain, in ms
     * @param trend           the raw trend (slope), to see whether it still increases
     * @param sendDeltaMicros send time between the last two groups
     * @param nowMicros       arrival time of the group (any monotonic clock)
     * @return the new state
     */
    DelayState detect(double modifiedTrend, double trend, long sendDeltaMicros, long nowMicros) {
        if (modifiedTrend > threshold) {
            overuseMicros = overuseMicros < 0 ? sendDeltaMicros / 2 : overuseMicros + sendDeltaMicros;
            overuseCount++;
            if (overuseMicros > OVERUSE_MICROS && overuseCount > 1 && trend >= previousTrend) {
                overuseMicros = 0;
                overuseCount = 0;
                state = DelayState.OVERUSING;
            }
        } else if (modifiedTrend < -threshold) {
            overuseMicros = -1;
            overuseCount = 0;
            state = DelayState.UNDERUSING;
        } else {
            overuseMicros = -1;
            overuseCount = 0;
            state = DelayState.NORMAL;
        }
        previousTrend = trend;
        adaptThreshold(modifiedTrend, nowMicros);
        return state;
    }

    DelayState state() {
        return state;
    }

    double threshold() {
        return threshold;
    }

    private void adaptThreshold(double modifiedTrend, long nowMicros) {
        if (lastThresholdUpdate == Long.MIN_VALUE) {
            lastThresholdUpdate = nowMicros;
        }
        double magnitude = Math.abs(modifiedTrend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET) {
            lastThresholdUpdate = nowMicros;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        long stepMicros = Math.max(0, Math.min(nowMicros - lastThresholdUpdate, MAX_ADAPT_STEP_MICROS));
        threshold += k * (magnitude - threshold) * (stepMicros / 1000.0);
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastThresholdUpdate = nowMicros;
    }
}
