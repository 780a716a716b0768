package io.framewire.plugin.webrtc.cc;

import io.framewire.plugin.webrtc.rtp.Rtcp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * A sender, a bottleneck and a receiver in simulated time (1 ms steps). The sender encodes a frame
 * every 33 ms at min(target, app rate), in packets of at most 1200 bytes, paced at 2.5 x target; the
 * bottleneck serves packets FIFO at a capacity that may change with time, after an optional random
 * loss, plus a fixed one-way delay; the receiver sends transport-cc feedback every 50-100 ms (as
 * bytes, parsed by {@link Rtcp#parse}), which arrives one one-way delay later. With {@link #probing}
 * the sender sends the estimator's probes: trains at the probe's rate, queued media first, then
 * 1200-byte padding.
 */
final class LinkSimulation {

    static final long FRAME_MICROS = 33_333;
    static final int PACKET_BYTES = 1200;
    static final long RECEIVER_CLOCK_OFFSET = 7_000_000;

    /** One 100 ms sample. */
    record Sample(long timeMicros, long targetBps, long queueDelayMicros, BandwidthEstimator.Snapshot snapshot) {
    }

    private final BandwidthEstimator estimator;
    private final CongestionSettings settings;
    private final Random random;
    LongUnaryOperator capacityBps = t -> 3_000_000;
    double lossRate;
    long appRateBps = Long.MAX_VALUE;
    long oneWayDelayMicros = 25_000;
    boolean probing = true;
    long probeCeilingBps = Long.MAX_VALUE;
    long paddingBytesSent;

    private long now;
    private long nextFrame;
    private long pacerNext;
    private final ArrayDeque<long[]> pacerQueue = new ArrayDeque<>(); // {enqueueTime, size}
    private final ArrayDeque<ProbeCluster> probes = new ArrayDeque<>();
    private long probeStart = -1;
    private long probeBytes;
    private int probePackets;
    private int sequence = 65_000; // wraps early in every run
    private long linkFree;
    private long lastQueueDelay;
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>(); // {unwrapped seq, arrival}
    private long unwrappedSequence = 65_000;
    private final TreeMap<Long, Long> received = new TreeMap<>();
    private long nextReport = 65_000;
    private long highestReceived = -1;
    private long nextFeedback = 50_000;
    private int feedbackCount;
    private final ArrayDeque<Object[]> feedbackInFlight = new ArrayDeque<>(); // {deliverAt, bytes}
    final List<Sample> samples = new ArrayList<>();

    LinkSimulation(CongestionSettings settings, long seed) {
        this.settings = settings;
        this.estimator = new BandwidthEstimator(settings);
        this.random = new Random(seed);
    }

    BandwidthEstimator estimator() {
        return estimator;
    }

    long now() {
        return now;
    }

    /** Runs until {@code endMicros}, sampling every 100 ms. */
    void runUntil(long endMicros) {
        estimator.onRoundTrip(2 * oneWayDelayMicros);
        for (; now < endMicros; now += 1000) {
            long target = estimator.targetBps();
            if (target < settings.minBps() || target > settings.maxBps()) {
                throw new AssertionError("target " + target + " outside [" + settings.minBps() + ", "
                        + settings.maxBps() + "] at " + now);
            }
            if (now >= nextFrame) {
                long rate = Math.min(target, appRateBps);
                long bytes = rate * FRAME_MICROS / 8_000_000;
                while (bytes > 0) {
                    long size = Math.min(PACKET_BYTES, bytes);
                    pacerQueue.add(new long[] {nextFrame, size});
                    bytes -= size;
                }
                nextFrame += FRAME_MICROS;
            }
            if (probing) {
                probes.addAll(estimator.probesDue(probeCeilingBps, now));
            }
            if (!probes.isEmpty()) {
                probe();
            } else {
                pace(target);
            }
            while (!inFlight.isEmpty() && inFlight.peekFirst()[1] <= now) {
                long[] p = inFlight.removeFirst();
                received.put(p[0], p[1]);
                highestReceived = Math.max(highestReceived, p[0]);
            }
            if (now >= nextFeedback) {
                sendFeedback();
                nextFeedback += 50_000 + random.nextInt(50_001);
            }
            while (!feedbackInFlight.isEmpty() && (long) feedbackInFlight.peekFirst()[0] <= now) {
                byte[] bytes = (byte[]) feedbackInFlight.removeFirst()[1];
                for (Rtcp.Packet packet : Rtcp.parse(bytes)) {
                    estimator.onFeedback((TransportFeedback) packet, now);
                }
            }
            if (now % 100_000 == 0) {
                samples.add(new Sample(now, estimator.targetBps(), lastQueueDelay, estimator.snapshot()));
            }
        }
    }

    private void pace(long target) {
        while (!pacerQueue.isEmpty()) {
            long[] packet = pacerQueue.peekFirst();
            long sendTime = Math.max(pacerNext, packet[0]);
            if (sendTime > now) {
                return;
            }
            pacerQueue.removeFirst();
            int size = (int) packet[1];
            pacerNext = sendTime + size * 8_000_000L / (long) (2.5 * target);
            transmit(size, sendTime, 0);
        }
    }

    /** Sends the first probe's packets due by now; media first, then padding. */
    private void probe() {
        ProbeCluster c = probes.peekFirst();
        if (probeStart < 0) {
            probeStart = now;
        }
        while (probeBytes <= c.bps() * (now - probeStart) / 8_000_000L) {
            long[] media = pacerQueue.pollFirst();
            int size = media != null ? (int) media[1] : PACKET_BYTES;
            if (media == null) {
                paddingBytesSent += size;
            }
            transmit(size, now, c.id());
            probeBytes += size;
            probePackets++;
            if (probeBytes >= c.minBytes() && probePackets >= c.minPackets()) {
                probes.removeFirst();
                probeStart = -1;
                probeBytes = 0;
                probePackets = 0;
                pacerNext = now;
                return;
            }
        }
    }

    private void transmit(int size, long sendTime, int cluster) {
        estimator.onPacketSent(sequence, size, sendTime, cluster);
        sequence = (sequence + 1) & 0xFFFF;
        long seq = unwrappedSequence++;
        if (random.nextDouble() < lossRate) {
            return;
        }
        long start = Math.max(sendTime, linkFree);
        linkFree = start + size * 8_000_000L / capacityBps.applyAsLong(start);
        lastQueueDelay = linkFree - sendTime;
        inFlight.add(new long[] {seq, linkFree + oneWayDelayMicros});
    }

    private void sendFeedback() {
        if (highestReceived < nextReport) {
            return;
        }
        int count = (int) (highestReceived - nextReport + 1);
        long[] arrivals = new long[count];
        boolean any = false;
        for (int i = 0; i < count; i++) {
            Long arrival = received.remove(nextReport + i);
            arrivals[i] = arrival == null ? -1 : arrival + RECEIVER_CLOCK_OFFSET;
            any |= arrival != null;
        }
        if (any) {
            byte[] bytes = FeedbackWriter.write((int) (nextReport & 0xFFFF), arrivals, feedbackCount++ & 0xFF,
                    true);
            feedbackInFlight.add(new Object[] {now + oneWayDelayMicros, bytes});
        }
        nextReport = highestReceived + 1;
    }

    /** @return the first sample time from which the target stays in [lo, hi] until {@code until}, or -1 */
    long settledFrom(long lo, long hi, long until) {
        long from = -1;
        for (Sample s : samples) {
            if (s.timeMicros() > until) {
                break;
            }
            boolean in = s.targetBps() >= lo && s.targetBps() <= hi;
            if (!in) {
                from = -1;
            } else if (from < 0) {
                from = s.timeMicros();
            }
        }
        return from;
    }

    /** @return the first sample at or after {@code from} matching, or null */
    Sample first(long from, java.util.function.Predicate<Sample> test) {
        for (Sample s : samples) {
            if (s.timeMicros() >= from && test.test(s)) {
                return s;
            }
        }
        return null;
    }

    /** Target as a 1 s trace, for the report. */
    String trace(long from, long to) {
        StringBuilder b = new StringBuilder();
        for (Sample s : samples) {
            if (s.timeMicros() >= from && s.timeMicros() <= to && s.timeMicros() % 1_000_000 == 0) {
                b.append(String.format("%ds:%.2f/%s/q%dms ", s.timeMicros() / 1_000_000, s.targetBps() / 1e6,
                        s.snapshot().delayState().charAt(0), s.queueDelayMicros() / 1000));
            }
        }
        return b.toString();
    }
}
