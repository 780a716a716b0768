package io.framewire.plugin.webrtc;

/**
 * Makes up for an encoder that produces less than the bitrate it is asked for (libx264 in CBR with
 * a one-frame VBV delivers about 90 % of it on busy content), after libwebrtc's
 * {@code EncoderBitrateAdjuster}: the transport asks for {@code wanted x factor}, where the factor
 * follows {@code wanted / produced}, smoothed and bounded to [1, {@value #MAX_FACTOR}]. Without it
 * the stream would fill only about 90 % of what the path carries, and the estimate, built from what
 * arrives, would settle lower still. An encoder that overshoots is not pushed below what is wanted
 * (the pacer and the estimator deal with overshoot).
 *
 * <p>Not thread-safe: one caller (the transport's rate tick).
 */
final class EncoderRateAdjuster {
    /** The most the encoder is asked above what is wanted. */
    static final double MAX_FACTOR = 1.15;
    /** Asked more than this many times what it produces, the encoder is not following the request. */
    static final double NOT_LIMITED_RATIO = 1.5;
    /** Share of the new ratio taken per update (updates every 100 ms: about a second to follow). */
    static final double SMOOTHING = 0.1;

    private double factor = 1.0;

    /**
     * One update.
     *
     * @param askedBps    what the encoder is asked for now (wanted x factor), bit/s
     * @param producedBps what it produced over the last second, bit/s
     * @return the factor to apply to the next request
     */
    double update(long askedBps, long producedBps) {
        if (askedBps > 0 && producedBps > 0) {
            double ratio = (double) askedBps / producedBps; // > 1: the encoder undershoots
            // far below the request, the encoder is not limited by it (simple content, or capped at
            // the configured bitrate): nothing to make up for
            double target = ratio > NOT_LIMITED_RATIO ? 1.0 : Math.max(1.0, Math.min(MAX_FACTOR, ratio));
            factor += SMOOTHING * (target - factor);
        }
        return factor;
    }

    /** @return the factor now */
    double factor() {
        return factor;
    }

    /** Back to 1 (no estimate any more, or a new session). */
    void reset() {
        factor = 1.0;
    }
}
