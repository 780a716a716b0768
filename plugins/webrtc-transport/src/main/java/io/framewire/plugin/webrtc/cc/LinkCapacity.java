package io.framewire.plugin.webrtc.cc;

/**
 * Where the link's capacity probably is: an exponential average of the acknowledged bitrate at
 * each overuse, with its variance (libwebrtc's {@code LinkCapacityEstimator}, in kbit/s as there).
 * Near it (mean +- 3 standard deviations) the rate creeps up additively; far from it, or when the
 * throughput leaves the band, the estimate is dropped and the rate grows multiplicatively again.
 */
final class LinkCapacity {

    static final double ALPHA = 0.05;
    static final double MIN_DEVIATION = 0.4;
    static final double MAX_DEVIATION = 2.5;

    private double estimateKbps = -1;
    private double deviationKbps = MIN_DEVIATION;

    boolean hasEstimate() {
        return estimateKbps >= 0;
    }

    /** @return the estimate in bit/s, -1 if none */
    long bps() {
        return hasEstimate() ? (long) (estimateKbps * 1000) : -1;
    }

    /** @return mean + 3 standard deviations in bit/s (infinite without an estimate) */
    double upperBps() {
        return hasEstimate() ? (estimateKbps + 3 * spreadKbps()) * 1000 : Double.POSITIVE_INFINITY;
    }

    /** @return mean - 3 standard deviations in bit/s (0 without an estimate) */
    double lowerBps() {
        return hasEstimate() ? Math.max(0, estimateKbps - 3 * spreadKbps()) * 1000 : 0;
    }

    /** The acknowledged bitrate at an overuse: a sample of the capacity. */
    void onOveruse(long ackedBps) {
        double sample = ackedBps / 1000.0;
        estimateKbps = hasEstimate() ? (1 - ALPHA) * estimateKbps + ALPHA * sample : sample;
        double error = estimateKbps - sample;
        double norm = Math.max(estimateKbps, 1.0);
        deviationKbps = (1 - ALPHA) * deviationKbps + ALPHA * error * error / norm;
        deviationKbps = Math.max(MIN_DEVIATION, Math.min(MAX_DEVIATION, deviationKbps));
    }

    void reset() {
        estimateKbps = -1;
    }

    private double spreadKbps() {
        return Math.sqrt(deviationKbps * estimateKbps);
    }
}
