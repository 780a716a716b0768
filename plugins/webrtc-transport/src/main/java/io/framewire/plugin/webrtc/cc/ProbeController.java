package io.framewire.plugin.webrtc.cc;

import java.util.ArrayList;
import java.util.List;

/**
 * When to probe, and how fast (after libwebrtc's {@code ProbeController}, plus a capacity check of
 * our own):
 *
 * <ul>
 *   <li><b>Start</b>: two clusters at {@value #INITIAL_FIRST} x and {@value #INITIAL_SECOND} x the
 *       start rate, so the estimate finds a fast path within a round trip instead of climbing to it.
 *   <li><b>Further</b>: when a probe the path carried in full measured at least
 *       {@value #FURTHER_SHARE} of the highest rate awaited, the path may carry more: probe again at
 *       {@value #FURTHER_FACTOR} x the measurement.
 *   <li><b>Capacity check</b>: when the estimate has not been cut for {@value #CHECK_AFTER_MICROS} µs
 *       and no probe went out for the check interval, probe at {@value #FURTHER_FACTOR} x the
 *       estimate. Near a learnt capacity the delay-based rate grows additively (tens of kbit/s per
 *       second), so a path that got faster (a congested link freed) would take long to be used;
 *       libwebrtc probes periodically only while the encoder is application-limited. A check the
 *       path could not carry (saturated) costs a {@value ProbeCluster#MIN_PROBE_MILLIS} ms train at
 *       twice the rate, a few ms of queue: the interval then doubles, from
 *       {@value #CHECK_AFTER_MICROS} up to {@value #MAX_CHECK_INTERVAL_MICROS} µs, and a check that
 *       found room sets it back.
 * </ul>
 *
 * <p>No probe goes above the ceiling (the most the sender could use: the encoder's configured rate;
 * and the maximum), or below {@value #MIN_GAIN} x the estimate (it would tell nothing new).
 * Not thread-safe: the {@link BandwidthEstimator} calls it under its lock.
 */
final class ProbeController {

    static final double INITIAL_FIRST = 3;
    static final double INITIAL_SECOND = 6;
    static final double FURTHER_SHARE = 0.7;
    static final double FURTHER_FACTOR = 2;
    static final double CHECK_FACTOR = 1.5;
    static final long CHECK_AFTER_MICROS = 3_000_000;
    static final long MAX_CHECK_INTERVAL_MICROS = 8_000_000;
    /** A probe above this share of the estimate only is worth sending. */
    static final double MIN_GAIN = 1.2;

    private final CongestionSettings settings;
    private int nextId = 1;
    private boolean started;
    private long awaitedBps = -1; // the highest rate of the clusters whose measurement may continue probing
    private long lastProbe = Long.MIN_VALUE;
    private long lastDecrease = Long.MIN_VALUE;
    private long checkInterval = CHECK_AFTER_MICROS;

    ProbeController(CongestionSettings settings) {
        this.settings = settings;
    }

    /** The estimate was cut (delay or loss): the capacity check waits, further probing stops. */
    void onDecrease(long nowMicros) {
        lastDecrease = nowMicros;
        awaitedBps = -1;
    }

    /**
     * Probes due now.
     *
     * @param estimateBps the target bitrate now
     * @param ceilingBps  the most the sender could use
     * @param nowMicros   now, sender's clock
     */
    List<ProbeCluster> due(long estimateBps, long ceilingBps, long nowMicros) {
        List<ProbeCluster> out = new ArrayList<>(2);
        if (!started) {
            started = true;
            add(out, (long) (INITIAL_FIRST * settings.startBps()), estimateBps, ceilingBps, nowMicros);
            add(out, (long) (INITIAL_SECOND * settings.startBps()), estimateBps, ceilingBps, nowMicros);
        } else if (lastProbe != Long.MIN_VALUE && nowMicros - lastProbe < checkInterval) {
            return out;
        } else if (lastDecrease == Long.MIN_VALUE || nowMicros - lastDecrease >= CHECK_AFTER_MICROS) {
            add(out, (long) (CHECK_FACTOR * estimateBps), estimateBps, ceilingBps, nowMicros);
        }
        return out;
    }

    /**
     * A probe's measurement arrived.
     *
     * @return the further probe it calls for, if any
     */
    List<ProbeCluster> onMeasurement(ProbeBitrateEstimator.Measurement m, long ceilingBps, long estimateBps,
                                     long nowMicros) {
        List<ProbeCluster> out = new ArrayList<>(1);
        if (m.saturated()) {
            checkInterval = Math.min(2 * checkInterval, MAX_CHECK_INTERVAL_MICROS);
            awaitedBps = -1;
            return out;
        }
        checkInterval = CHECK_AFTER_MICROS;
        if (awaitedBps > 0 && m.bps() >= FURTHER_SHARE * awaitedBps) {
            add(out, (long) (FURTHER_FACTOR * m.bps()), Math.max(estimateBps, m.bps()), ceilingBps, nowMicros);
        }
        return out;
    }

    private void add(List<ProbeCluster> out, long bps, long estimateBps, long ceilingBps, long nowMicros) {
        long rate = Math.min(bps, Math.min(ceilingBps, settings.maxBps()));
        if (rate < MIN_GAIN * estimateBps) {
            return;
        }
        out.add(ProbeCluster.of(nextId++, rate));
        awaitedBps = out.size() > 1 ? Math.max(awaitedBps, rate) : rate;
        lastProbe = nowMicros;
    }
}
