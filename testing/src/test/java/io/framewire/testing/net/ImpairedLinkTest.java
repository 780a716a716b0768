package io.framewire.testing.net;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ImpairedLink} on a virtual clock: every figure is exact or within a stated tolerance, with
 * no dependence on the machine's timing.
 */
class ImpairedLinkTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    /** Records deliveries with their (virtual) time. */
    private static final class Sink {
        final List<long[]> deliveries = new ArrayList<>(); // {time, first byte, length}
        long bytes;

        void at(long now, byte[] d) {
            deliveries.add(new long[]{now, d[0] & 0xFF, d.length});
            bytes += d.length;
        }
    }

    /** Offers {@code size}-byte datagrams at {@code offeredKbps} from {@code t0} for {@code duration}, polling every 0.1 ms. */
    private static long drive(ImpairedLink link, Sink sink, long t0, long duration, int offeredKbps, int size) {
        long interval = (long) (size * 8.0 / (offeredKbps * 1000.0) * S);
        long nextSend = t0;
        long t = t0;
        for (; t < t0 + duration; t += MS / 10) {
            while (nextSend <= t) {
                link.offer(new byte[size], nextSend);
                nextSend += interval;
            }
            long now = t;
            link.poll(now, d -> sink.at(now, d));
        }
        return t;
    }

    private static long bytesDeliveredBetween(Sink sink, long from, long to) {
        long b = 0;
        for (long[] d : sink.deliveries) {
            if (d[0] >= from && d[0] < to) {
                b += d[2];
            }
        }
        return b;
    }

    @Test
    void aTooFastSenderIsHeldToTheRateThenQueuedThenDropped() {
        LinkProfile p = LinkProfile.CLEAN.withRateKbps(2000).withQueueMillis(100);
        ImpairedLink link = new ImpairedLink(p, 0, 0);
        Sink sink = new Sink();
        drive(link, sink, 0, 10 * S, 4000, 1000); // twice the bottleneck
        // measured after the first second (the queue has filled by then): 2000 kbit/s within 1 %
        double kbps = bytesDeliveredBetween(sink, S, 10 * S) * 8.0 / 9 / 1000;
        assertEquals(2000, kbps, 20, "delivered rate");
        LinkStats s = link.stats();
        assertEquals(0, s.packetsLost());
        // offered 4000 kbit/s for 10 s = 5000 datagrams; the link carries about half, the rest overflows
        assertEquals(5000, s.packetsIn(), 1);
        assertEquals(s.packetsIn(), s.packetsForwarded() + s.packetsOverflowed() + s.queuedBytes() / 1000);
        assertTrue(s.packetsOverflowed() > 2400 && s.packetsOverflowed() < 2550, "overflowed " + s.packetsOverflowed());
        // queue limit: 100 ms at 2000 kbit/s = 25000 bytes; the queue fills to it, and a datagram waits up to 100 ms
        assertEquals(25000, p.queueLimitBytes());
        assertTrue(s.queueHighWaterBytes() <= 25000 && s.queueHighWaterBytes() >= 24000, "high water " + s.queueHighWaterBytes());
        assertEquals(100, s.maxQueueDelayMillis(), 5, "longest wait in the queue");
    }

    @Test
    void aSenderBelowTheRateIsNotQueued() {
        ImpairedLink link = new ImpairedLink(LinkProfile.CLEAN.withRateKbps(2000), 0, 0);
        Sink sink = new Sink();
        drive(link, sink, 0, 5 * S, 1000, 1000);
        LinkStats s = link.stats();
        assertEquals(0, s.packetsOverflowed());
        assertEquals(1000, s.queueHighWaterBytes(), "only the datagram at hand");
        // a token bucket: 8 ms between datagrams refill the 4 ms of tokens each needs, so none waits
        assertEquals(0, s.maxQueueDelayMillis(), 0.0);
        assertEquals(s.packetsIn(), s.packetsForwarded());
    }

    @Test
    void aBurstIsSerializedAtTheRateAndTheQueueOverflowIsCounted() {
        // 10000-byte queue at 800 kbit/s = 100 bytes per ms; 30 datagrams of 1000 bytes at once
        ImpairedLink link = new ImpairedLink(LinkProfile.CLEAN.withRateKbps(800).withQueueBytes(10_000), 0, 0);
        int taken = 0;
        for (int i = 0; i < 30; i++) {
            if (link.offer(new byte[]{(byte) i, 0, 0}, 0) || false) {
                taken++;
            }
        }
        // these are tiny (3 bytes): all fit
        assertEquals(30, taken);
        ImpairedLink link2 = new ImpairedLink(LinkProfile.CLEAN.withRateKbps(800).withQueueBytes(10_000), 0, 0);
        taken = 0;
        for (int i = 0; i < 30; i++) {
            byte[] d = new byte[1000];
            d[0] = (byte) i;
            if (link2.offer(d, 0)) {
                taken++;
            }
        }
        // the first leaves at once (a full bucket of one datagram), 10 more fit the queue; 19 overflow
        assertEquals(11, taken);
        assertEquals(19, link2.stats().packetsOverflowed());
        assertEquals(19_000, link2.stats().bytesOverflowed());
        assertEquals(10_000, link2.stats().queueHighWaterBytes());
        Sink sink = new Sink();
        for (long t = 0; t <= 200 * MS; t += MS) {
            long now = t;
            link2.poll(now, d -> sink.at(now, d));
        }
        assertEquals(11, sink.deliveries.size());
        for (int i = 0; i < 11; i++) {
            assertEquals(i, sink.deliveries.get(i)[1], "FIFO order");
            assertEquals(i * 10 * MS, sink.deliveries.get(i)[0], "one datagram every 10 ms");
        }
    }

    @Test
    void randomLossHasTheConfiguredRatioAndRepeatsWithTheSeed() {
        LinkProfile p = LinkProfile.CLEAN.withLossPercent(5).withSeed(1234);
        boolean[] first = lossPattern(p, 20_000);
        boolean[] again = lossPattern(p, 20_000);
        boolean[] otherSeed = lossPattern(p.withSeed(99), 20_000);
        int lost = 0;
        for (boolean b : first) {
            lost += b ? 1 : 0;
        }
        // binomial(20000, 0.05): sd = 30.8; 4 sd
        assertEquals(1000, lost, 124, "lost of 20000 at 5 %");
        assertTrue(java.util.Arrays.equals(first, again), "same seed, same losses");
        assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(otherSeed), "another seed, other losses");
    }

    private static boolean[] lossPattern(LinkProfile p, int n) {
        ImpairedLink link = new ImpairedLink(p, 7, 0);
        boolean[] lost = new boolean[n];
        for (int i = 0; i < n; i++) {
            lost[i] = !link.offer(new byte[100], i * MS);
        }
        link.poll(n * MS, d -> { });
        LinkStats stats = link.stats();
        assertEquals(n, stats.packetsIn());
        assertEquals(stats.packetsLost() * 100, stats.bytesLost(), "bytes lost: 100 per datagram");
        assertEquals(n - stats.packetsLost(), stats.packetsForwarded(), "every datagram not lost is delivered");
        return lost;
    }

    @Test
    void theDelayIsAddedAfterTheBottleneck() {
        ImpairedLink link = new ImpairedLink(LinkProfile.CLEAN.withDelayMillis(20), 0, 0);
        link.offer(new byte[]{1}, 5 * MS);
        Sink sink = new Sink();
        long next = link.poll(10 * MS, d -> sink.at(10 * MS, d));
        assertTrue(sink.deliveries.isEmpty(), "not before the delay");
        assertEquals(25 * MS, next, "the link says when the datagram is due");
        link.poll(25 * MS, d -> sink.at(25 * MS, d));
        assertEquals(1, sink.deliveries.size());

        // with a bottleneck: 1000 bytes at 800 kbit/s take 10 ms, then 20 ms of delay
        ImpairedLink both = new ImpairedLink(LinkProfile.CLEAN.withRateKbps(800).withDelayMillis(20), 0, 0);
        both.offer(new byte[1000], 0);
        both.offer(new byte[1000], 0);
        Sink s2 = new Sink();
        for (long t = 0; t <= 50 * MS; t += MS) {
            long now = t;
            both.poll(now, d -> s2.at(now, d));
        }
        assertEquals(20 * MS, s2.deliveries.get(0)[0]);
        assertEquals(30 * MS, s2.deliveries.get(1)[0]);
    }

    @Test
    void jitterStaysWithinItsRangeAndKeepsTheOrderUnlessReorderingIsAsked() {
        long[] inOrder = jitteredDelays(false);
        long[] reordered = jitteredDelays(true);
        int outOfOrder = 0;
        for (int i = 1; i < reordered.length; i++) {
            if (reordered[i] < reordered[i - 1]) {
                outOfOrder++;
            }
        }
        assertTrue(outOfOrder > 100, "with reordering allowed, jitter of ± 10 ms on 1 ms spacing reorders: " + outOfOrder);
        for (int i = 1; i < inOrder.length; i++) {
            assertTrue(inOrder[i] >= inOrder[i - 1], "datagram " + i + " overtook an earlier one");
        }
    }

    /** @return the delivery order of 2000 datagrams sent 1 ms apart, delay 30 ± 10 ms, as sequence numbers */
    private static long[] jitteredDelays(boolean reorder) {
        ImpairedLink link = new ImpairedLink(LinkProfile.CLEAN.withDelayMillis(30).withJitterMillis(10, reorder), 0, 0);
        long[] sentAt = new long[2000];
        List<long[]> got = new ArrayList<>(); // {seq, delay}
        for (int i = 0; i < 2000; i++) {
            sentAt[i] = i * MS;
            byte[] d = {(byte) (i >> 8), (byte) i};
            link.offer(d, sentAt[i]);
            long now = sentAt[i];
            link.poll(now, x -> got.add(new long[]{((x[0] & 0xFF) << 8) | (x[1] & 0xFF), now}));
        }
        for (long t = 2000 * MS; t < 2100 * MS; t += MS / 10) {
            long now = t;
            link.poll(now, x -> got.add(new long[]{((x[0] & 0xFF) << 8) | (x[1] & 0xFF), now}));
        }
        assertEquals(2000, got.size());
        long[] order = new long[got.size()];
        for (int i = 0; i < got.size(); i++) {
            long seq = got.get(i)[0];
            long delay = got.get(i)[1] - sentAt[(int) seq];
            order[i] = seq;
            if (reorder) {
                assertTrue(delay >= 20 * MS && delay <= 40 * MS + MS / 10, "delay " + delay / 1e6 + " ms outside 30 ± 10");
            } else {
                assertTrue(delay >= 20 * MS, "delay " + delay / 1e6 + " ms below 30 - 10");
            }
        }
        return order;
    }

    @Test
    void stepChangesOfTheRateApplyWhileRunning() {
        LinkProfile fast = LinkProfile.CLEAN.withRateKbps(8000).withQueueMillis(100);
        ImpairedLink link = new ImpairedLink(fast, 0, 0);
        Sink sink = new Sink();
        // offered 10 Mbit/s throughout: 8 Mbit/s for 5 s, 1.5 Mbit/s for 5 s, 8 Mbit/s for 5 s
        long t = drive(link, sink, 0, 5 * S, 10_000, 1200);
        link.setProfile(fast.withRateKbps(1500), t);
        long t2 = drive(link, sink, t, 5 * S, 10_000, 1200);
        link.setProfile(fast, t2);
        long t3 = drive(link, sink, t2, 5 * S, 10_000, 1200);
        // each phase measured after its first second
        assertEquals(8000, bytesDeliveredBetween(sink, S, t) * 8.0 / ((t - S) / 1e9) / 1000, 80);
        assertEquals(1500, bytesDeliveredBetween(sink, t + S, t2) * 8.0 / ((t2 - t - S) / 1e9) / 1000, 15);
        assertEquals(8000, bytesDeliveredBetween(sink, t2 + S, t3) * 8.0 / ((t3 - t2 - S) / 1e9) / 1000, 80);
        // the queue limit follows the rate (100 ms): at 1.5 Mbit/s it is 18750 bytes
        assertEquals(18_750, fast.withRateKbps(1500).queueLimitBytes());
    }

    @Test
    void aRateDropAppliesToTheDatagramsAlreadyQueued() {
        ImpairedLink link = new ImpairedLink(LinkProfile.CLEAN.withRateKbps(8000).withQueueBytes(100_000), 0, 0);
        for (int i = 0; i < 10; i++) {
            link.offer(new byte[1000], 0); // 1 ms each at 8 Mbit/s
        }
        link.setProfile(link.profile().withRateKbps(800), 0); // 10 ms each from now
        Sink sink = new Sink();
        for (long t = 0; t <= 100 * MS; t += MS) {
            long now = t;
            link.poll(now, d -> sink.at(now, d));
        }
        assertEquals(0, sink.deliveries.get(0)[0], "the first had left before the change");
        assertEquals(10 * MS, sink.deliveries.get(1)[0], "the second waits for 1000 bytes of tokens at 800 kbit/s");
        assertEquals(90 * MS, sink.deliveries.get(9)[0]);
    }

    @Test
    void removingTheRateLimitReleasesTheQueue() {
        ImpairedLink link = new ImpairedLink(LinkProfile.CLEAN.withRateKbps(80).withQueueBytes(100_000), 0, 0);
        for (int i = 0; i < 5; i++) {
            link.offer(new byte[1000], 0); // 100 ms each at 80 kbit/s
        }
        link.setProfile(LinkProfile.CLEAN, 10 * MS);
        Sink sink = new Sink();
        link.poll(10 * MS, d -> sink.at(10 * MS, d));
        assertEquals(5, sink.deliveries.size());
        assertEquals(0, link.stats().queuedBytes());
    }
}
