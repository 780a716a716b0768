package io.framewire.plugin.webrtc.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The estimator's pieces on their own. */
class EstimatorPartsTest {

    private static TransportFeedback feedback(int base, long... arrivals) {
        java.util.ArrayList<TransportFeedback.PacketStatus> list = new java.util.ArrayList<>();
        for (int i = 0; i < arrivals.length; i++) {
            list.add(new TransportFeedback.PacketStatus((base + i) & 0xFFFF, arrivals[i] >= 0, arrivals[i]));
        }
        return new TransportFeedback(1, 2, base, 0, 0, list);
    }

    @Test
    void settingsAreValidated() {
        assertEquals("minBps 0 must be > 0",
                assertThrows(IllegalArgumentException.class, () -> new CongestionSettings(0, 1, 2)).getMessage());
        assertEquals("startBps 5 must be >= minBps 10",
                assertThrows(IllegalArgumentException.class, () -> new CongestionSettings(10, 5, 20)).getMessage());
        assertEquals("maxBps 15 must be >= startBps 20",
                assertThrows(IllegalArgumentException.class, () -> new CongestionSettings(10, 20, 15)).getMessage());
        assertEquals(10, new CongestionSettings(10, 10, 10).clamp(3));
    }

    @Test
    void historyUnwrapsAndIgnoresUnknownAndDuplicateReports() {
        SendTimeHistory history = new SendTimeHistory();
        for (int i = 0; i < 6; i++) {
            history.onSent((65_533 + i) & 0xFFFF, 1000 + i, 10_000L * i, 0);
        }
        List<SendTimeHistory.Result> r = history.onFeedback(feedback(65_534, 5000, -1, 7000, 8000));
        assertEquals(4, r.size());
        assertEquals(65_534, r.get(0).sequence());
        assertEquals(65_536, r.get(2).sequence(), "0 after 65535 unwraps to 65536");
        assertEquals(30_000, r.get(2).sendTimeMicros());
        assertEquals(1003, r.get(2).sizeBytes());
        assertTrue(!r.get(1).received() && r.get(1).firstReport());
        // again: the received ones are duplicates, the lost one is now received (not a first report)
        r = history.onFeedback(feedback(65_534, 5000, 6000, 7000, 8000, 9000, 9500));
        assertEquals(2, r.size(), "65535 late, 2 new; 3 never sent");
        assertEquals(65_535, r.get(0).sequence());
        assertTrue(r.get(0).received() && !r.get(0).firstReport());
        assertEquals(65_538, r.get(1).sequence());
    }

    @Test
    void historyForgetsPacketsOutsideItsRing() {
        SendTimeHistory history = new SendTimeHistory();
        for (int i = 0; i < SendTimeHistory.CAPACITY + 10; i++) {
            history.onSent(i & 0xFFFF, 100, i, 0);
        }
        assertEquals(List.of(), history.onFeedback(feedback(5, 1000)));
        assertEquals(1, history.onFeedback(feedback(SendTimeHistory.CAPACITY + 5, 1000)).size());
    }

    @Test
    void interArrivalGroupsPacketsSentWithinFiveMilliseconds() {
        InterArrival ia = new InterArrival();
        // group 1: sent 0..4 ms; group 2: sent 33..36 ms; group 3 starts at 66 ms
        assertNull(ia.add(0, 100_000, 0));
        assertNull(ia.add(4_000, 104_000, 0));
        assertNull(ia.add(33_000, 140_000, 0));
        assertNull(ia.add(36_000, 145_000, 0));
        InterArrival.Deltas d = ia.add(66_000, 170_000, 0);
        assertNotNull(d);
        assertEquals(32_000, d.sendDeltaMicros());
        assertEquals(41_000, d.arrivalDeltaMicros());
        // a packet sent before the current group is skipped
        assertNull(ia.add(10_000, 171_000, 0));
    }

    @Test
    void interArrivalStartsOverAfterAnArrivalClockJump() {
        InterArrival ia = new InterArrival();
        ia.add(0, 0, 0);
        ia.add(33_000, 33_000, 0);
        assertNotNull(ia.add(66_000, 66_000, 0));
        assertNotNull(ia.add(99_000, 10_000_000, 0), "completes the group before the jump");
        assertNull(ia.add(132_000, 10_033_000, 0), "the group after the jump is not compared");
        assertTrue(ia.wasReset());
        assertNull(ia.add(165_000, 10_066_000, 0));
        assertNotNull(ia.add(198_000, 10_099_000, 0), "grouping resumes after the reset");
    }

    @Test
    void detectorNeedsPersistentOveruseAndAdaptsItsThreshold() {
        OveruseDetector d = new OveruseDetector();
        assertEquals(DelayState.NORMAL, d.detect(20, 0.1, 5_000, 0), "one group above is not enough");
        assertEquals(DelayState.OVERUSING, d.detect(20, 0.1, 33_000, 33_000));
        assertEquals(DelayState.UNDERUSING, d.detect(-20, -0.1, 33_000, 66_000));
        OveruseDetector quiet = new OveruseDetector();
        for (int i = 0; i < 100; i++) {
            quiet.detect(0, 0, 33_000, 33_000L * i);
        }
        assertEquals(OveruseDetector.MIN_THRESHOLD, quiet.threshold(), 1e-9, "k_down pulls it to the floor");
        double before = quiet.threshold();
        quiet.detect(before + 5, 0.1, 33_000, 33_000L * 100);
        assertTrue(quiet.threshold() > before, "k_up raises it");
    }

    @Test
    void overuseCutsToEightyFivePercentOfAckedAndNeverLeavesBounds() {
        CongestionSettings settings = new CongestionSettings(500_000, 4_000_000, 5_000_000);
        AimdRateControl aimd = new AimdRateControl(settings);
        aimd.update(DelayState.NORMAL, 4_000_000, 0);
        assertEquals(3_395_000, aimd.update(DelayState.OVERUSING, 4_000_000, 100_000));
        long next = aimd.update(DelayState.NORMAL, 4_000_000, 200_000);
        assertTrue(next > 3_395_000 && next < 3_420_000, "additive increase near the new capacity estimate: " + next);
        assertEquals(500_000, aimd.update(DelayState.OVERUSING, 10_000, 500_000), "floor at min");
        long t = 600_000;
        for (int i = 0; i < 1000; i++, t += 100_000) {
            assertTrue(aimd.update(DelayState.NORMAL, 100_000_000, t) <= 5_000_000);
        }
        assertEquals(5_000_000, aimd.bps());
    }

    @Test
    void lossRules() {
        LossBasedControl loss = new LossBasedControl(new CongestionSettings(100_000, 1_000_000, 10_000_000));
        assertEquals(10_000_000, loss.bps(), "starts at the maximum");
        loss.onLoss(0.2, 2_000_000, 100_000, 0);
        assertEquals(1_800_000, loss.bps(), "min(ceiling, target) x (1 - 0.5 x 0.2)");
        loss.onLoss(0.2, 2_000_000, 100_000, 300_000);
        assertEquals(1_800_000, loss.bps(), "not again within 300 ms + RTT");
        loss.onLoss(0.05, 2_000_000, 100_000, 1_300_000);
        assertEquals(1_800_000, loss.bps(), "hold between 2 and 10 %");
        loss.onLoss(0.0, 2_000_000, 100_000, 2_300_000);
        assertEquals(1_800_000 * 1.08 + 1000, loss.bps(), 1.0, "+8 % per second below 2 %");
    }

    @Test
    void receiverReportLossCountsWithoutFeedback() {
        BandwidthEstimator e = new BandwidthEstimator(new CongestionSettings(100_000, 1_000_000, 10_000_000));
        e.onReceiverReport(64, 0); // 25 %
        BandwidthEstimator.Snapshot s = e.snapshot();
        assertEquals(0.25, s.lossFraction());
        assertEquals(875_000, s.lossBasedBps());
        assertEquals(875_000, e.targetBps());
        assertEquals("normal", s.delayState());
        assertEquals(-1, s.ackedBps());
    }

    @Test
    void recentDeliveryRateLooksAtTheLastArrivalsOnly() {
        AcknowledgedBitrate acked = new AcknowledgedBitrate();
        assertEquals(-1, acked.recentBps(10), "no history");
        // 300 ms at 8 Mbit/s (1000 bytes per ms), then 60 ms at 1.6 Mbit/s (1000 bytes per 5 ms)
        long t = 0;
        for (; t < 300_000; t += 1000) {
            acked.onReceived(t, 1000);
        }
        for (t = 304_000; t < 360_000; t += 5000) {
            acked.onReceived(t, 1000);
        }
        assertEquals(1_600_000, acked.recentBps(10), "the last 10 arrivals: 9000 bytes in 45 ms");
        assertTrue(acked.bps() > 5_000_000, "the 500 ms window still mostly the old rate: " + acked.bps());
        AcknowledgedBitrate few = new AcknowledgedBitrate();
        for (int i = 0; i < 9; i++) {
            few.onReceived(i * 1000L, 1000);
        }
        assertEquals(-1, few.recentBps(10), "fewer than 10 arrivals");
        AcknowledgedBitrate bunched = new AcknowledgedBitrate();
        for (int i = 0; i < 10; i++) {
            bunched.onReceived(5000, 1000);
        }
        assertEquals(-1, bunched.recentBps(10), "all at one instant: no rate");
    }

    @Test
    void lossBeyondTheBudgetCutsToWhatArrivedLately() {
        BandwidthEstimator e = new BandwidthEstimator(new CongestionSettings(100_000, 8_000_000, 20_000_000));
        // 1000-byte packets sent 1 ms apart (8 Mbit/s); the first 200 arrive 1 ms apart, the next
        // 100 only 5 ms apart (1.6 Mbit/s: the path's capacity dropped)
        int n = 300;
        long[] arrivals = new long[n];
        for (int i = 0; i < n; i++) {
            e.onPacketSent(i, 1000, i * 1000L, 0);
            arrivals[i] = i < 200 ? 10_000 + i * 1000L : 10_000 + 200_000 + (i - 200) * 5000L;
        }
        e.onFeedback(feedback(0, arrivals), 800_000);
        assertEquals(20_000_000, e.snapshot().lossBasedBps(), "no loss reported: the ceiling is the maximum");
        e.onLossBeyondBudget(800_000);
        assertEquals(0.85 * 1_600_000, e.snapshot().lossBasedBps(), 0.85 * 100_000, "0.85 x the rate of the last 10 arrivals");
        assertTrue(e.targetBps() <= e.snapshot().lossBasedBps());
        long cut = e.targetBps();
        // the estimate the next loss would cut from has to show first: not again within 300 ms + RTT
        e.onLossBeyondBudget(900_000);
        assertEquals(cut, e.targetBps(), "once per loss decrease interval");
    }
}
