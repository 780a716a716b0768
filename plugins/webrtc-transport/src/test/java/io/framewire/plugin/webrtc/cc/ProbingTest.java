package io.framewire.plugin.webrtc.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ProbeBitrateEstimator} and {@link ProbeController} on hand-made trains and estimates. */
class ProbingTest {

    static final long MS = 1000;

    /**
     * Feeds a train of {@code packets} packets of {@code size} bytes sent {@code sendGapMicros} apart
     * and arriving {@code arrivalGapMicros} apart.
     */
    static ProbeBitrateEstimator.Measurement train(ProbeBitrateEstimator estimator, ProbeCluster c, int packets,
                                                   int size, long sendGapMicros, long arrivalGapMicros) {
        estimator.onClusterSent(c);
        for (int i = 0; i < packets; i++) {
            estimator.onReceived(c.id(), 1_000_000 + i * sendGapMicros, 9_000_000 + i * arrivalGapMicros, size);
        }
        return estimator.takeMeasurement();
    }

    @Test
    void trainThatArrivesAsSentMeasuresTheSendRateAndIsNotSaturated() {
        // 10 x 1000 bytes, 1 ms apart: 8 Mbit/s sent; arriving 1 ms apart too
        ProbeBitrateEstimator.Measurement m = train(new ProbeBitrateEstimator(), new ProbeCluster(1, 8_000_000, 5, 8000),
                10, 1000, MS, MS);
        assertNotNull(m);
        assertEquals(8_000_000, m.bps(), 1000);
        assertFalse(m.saturated());
        assertEquals(1, m.cluster());
    }

    @Test
    void trainSpreadByTheBottleneckIsSaturatedAndMeasuresNinetyFivePercentOfItsRate() {
        // sent at 8 Mbit/s, arriving 4 ms apart: the path carries 2 Mbit/s
        ProbeBitrateEstimator.Measurement m = train(new ProbeBitrateEstimator(), new ProbeCluster(2, 8_000_000, 5, 8000),
                10, 1000, MS, 4 * MS);
        assertNotNull(m);
        assertTrue(m.saturated());
        assertEquals(0.95 * 2_000_000, m.bps(), 1000);
    }

    @Test
    void tooFewPacketsOrBytesOrBunchedArrivalsAreNoMeasurement() {
        ProbeCluster c = new ProbeCluster(3, 8_000_000, 5, 15_000);
        // 3 of at least 5 packets: below 80 %
        assertNull(train(new ProbeBitrateEstimator(), new ProbeCluster(4, 8_000_000, 5, 1000), 3, 1000, MS, MS));
        // 10 000 of at least 15 000 bytes: below 80 %
        assertNull(train(new ProbeBitrateEstimator(), c, 10, 1000, MS, MS));
        // arriving 3 x faster than sent: bunched by the network, not a rate
        assertNull(train(new ProbeBitrateEstimator(), new ProbeCluster(5, 8_000_000, 5, 8000), 10, 1000, 3 * MS, MS));
        // an unknown cluster
        ProbeBitrateEstimator estimator = new ProbeBitrateEstimator();
        estimator.onReceived(99, 0, 0, 1000);
        assertNull(estimator.takeMeasurement());
    }

    static ProbeBitrateEstimator.Measurement carried(long bps) {
        return new ProbeBitrateEstimator.Measurement(bps, 1, false);
    }

    static ProbeBitrateEstimator.Measurement saturated(long bps) {
        return new ProbeBitrateEstimator.Measurement(bps, 1, true);
    }

    static List<Long> rates(List<ProbeCluster> clusters) {
        return clusters.stream().map(ProbeCluster::bps).toList();
    }

    static final long NO_CEILING = Long.MAX_VALUE;

    @Test
    void controllerProbesAtStartThenFurtherWhileThePathCarriesThem() {
        ProbeController controller = new ProbeController(new CongestionSettings(100_000, 1_000_000, 20_000_000));
        List<ProbeCluster> start = controller.due(1_000_000, NO_CEILING, 0);
        assertEquals(List.of(3_000_000L, 6_000_000L), rates(start));
        assertTrue(start.get(0).minBytes() >= 3_000_000 * 15 / 8000, "15 ms of the rate");
        assertTrue(start.get(0).id() > 0 && start.get(1).id() > start.get(0).id(), "distinct positive ids");
        assertTrue(controller.due(1_000_000, NO_CEILING, 100 * MS).isEmpty(), "nothing more until a measurement");
        // 3 Mbit/s carried: below 70 % of the 6 awaited, no further probe
        assertTrue(controller.onMeasurement(carried(3_000_000), NO_CEILING, 3_000_000, 150 * MS).isEmpty());
        // 6 carried: probe 12
        assertEquals(List.of(12_000_000L), rates(controller.onMeasurement(carried(6_000_000), NO_CEILING, 6_000_000, 200 * MS)));
        // 12 carried 11.5: probe 23, capped at the maximum 20
        assertEquals(List.of(20_000_000L), rates(controller.onMeasurement(carried(11_500_000), NO_CEILING, 11_500_000, 300 * MS)));
        // 20 saturated: the end of it
        assertTrue(controller.onMeasurement(saturated(9_500_000), NO_CEILING, 11_500_000, 400 * MS).isEmpty());
    }

    @Test
    void controllerProbesNoHigherThanTheCeiling() {
        ProbeController controller = new ProbeController(new CongestionSettings(100_000, 1_000_000, 50_000_000));
        assertEquals(List.of(3_000_000L, 4_000_000L), rates(controller.due(1_000_000, 4_000_000, 0)));
        // an estimate of 3.5 Mbit/s with a ceiling of 4: nothing to gain
        assertTrue(controller.due(3_500_000, 4_000_000, 10 * ProbeController.CHECK_AFTER_MICROS).isEmpty());
    }

    @Test
    void capacityCheckAfterQuietSecondsAtOneAndAHalfTimesTheEstimateBacksOffWhileThePathIsFull() {
        ProbeController controller = new ProbeController(new CongestionSettings(100_000, 1_000_000, 20_000_000));
        controller.due(1_000_000, NO_CEILING, 0); // the start probes
        long check = ProbeController.CHECK_AFTER_MICROS;
        assertTrue(controller.due(2_000_000, NO_CEILING, check - MS).isEmpty(), "too soon after the start probes");
        assertEquals(List.of(3_000_000L), rates(controller.due(2_000_000, NO_CEILING, check)));
        // the path could not carry 3: the next check waits twice as long
        controller.onMeasurement(saturated(2_100_000), NO_CEILING, 2_000_000, check + 100 * MS);
        assertTrue(controller.due(2_000_000, NO_CEILING, 2 * check).isEmpty(), "interval doubled");
        assertEquals(1, controller.due(2_000_000, NO_CEILING, 3 * check).size(), "after 2 x the interval");
        controller.onMeasurement(saturated(2_100_000), NO_CEILING, 2_000_000, 3 * check + 100 * MS);
        controller.onMeasurement(saturated(2_100_000), NO_CEILING, 2_000_000, 3 * check + 200 * MS);
        long max = ProbeController.MAX_CHECK_INTERVAL_MICROS;
        assertTrue(controller.due(2_000_000, NO_CEILING, 3 * check + max - MS).isEmpty(), "interval at its maximum");
        assertEquals(1, controller.due(2_000_000, NO_CEILING, 3 * check + max).size());
        long t = 3 * check + max;
        // that check found room: the interval is back at its start
        controller.onMeasurement(carried(2_500_000), NO_CEILING, 2_000_000, t + 100 * MS);
        // a cut holds the next check until CHECK_AFTER after it
        controller.onDecrease(t + check - 500 * MS);
        assertTrue(controller.due(2_000_000, NO_CEILING, t + check).isEmpty(), "a cut 0.5 s ago");
        assertEquals(1, controller.due(2_000_000, NO_CEILING, t + 2 * check - 500 * MS).size(), "3 s after the cut");
    }
}
