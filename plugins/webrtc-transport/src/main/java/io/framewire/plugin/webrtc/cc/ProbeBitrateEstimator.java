package io.framewire.plugin.webrtc.cc;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What a probe measured (libwebrtc's {@code ProbeBitrateEstimator}): per cluster, the send rate
 * over the train's send times and the receive rate over its arrival times. When the receive rate is
 * well below the send rate the path is saturated, and a little less than the receive rate is what it
 * carries; otherwise the path carried at least the lower of the two.
 *
 * <ul>
 *   <li>A cluster counts once at least {@value #MIN_RECEIVED_SHARE} of its minimum packets and
 *       bytes were reported received.
 *   <li>send rate = bytes without the last packet / (last send - first send); receive rate = bytes
 *       without the first packet / (last arrival - first arrival): each interval spans one packet less
 *       than the train.
 *   <li>Either interval above {@value #MAX_INTERVAL_MICROS} µs or not positive, or a receive rate
 *       above {@value #MAX_VALID_RATIO} x the send rate (arrivals bunched by the network), is no
 *       measurement.
 *   <li>result = min(send, receive); when receive &lt; {@value #SATURATED_RATIO} x send: result =
 *       {@value #TARGET_UTILIZATION} x receive.
 * </ul>
 *
 * <p>Not thread-safe: the {@link BandwidthEstimator} calls it under its lock.
 */
final class ProbeBitrateEstimator {

    static final double MIN_RECEIVED_SHARE = 0.8;
    static final long MAX_INTERVAL_MICROS = 1_000_000;
    static final double MAX_VALID_RATIO = 2.0;
    static final double SATURATED_RATIO = 0.9;
    static final double TARGET_UTILIZATION = 0.95;
    /** Clusters whose last packet arrived this long before the latest are forgotten. */
    static final long MAX_CLUSTER_AGE_MICROS = 1_000_000;

    private static final class Train {
        final ProbeCluster cluster;
        int packets;
        long bytes;
        long firstSend = Long.MAX_VALUE;
        long lastSend = Long.MIN_VALUE;
        int lastSendSize;
        long firstArrival = Long.MAX_VALUE;
        long lastArrival = Long.MIN_VALUE;
        int firstArrivalSize;

        Train(ProbeCluster cluster) {
            this.cluster = cluster;
        }
    }

    private final Map<Integer, ProbeCluster> sent = new HashMap<>();
    private final Map<Integer, Train> trains = new HashMap<>();
    private long latestArrival = Long.MIN_VALUE;
    private Measurement last;

    /**
     * What a probe measured.
     *
     * @param bps       the rate, bit/s
     * @param cluster   the probe's id
     * @param saturated whether the path was the limit (receive rate well below the send rate); when
     *                  not, the path carried the probe's rate and {@code bps} is a lower bound of what
     *                  it carries
     */
    record Measurement(long bps, int cluster, boolean saturated) {
    }

    /** A cluster is being sent; its packets' results will name its id. */
    void onClusterSent(ProbeCluster cluster) {
        sent.put(cluster.id(), cluster);
    }

    /**
     * A received packet of cluster {@code clusterId} (results of other packets, and lost ones, are
     * not passed).
     */
    void onReceived(int clusterId, long sendMicros, long arrivalMicros, int sizeBytes) {
        ProbeCluster cluster = sent.get(clusterId);
        if (cluster == null) {
            return;
        }
        latestArrival = Math.max(latestArrival, arrivalMicros);
        forgetOld();
        Train t = trains.computeIfAbsent(clusterId, id -> new Train(cluster));
        t.packets++;
        t.bytes += sizeBytes;
        if (sendMicros < t.firstSend) {
            t.firstSend = sendMicros;
        }
        if (sendMicros > t.lastSend) {
            t.lastSend = sendMicros;
            t.lastSendSize = sizeBytes;
        }
        if (arrivalMicros < t.firstArrival) {
            t.firstArrival = arrivalMicros;
            t.firstArrivalSize = sizeBytes;
        }
        t.lastArrival = Math.max(t.lastArrival, arrivalMicros);
        Measurement m = measure(t);
        if (m != null) {
            last = m;
        }
    }

    /** @return the latest measurement since the previous call, or null when no cluster gave a new one */
    Measurement takeMeasurement() {
        Measurement m = last;
        last = null;
        return m;
    }

    /** @return what the train measured, or null while it is not (or cannot be) a measurement */
    private static Measurement measure(Train t) {
        ProbeCluster c = t.cluster;
        if (t.packets < MIN_RECEIVED_SHARE * c.minPackets() || t.bytes < MIN_RECEIVED_SHARE * c.minBytes()) {
            return null;
        }
        long sendInterval = t.lastSend - t.firstSend;
        long receiveInterval = t.lastArrival - t.firstArrival;
        if (sendInterval <= 0 || sendInterval > MAX_INTERVAL_MICROS
                || receiveInterval <= 0 || receiveInterval > MAX_INTERVAL_MICROS) {
            return null;
        }
        double sendBps = (t.bytes - t.lastSendSize) * 8e6 / sendInterval;
        double receiveBps = (t.bytes - t.firstArrivalSize) * 8e6 / receiveInterval;
        if (receiveBps > MAX_VALID_RATIO * sendBps) {
            return null;
        }
        boolean saturated = receiveBps < SATURATED_RATIO * sendBps;
        double result = saturated ? TARGET_UTILIZATION * receiveBps : Math.min(sendBps, receiveBps);
        return new Measurement((long) result, t.cluster.id(), saturated);
    }

    private void forgetOld() {
        for (Iterator<Train> it = trains.values().iterator(); it.hasNext(); ) {
            Train t = it.next();
            if (t.lastArrival < latestArrival - MAX_CLUSTER_AGE_MICROS) {
                it.remove();
                sent.remove(t.cluster.id());
            }
        }
        if (sent.size() > 64) {
            sent.keySet().removeIf(id -> !trains.containsKey(id)); // sent but never heard of
        }
    }
}
