package io.framewire.plugin.webrtc.cc;

/**
 * A bandwidth probe: a short train of packets sent at {@code bps}, whatever the encoder produces
 * (media first, padding for the rest). The feedback on it tells whether the path carries that rate
 * ({@link ProbeBitrateEstimator}).
 *
 * @param id         tags the cluster's packets in the send history; positive
 * @param bps        the rate to send the train at, bit/s
 * @param minPackets the train has at least this many packets...
 * @param minBytes   ...and at least this many bytes ({@value #MIN_PROBE_MILLIS} ms at {@code bps})
 */
public record ProbeCluster(int id, long bps, int minPackets, int minBytes) {

    /** A probe lasts at least this long (libwebrtc's minimum probe duration)... */
    static final int MIN_PROBE_MILLIS = 15;
    /** ...and has at least this many packets, so its first and last packet span a measurable interval. */
    static final int MIN_PROBE_PACKETS = 5;

    /** Checks the fields. */
    public ProbeCluster {
        if (id <= 0) {
            throw new IllegalArgumentException("probe cluster id " + id + " must be > 0");
        }
        if (bps <= 0) {
            throw new IllegalArgumentException("probe rate " + bps + " bit/s must be > 0");
        }
    }

    /** A cluster at {@code bps} of the minimum duration and packet count. */
    static ProbeCluster of(int id, long bps) {
        long bytes = bps * MIN_PROBE_MILLIS / 8_000;
        return new ProbeCluster(id, bps, MIN_PROBE_PACKETS, (int) Math.min(Integer.MAX_VALUE, bytes));
    }
}
