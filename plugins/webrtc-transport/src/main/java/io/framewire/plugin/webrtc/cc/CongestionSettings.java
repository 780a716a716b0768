package io.framewire.plugin.webrtc.cc;

/**
 * Bitrate bounds of a {@link BandwidthEstimator}.
 *
 * @param minBps   the estimate never goes below this, in bit/s
 * @param startBps the estimate before any feedback, in bit/s
 * @param maxBps   the estimate never goes above this, in bit/s
 */
public record CongestionSettings(long minBps, long startBps, long maxBps) {

    /** Validates {@code 0 < minBps <= startBps <= maxBps}; otherwise {@link IllegalArgumentException} naming field and value. */
    public CongestionSettings {
        if (minBps <= 0) {
            throw new IllegalArgumentException("minBps " + minBps + " must be > 0");
        }
        if (startBps < minBps) {
            throw new IllegalArgumentException("startBps " + startBps + " must be >= minBps " + minBps);
        }
        if (maxBps < startBps) {
            throw new IllegalArgumentException("maxBps " + maxBps + " must be >= startBps " + startBps);
        }
    }

    /** @return {@code bps} limited to [{@link #minBps}, {@link #maxBps}] */
    public long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
