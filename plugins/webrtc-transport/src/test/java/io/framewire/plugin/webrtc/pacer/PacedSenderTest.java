package io.framewire.plugin.webrtc.pacer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PacedSenderTest {

    static final long MS = 1_000_000L;

    /** A clock the test moves. */
    static final class FakeClock {
        long now = 1_000 * MS; // not zero, to catch code that assumes a zero start

        long get() {
            return now;
        }
    }

    /** Records what left and when; a packet's id is its first byte pair. */
    static final class Recorder implements Transmitter {
        final FakeClock clock;
        final List<Integer> ids = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        final List<QueuedPacket.Kind> kinds = new ArrayList<>();
        final List<Integer> probeClusters = new ArrayList<>();

        Recorder(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public int transmit(QueuedPacket packet) throws IOException {
            ids.add(id(packet));
            times.add(clock.now);
            kinds.add(packet.kind());
            probeClusters.add(packet.probeCluster());
            return packet.length();
        }

        long sentAt(long time) {
            return times.stream().filter(t -> t == time).count();
        }
    }

    static int id(QueuedPacket p) {
        return ((p.data()[0] & 0xFF) << 8) | (p.data()[1] & 0xFF);
    }

    static QueuedPacket packet(int id, int size, QueuedPacket.Kind kind) {
        byte[] data = new byte[size];
        data[0] = (byte) (id >> 8);
        data[1] = (byte) id;
        return new QueuedPacket(data, size, kind, 0);
    }

    static List<QueuedPacket> frame(int firstId, int count, int size) {
        List<QueuedPacket> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(packet(firstId + i, size, QueuedPacket.Kind.MEDIA));
        }
        return list;
    }

    /** Factor 1, so the pacing rate is the target (above the minimum). */
    static PacerSettings factorOne() {
        return PacerSettings.defaults().withPacingFactor(1.0);
    }

    final FakeClock clock = new FakeClock();
    final Recorder recorder = new Recorder(clock);

    PacedSender manual(PacerSettings settings) {
        return PacedSender.manual("test", recorder, settings, clock::get);
    }

    void step(PacedSender pacer, long millis) {
        clock.now += millis * MS;
        pacer.process(clock.now);
    }

    @Test
    void rateIsRespectedOverOneSecond() {
        PacedSender pacer = manual(factorOne().withMaxQueueMillis(60_000));
        pacer.setTargetBitrate(2_000_000); // 250 000 bytes/s
        pacer.process(clock.now);
        pacer.enqueueFrame(frame(0, 400, 1200), true); // 480 000 bytes: more than a second's worth
        long start = clock.now;
        pacer.process(clock.now);
        while (clock.now - start < 1000 * MS) {
            step(pacer, 5);
        }
        long bytes = pacer.stats().bytesSent();
        assertEquals(250_000, bytes, 250_000 * 0.03, "bytes in 1 s at 2 Mbit/s: " + bytes);
        assertEquals(2_000_000, pacer.stats().pacingRateBps());
    }

    @Test
    void rateIsRespectedWithIrregularWakeUps() {
        PacedSender pacer = manual(factorOne().withMaxQueueMillis(60_000));
        pacer.setTargetBitrate(2_000_000);
        pacer.process(clock.now);
        pacer.enqueueFrame(frame(0, 400, 1200), false);
        long start = clock.now;
        pacer.process(clock.now);
        int[] steps = {4, 7, 3, 6, 5, 9, 1};
        for (int i = 0; clock.now - start < 1000 * MS; i++) {
            step(pacer, Math.min(steps[i % steps.length], (start + 1000 * MS - clock.now) / MS));
        }
        long bytes = pacer.stats().bytesSent();
        assertEquals(250_000, bytes, 250_000 * 0.03, "bytes in 1 s at 2 Mbit/s: " + bytes);
    }

    @Test
    void frameOfFortyPacketsLeavesOverFourIntervals() {
        PacedSender pacer = manual(factorOne());
        pacer.setTargetBitrate(16_000_000); // 2 000 000 bytes/s: 10 000 bytes = 10 packets per 5 ms
        pacer.process(clock.now);
        long t0 = clock.now;
        pacer.enqueueFrame(frame(0, 40, 1000), true);
        assertEquals(clock.now + 5 * MS, pacer.process(clock.now), "while packets wait: the next interval");
        step(pacer, 5);
        step(pacer, 5);
        step(pacer, 5);
        assertEquals(10, recorder.sentAt(t0));
        assertEquals(10, recorder.sentAt(t0 + 5 * MS));
        assertEquals(10, recorder.sentAt(t0 + 10 * MS));
        assertEquals(10, recorder.sentAt(t0 + 15 * MS));
        assertEquals(40, recorder.ids.size());
        for (int i = 0; i < 40; i++) {
            assertEquals(i, recorder.ids.get(i), "media in order");
        }
        PacedSender.Stats stats = pacer.stats();
        assertEquals(0, stats.queuedPackets());
        assertEquals(15, stats.maxQueueMillisSeen());
        assertEquals(15, pacer.stats().maxQueueMillisSeen(), "kept: reading the stats resets nothing");
    }

    @Test
    void retransmissionsJumpAheadOfQueuedMedia() {
        PacedSender pacer = manual(factorOne());
        pacer.setTargetBitrate(16_000_000);
        pacer.process(clock.now);
        pacer.enqueueFrame(frame(0, 30, 1000), false);
        pacer.process(clock.now);
        assertEquals(10, recorder.ids.size());
        pacer.enqueueRetransmission(packet(900, 1000, QueuedPacket.Kind.RETRANSMISSION));
        pacer.enqueueRetransmission(packet(901, 1000, QueuedPacket.Kind.RETRANSMISSION));
        assertEquals(22, pacer.stats().queuedPackets());
        step(pacer, 5);
        assertEquals(List.of(900, 901, 10, 11, 12, 13, 14, 15, 16, 17), recorder.ids.subList(10, 20));
        assertEquals(QueuedPacket.Kind.RETRANSMISSION, recorder.kinds.get(10));
        assertEquals(2000, pacer.stats().retransmissionBytesSent());
    }

    @Test
    void overflowDropsTheMediaQueueCallsTheListenerOnceAndCounts() {
        // 300 kbit/s (the minimum): 37 500 bytes/s, raised at most to 75 000 bytes/s past 200 ms
        PacedSender pacer = manual(factorOne());
        AtomicInteger calls = new AtomicInteger();
        pacer.onOverflow(calls::incrementAndGet);
        pacer.process(clock.now);
        long t0 = clock.now;
        pacer.enqueueFrame(frame(0, 100, 1200), true); // 120 000 bytes
        pacer.process(clock.now);
        while (clock.now - t0 < 400 * MS) {
            step(pacer, 5);
        }
        assertEquals(0, calls.get(), "not yet: waited exactly the limit");
        assertTrue(pacer.stats().pacingRateBps() > 300_000, "the queue time limit raised the rate: "
                + pacer.stats().pacingRateBps());
        int sentBefore = recorder.ids.size();
        assertTrue(sentBefore < 100 && sentBefore > 10, "sent " + sentBefore);
        pacer.enqueueRetransmission(packet(900, 1200, QueuedPacket.Kind.RETRANSMISSION));
        step(pacer, 5);
        assertEquals(1, calls.get());
        PacedSender.Stats stats = pacer.stats();
        assertEquals(1, stats.overflows());
        assertEquals(100 - sentBefore, stats.packetsDroppedByOverflow());
        assertEquals(0, stats.queuedPackets(), "the retransmission was kept and sent");
        assertEquals(900, recorder.ids.get(recorder.ids.size() - 1));
        assertEquals(300_000, stats.pacingRateBps(), "back to the base rate");
        for (int i = 0; i < 100; i++) {
            step(pacer, 5);
        }
        assertEquals(1, calls.get(), "once per overflow");
        assertEquals(1, pacer.stats().overflows());
        // a new frame after the overflow is paced normally: the first packet at once (burst 187 bytes)
        pacer.enqueueFrame(frame(200, 3, 1000), false);
        pacer.process(clock.now);
        assertEquals(200, recorder.ids.get(recorder.ids.size() - 1));
        for (int i = 0; i < 20; i++) {
            step(pacer, 5);
        }
        assertEquals(202, recorder.ids.get(recorder.ids.size() - 1));
    }

    @Test
    void idleLinkSendsTheFirstPacketAtOnce() {
        PacedSender pacer = manual(factorOne());
        pacer.setTargetBitrate(16_000_000);
        long next = pacer.process(clock.now);
        assertTrue(next - clock.now > 5 * MS, "an empty queue waits for an enqueue, not for the interval");
        clock.now += 123_456_789; // some time between intervals
        pacer.enqueueFrame(frame(0, 1, 1000), false);
        long next2 = pacer.process(clock.now);
        assertEquals(List.of(clock.now), recorder.times);
        assertTrue(next2 - clock.now > 5 * MS);
        // right after the last one: the next frame still goes out at once while budget is left
        clock.now += MS / 10;
        pacer.enqueueFrame(frame(1, 2, 1000), false);
        pacer.process(clock.now);
        assertEquals(3, recorder.ids.size());
    }

    @Test
    void budgetDoesNotAccumulateBeyondBurstWhileIdle() {
        PacedSender pacer = manual(factorOne());
        pacer.setTargetBitrate(16_000_000); // burst 5 ms = 10 000 bytes
        pacer.process(clock.now);
        for (int i = 0; i < 100; i++) {
            step(pacer, 5); // idle, a second of steps
        }
        clock.now += 10_000 * MS; // and a long idle without steps
        pacer.enqueueFrame(frame(0, 100, 1000), true);
        pacer.process(clock.now);
        assertEquals(10, recorder.ids.size(), "only burstMillis of budget");
        step(pacer, 5);
        assertEquals(20, recorder.ids.size());
    }

    @Test
    void budgetMayGoNegativeByOnePacket() {
        PacedSender pacer = manual(factorOne());
        pacer.setTargetBitrate(16_000_000); // 10 000 bytes per 5 ms
        pacer.process(clock.now);
        pacer.enqueueFrame(frame(0, 10, 1500), false);
        pacer.process(clock.now);
        assertEquals(7, recorder.ids.size(), "sends while budget > 0: 6 x 1500 = 9000, the 7th overdraws");
        step(pacer, 5); // budget -500 + 10000 = 9500
        assertEquals(10, recorder.ids.size());
    }

    @Test
    void throwingTransmitterDoesNotStopThePacer() {
        AtomicInteger n = new AtomicInteger();
        Transmitter flaky = p -> {
            int i = n.getAndIncrement();
            if (i == 3) {
                throw new IOException("network unreachable");
            }
            if (i == 5) {
                throw new IllegalStateException("bug");
            }
            return recorder.transmit(p);
        };
        PacedSender pacer = PacedSender.manual("flaky", flaky, factorOne(), clock::get);
        pacer.setTargetBitrate(16_000_000);
        pacer.process(clock.now);
        pacer.enqueueFrame(frame(0, 30, 1000), false);
        pacer.process(clock.now);
        step(pacer, 5);
        step(pacer, 5);
        PacedSender.Stats stats = pacer.stats();
        assertEquals(30, n.get());
        assertEquals(2, stats.sendErrors());
        assertEquals(28, stats.packetsSent());
        assertEquals(28_000, stats.bytesSent());
        assertFalse(recorder.ids.contains(3));
        assertFalse(recorder.ids.contains(5));
        assertEquals(0, stats.queuedPackets());
    }

    @Test
    void targetBelowTheMinimumUsesMinPacingBps() {
        PacedSender pacer = manual(PacerSettings.defaults().withMaxQueueMillis(60_000));
        pacer.setTargetBitrate(10_000); // 2.5 x 10 000 = 25 000 < 300 000
        assertEquals(300_000, pacer.basePacingRate());
        pacer.process(clock.now);
        pacer.enqueueFrame(frame(0, 100, 1000), false);
        long start = clock.now;
        pacer.process(clock.now);
        while (clock.now - start < 1000 * MS) {
            step(pacer, 5);
        }
        assertEquals(300_000, pacer.stats().pacingRateBps());
        assertEquals(37_500, pacer.stats().bytesSent(), 37_500 * 0.03);
        pacer.setTargetBitrate(1_000_000);
        assertEquals(2_500_000, pacer.basePacingRate());
        assertThrows(IllegalArgumentException.class, () -> pacer.setTargetBitrate(-1));
    }

    @Test
    void queueBytesAndAgeAreReported() {
        PacedSender pacer = manual(factorOne());
        pacer.process(clock.now);
        pacer.enqueueFrame(frame(0, 3, 700), false);
        clock.now += 42 * MS;
        PacedSender.Stats stats = pacer.stats();
        assertEquals(3, stats.queuedPackets());
        assertEquals(2100, stats.queuedBytes());
        assertEquals(42, stats.oldestQueuedMillis());
        assertEquals(42, stats.maxQueueMillisSeen());
    }

    @Test
    void closeDropsTheQueueAndIsIdempotent() {
        PacedSender pacer = manual(factorOne());
        pacer.enqueueFrame(frame(0, 50, 1000), false);
        pacer.close();
        pacer.close();
        assertTrue(pacer.isClosed());
        assertEquals(0, pacer.stats().queuedPackets());
        pacer.enqueueFrame(frame(100, 5, 1000), false);
        pacer.enqueueRetransmission(packet(200, 1000, QueuedPacket.Kind.RETRANSMISSION));
        pacer.process(clock.now);
        assertEquals(0, pacer.stats().queuedPackets());
        assertTrue(recorder.ids.isEmpty());
    }

    @Test
    void settingsAreValidated() {
        PacerSettings d = PacerSettings.defaults();
        assertEquals(new PacerSettings(2.5, 400, 300_000, 5, 5000), d);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withPacingFactor(0.5));
        assertTrue(e.getMessage().contains("pacingFactor") && e.getMessage().contains("0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withPacingFactor(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withPacingFactor(10.5));
        e = assertThrows(IllegalArgumentException.class, () -> d.withMaxQueueMillis(0));
        assertTrue(e.getMessage().contains("maxQueueMillis 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withMinPacingBps(-5));
        assertTrue(e.getMessage().contains("minPacingBps -5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withBurstMillis(0));
        assertTrue(e.getMessage().contains("burstMillis 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withIntervalMicros(10));
        assertTrue(e.getMessage().contains("intervalMicros 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QueuedPacket(new byte[4], 5, QueuedPacket.Kind.MEDIA, 0));
    }

    @Test
    void realThreadSendsEverythingAndEndsOnClose() throws Exception {
        int total = 150;
        CountDownLatch sent = new CountDownLatch(total);
        List<String> threads = new ArrayList<>();
        Transmitter t = p -> {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            sent.countDown();
            return p.length();
        };
        String name = "thread-test-" + System.nanoTime();
        PacedSender pacer = new PacedSender(name, t, PacerSettings.defaults());
        try {
            pacer.setTargetBitrate(20_000_000);
            pacer.enqueueFrame(frame(0, 50, 1200), true);
            pacer.enqueueRetransmission(packet(900, 1200, QueuedPacket.Kind.RETRANSMISSION));
            pacer.enqueueFrame(frame(50, 49, 1200), false);
            Thread.sleep(20);
            pacer.enqueueFrame(frame(100, 50, 1200), false);
            assertTrue(sent.await(30, TimeUnit.SECONDS), "all packets sent; left " + sent.getCount());
            assertTrue(pacerThread(name).isDaemon());
        } finally {
            pacer.close();
        }
        assertEquals(total, pacer.stats().packetsSent());
        synchronized (threads) {
            assertTrue(threads.stream().allMatch(n -> n.equals(PacedSender.THREAD_PREFIX + name)), threads.toString());
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(th -> th.getName().equals(PacedSender.THREAD_PREFIX + name)), "thread ended on close");
    }

    static Thread pacerThread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().equals(PacedSender.THREAD_PREFIX + name)).findFirst().orElseThrow();
    }

    @Test
    void probeSendsItsTrainAtItsRateWithMediaFirstThenPaddingAllTagged() {
        PacedSender pacer = manual(factorOne());
        pacer.setTargetBitrate(1_000_000); // the pacing rate alone would send 1000 bytes in 8 ms
        AtomicInteger paddingIds = new AtomicInteger(900);
        pacer.paddingSource(() -> packet(paddingIds.getAndIncrement(), 1000, QueuedPacket.Kind.PADDING));
        pacer.enqueueFrame(frame(1, 2, 1000), false);
        // 8 Mbit/s for at least 8000 bytes and 5 packets: 8 packets of 1000 bytes, one per ms
        pacer.startProbe(7, 8_000_000, 8000, 5);
        for (int ms = 0; ms <= 10; ms++) {
            pacer.process(clock.now);
            clock.now += MS;
        }
        assertEquals(List.of(1, 2, 900, 901, 902, 903, 904, 905), recorder.ids.subList(0, 8), "media first, then padding");
        for (int i = 0; i < 8; i++) {
            assertEquals(7, recorder.probeClusters.get(i), "packet " + i + " tagged");
            assertEquals(1_000 * MS + i * MS, recorder.times.get(i), "packet " + i + " at 8 Mbit/s: one per ms");
        }
        assertEquals(8, recorder.ids.size(), "the train ends at its minimum");
        PacedSender.Stats stats = pacer.stats();
        assertEquals(1, stats.probesSent());
        assertEquals(6000, stats.paddingBytesSent());
        assertEquals(0, stats.probesAbandoned());
    }

    @Test
    void probeWithoutPaddingIsAbandonedAndPacingGoesOn() {
        PacedSender pacer = manual(factorOne());
        pacer.setTargetBitrate(1_000_000);
        pacer.startProbe(3, 8_000_000, 8000, 5);
        pacer.process(clock.now);
        assertEquals(1, pacer.stats().probesAbandoned());
        assertEquals(0, recorder.ids.size());
        pacer.enqueueFrame(frame(1, 1, 500), false);
        pacer.process(clock.now);
        assertEquals(List.of(1), recorder.ids);
        assertEquals(QueuedPacket.NO_PROBE, recorder.probeClusters.get(0), "media after the probe is not tagged");
    }

    @Test
    void probeArgumentsAreChecked() {
        PacedSender pacer = manual(factorOne());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pacer.startProbe(0, 1000, 10, 1));
        assertTrue(e.getMessage().contains("probe id 0"), e.getMessage());
    }
}
