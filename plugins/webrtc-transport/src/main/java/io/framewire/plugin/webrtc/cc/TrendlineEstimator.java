package io.framewire.plugin.webrtc.cc;

import java.util.ArrayDeque;

/**
 * Estimates whether the bottleneck queue grows (libwebrtc's {@code TrendlineEstimator}): the
 * one-way delay variation of each group (arrival delta minus send delta) is accumulated, smoothed
 * exponentially ({@value #SMOOTHING}), and a least-squares line is fitted through the last
 * {@value #WINDOW} (arrival time, smoothed delay) points. Its slope, times min(deltas seen, 60) and
 * the threshold gain {@value #THRESHOLD_GAIN}, goes to the {@link OveruseDetector}. A slope of 0.1
 * means the queue grows by 100 µs per ms: we send about 10 % above capacity.
 */
final class TrendlineEstimator {

    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double THRESHOLD_GAIN = 4.0;
    static final int MAX_DELTA_COUNT = 60;
    /**
     * libwebrtc waits for a full window (about 0.7 s of 30 fps frames) before the first fit; we fit
     * from this many points on, so a start far above capacity is caught about 0.5 s sooner. The
     * min(deltas, 60) factor already damps these early, noisier slopes.
     */
    static final int MIN_POINTS = 5;

    private final ArrayDeque<double[]> points = new ArrayDeque<>(WINDOW + 1);
    private final OveruseDetector detector = new OveruseDetector();
    private long firstArrival = Long.MIN_VALUE;
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private int deltaCount;
    private double trend;

    /** Feeds the deltas between two groups; returns the detector's state. */
    DelayState update(InterArrival.Deltas deltas) {
        double delayDeltaMs = (deltas.arrivalDeltaMicros() - deltas.sendDeltaMicros()) / 1000.0;
        deltaCount = Math.min(deltaCount + 1, 1000);
        if (firstArrival == Long.MIN_VALUE) {
            firstArrival = deltas.arrivalMicros();
        }
        accumulatedDelayMs += delayDeltaMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
        points.addLast(new double[] {(deltas.arrivalMicros() - firstArrival) / 1000.0, smoothedDelayMs});
        if (points.size() > WINDOW) {
            points.removeFirst();
        }
        if (points.size() >= MIN_POINTS) {
            trend = slope(trend);
        }
        if (deltaCount < 2) {
            return detector.state();
        }
        double modified = Math.min(deltaCount, MAX_DELTA_COUNT) * trend * THRESHOLD_GAIN;
        return detector.detect(modified, trend, deltas.sendDeltaMicros(), deltas.arrivalMicros());
    }

    /** Starts over (the arrival clock jumped). */
    void reset() {
        points.clear();
        firstArrival = Long.MIN_VALUE;
        accumulatedDelayMs = 0;
        smoothedDelayMs = 0;
        deltaCount = 0;
        trend = 0;
    }

    DelayState state() {
        return detector.state();
    }

    double trend() {
        return trend;
    }

    double threshold() {
        return detector.threshold();
    }

    /** Least-squares slope of the points; {@code fallback} when all x are equal. */
    private double slope(double fallback) {
        double sumX = 0;
        double sumY = 0;
        for (double[] p : points) {
            sumX += p[0];
            sumY += p[1];
        }
        double meanX = sumX / points.size();
        double meanY = sumY / points.size();
        double numerator = 0;
        double denominator = 0;
        for (double[] p : points) {
            double dx = p[0] - meanX;
            numerator += dx * (p[1] - meanY);
            denominator += dx * dx;
        }
        return denominator == 0 ? fallback : numerator / denominator;
    }
}
