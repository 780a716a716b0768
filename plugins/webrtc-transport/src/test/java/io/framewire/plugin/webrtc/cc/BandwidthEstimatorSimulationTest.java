package io.framewire.plugin.webrtc.cc;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The estimator against {@link LinkSimulation}'s synthetic bottleneck; figures go to stdout. */
class BandwidthEstimatorSimulationTest {

    private static final long S = 1_000_000;

    @Test
    void settlesOnThreeMegabitsWithOnePercentLossFromTwoMegabits() {
        settles(2_000_000);
    }

    @Test
    void settlesOnThreeMegabitsWithOnePercentLossFromEightMegabits() {
        settles(8_000_000);
    }

    private void settles(long start) {
        long capacity = 3_000_000;
        LinkSimulation sim = new LinkSimulation(new CongestionSettings(100_000, start, 8_000_000), 42);
        sim.lossRate = 0.01;
        sim.runUntil(40 * S);
        // GCC finds the capacity by overshooting it until the queue grows: the sawtooth peaks at
        // 103-106 % before the 0.85 x cut, and up to 112 % when the throughput left a capacity band
        // that a probe had just centred (the increase is multiplicative again until the overuse):
        // single samples may exceed 100 % (up to 115 % allowed), the mean after 10 s may not
        long settled = sim.settledFrom((long) (0.7 * capacity), (long) (1.15 * capacity), 40 * S);
        long peak = 0;
        for (LinkSimulation.Sample s : sim.samples) {
            if (s.timeMicros() >= settled) {
                peak = Math.max(peak, s.targetBps());
            }
        }
        long sum = 0;
        int n = 0;
        long maxQueue = 0;
        for (LinkSimulation.Sample s : sim.samples) {
            if (s.timeMicros() >= 10 * S) {
                sum += s.targetBps();
                n++;
                maxQueue = Math.max(maxQueue, s.queueDelayMicros());
            }
        }
        System.out.printf("3M/1%% from %.1fM: settled in [70%%,115%%] from %.1f s (peak after it %.2f); mean target 10-40 s %.2f Mbit/s;"
                + " max queue delay after 10 s %d ms%n  %s%n", start / 1e6, settled / 1e6, peak / 1e6, sum / (double) n / 1e6,
                maxQueue / 1000, sim.trace(0, 40 * S));
        StringBuilder outside = new StringBuilder();
        for (LinkSimulation.Sample s : sim.samples) {
            if (s.timeMicros() >= 10 * S && (s.targetBps() < 0.7 * capacity || s.targetBps() > 1.1 * capacity)) {
                outside.append(String.format(" %.1fs:%.2f", s.timeMicros() / 1e6, s.targetBps() / 1e6));
            }
        }
        assertTrue(settled >= 0 && settled <= 10 * S, "settled from " + settled + "; outside after 10 s:" + outside);
        assertTrue(maxQueue < 300_000, "queue delay bounded: " + maxQueue);
        double mean = sum / (double) n;
        assertTrue(mean >= 0.7 * capacity && mean <= capacity, "mean target " + mean);
    }

    @Test
    void capacityDropAndRise() {
        LinkSimulation sim = new LinkSimulation(new CongestionSettings(100_000, 2_000_000, 8_000_000), 7);
        sim.capacityBps = t -> t < 30 * S ? 8_000_000 : t < 60 * S ? 1_500_000 : 8_000_000;
        sim.runUntil(90 * S);
        LinkSimulation.Sample before = sim.first(29 * S, s -> true);
        LinkSimulation.Sample below = sim.first(30 * S, s -> s.targetBps() < 1_500_000);
        LinkSimulation.Sample up = sim.first(60 * S, s -> s.targetBps() >= 6_400_000);
        System.out.printf("8M: target at 29 s %.2f Mbit/s; drop to 1.5M at 30 s: below 1.5M after %s s;"
                + " rise to 8M at 60 s: >= 6.4M after %s s%n  %s%n", before.targetBps() / 1e6,
                below == null ? "never" : String.format("%.1f", (below.timeMicros() - 30 * S) / 1e6),
                up == null ? "never" : String.format("%.1f", (up.timeMicros() - 60 * S) / 1e6),
                sim.trace(0, 90 * S));
        assertTrue(before.targetBps() >= 5_600_000, "near 8M before the drop");
        assertNotNull(below, "target never went below 1.5M");
        assertTrue(below.timeMicros() - 30 * S <= 2 * S, "below 1.5M only after " + below.timeMicros());
        assertNotNull(up, "target never recovered to 6.4M");
        // without probes the climb from the learnt 1.5M took about 13 s; on the full 1.5M path the
        // capacity check backs off to one per 8 s, and once one finds room further probes double
        assertTrue(up.timeMicros() - 60 * S <= 10 * S, "6.4M only after " + up.timeMicros());
    }

    @Test
    void heavyRandomLossLowersTheTarget() {
        LinkSimulation sim = new LinkSimulation(new CongestionSettings(100_000, 2_000_000, 8_000_000), 3);
        sim.capacityBps = t -> 8_000_000;
        sim.lossRate = 0.15;
        sim.runUntil(10 * S);
        long end = sim.estimator().targetBps();
        System.out.printf("15%% loss on 8M from 2M: target after 10 s %.2f Mbit/s, snapshot %s%n", end / 1e6,
                sim.estimator().snapshot());
        assertTrue(end < 1_000_000, "target " + end);
        assertTrue(sim.estimator().snapshot().lossFraction() > 0.05, "loss seen");
    }

    @Test
    void appLimitedSenderDoesNotInflateTheEstimate() {
        LinkSimulation sim = appLimited(false);
        long max = maxTargetAfter(sim, 10 * S);
        System.out.printf("app-limited 1M on 10M, no probes: max target after 10 s %.2f Mbit/s, acked %.2f%n", max / 1e6,
                sim.estimator().snapshot().ackedBps() / 1e6);
        assertTrue(max <= 1_700_000, "inflated to " + max);
        assertTrue(sim.estimator().targetBps() >= 1_000_000, "below what it sends");
    }

    @Test
    void probesLetAnAppLimitedSenderKnowThePathButNoMore() {
        LinkSimulation sim = appLimited(true);
        long max = maxTargetAfter(sim, 10 * S);
        System.out.printf("app-limited 1M on 10M, probes: max target after 10 s %.2f Mbit/s, padding %d kB%n", max / 1e6,
                sim.paddingBytesSent / 1000);
        assertTrue(max > 1_700_000, "probes did not raise the estimate: " + max);
        assertTrue(max <= 10_000_000, "above the path's 10M: " + max);
    }

    private static LinkSimulation appLimited(boolean probing) {
        LinkSimulation sim = new LinkSimulation(new CongestionSettings(100_000, 300_000, 20_000_000), 5);
        sim.capacityBps = t -> 10_000_000;
        sim.appRateBps = 1_000_000;
        sim.probing = probing;
        sim.runUntil(30 * S);
        return sim;
    }

    private static long maxTargetAfter(LinkSimulation sim, long from) {
        long max = 0;
        for (LinkSimulation.Sample s : sim.samples) {
            if (s.timeMicros() >= from) {
                max = Math.max(max, s.targetBps());
            }
        }
        return max;
    }
}
