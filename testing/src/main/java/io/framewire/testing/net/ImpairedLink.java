package io.framewire.testing.net;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One direction of an emulated link, driven by a clock the caller passes in (nanoseconds, e.g.
 * {@link System#nanoTime()}; tests pass a virtual one). It owns no thread and no socket:
 * {@link #offer} puts a datagram in, {@link #poll} hands out what is due and says when the next
 * datagram will be. {@link UdpImpairmentRelay} runs two per client on real sockets.
 *
 * <p>Model, per datagram, in this order ({@link LinkProfile}):
 * <ol>
 *   <li><b>random loss</b> at the entrance (seeded, so a run is reproducible);</li>
 *   <li><b>bottleneck</b>: a FIFO drop-tail queue served by a token bucket of {@code rateKbps}. A
 *       datagram that does not fit the queue's byte limit is dropped and counted as overflow. A
 *       datagram leaves the queue at the exact (virtual) time its tokens are there, computed when it
 *       reaches the head of the queue, so a rate change applies to the datagrams still waiting too,
 *       and a late {@link #poll} does not change when a datagram is considered to have left;</li>
 *   <li><b>delay</b>: the fixed one-way delay plus jitter, after the bottleneck. Without reordering
 *       a datagram is never delivered before an earlier one.</li>
 * </ol>
 *
 * <p>Thread-safe (every method synchronizes on the link).
 */
public final class ImpairedLink {
    private static final double NANOS_PER_MILLI = 1e6;
    /** More tokens than any bucket holds: every read caps them at the bucket's depth. */
    private static final double FULL_BUCKET = 1 << 20;

    private final Random lossRandom;
    private final Random jitterRandom;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private final PriorityQueue<Datagram> inFlight = new PriorityQueue<>(
            Comparator.comparingLong(Datagram::deliverAt).thenComparingLong(Datagram::order));
    private LinkProfile profile;
    private long queuedBytes;
    private double tokens;          // bytes in the bucket at tokenTime
    private long tokenTime;         // virtual time (ns) up to which the bucket is accounted
    private long lastDeliverAt = Long.MIN_VALUE;
    private long order;
    // counters
    private long packetsIn;
    private long bytesIn;
    private long packetsForwarded;
    private long bytesForwarded;
    private long packetsLost;
    private long bytesLost;
    private long packetsOverflowed;
    private long bytesOverflowed;
    private long queueHighWater;
    private long maxQueueDelayNanos;

    /**
     * @param profile the starting impairments; its seed seeds the loss and jitter generators
     * @param salt    mixed into the seed, so that links made from the same profile (two directions,
     *                several clients) draw different but reproducible sequences
     * @param now     the clock's current time
     */
    public ImpairedLink(LinkProfile profile, long salt, long now) {
        this.profile = profile;
        this.lossRandom = new Random(profile.seed() * 1_000_003L + salt);
        this.jitterRandom = new Random(~(profile.seed() * 1_000_003L + salt));
        this.tokenTime = now;
        this.tokens = FULL_BUCKET; // an idle link: the first datagram leaves at once
    }

    /** @return the current impairments */
    public synchronized LinkProfile profile() {
        return profile;
    }

    /**
     * Changes the impairments from {@code now} on: datagrams still in the queue leave at the new rate
     * (the bucket is filled at the old rate up to {@code now}); datagrams already past the bottleneck
     * keep their delivery time; a smaller queue limit drops nothing that is already queued.
     */
    public synchronized void setProfile(LinkProfile next, long now) {
        advance(now);
        if (now > tokenTime) {
            // fill the bucket at the old rate up to now; every read caps it at the depth again
            tokens = Math.min(Math.max(profile.burstBytes(), FULL_BUCKET), tokens + bytesPerNano(profile) * (now - tokenTime));
            tokenTime = now;
        }
        profile = next;
        advance(now);
    }

    /**
     * A datagram arrives at the link.
     *
     * @param data the datagram (kept, not copied: do not reuse the array)
     * @param now  the clock's current time
     * @return true if it was taken (it will be delivered), false if dropped by loss or a full queue
     */
    public synchronized boolean offer(byte[] data, long now) {
        advance(now);
        packetsIn++;
        bytesIn += data.length;
        if (profile.lossPercent() > 0 && lossRandom.nextDouble() * 100 < profile.lossPercent()) {
            packetsLost++;
            bytesLost += data.length;
            return false;
        }
        if (profile.rateKbps() == 0) {
            schedule(data, now);
            return true;
        }
        if (queuedBytes + data.length > profile.queueLimitBytes()) {
            packetsOverflowed++;
            bytesOverflowed += data.length;
            return false;
        }
        queue.addLast(new Datagram(data, now, 0, 0));
        queuedBytes += data.length;
        queueHighWater = Math.max(queueHighWater, queuedBytes);
        advance(now);
        return true;
    }

    /**
     * Delivers every datagram due at {@code now}, in delivery order.
     *
     * @param now     the clock's current time
     * @param deliver receives each due datagram (called while the link is locked: keep it short)
     * @return the time of the next event (a datagram due, or leaving the bottleneck), or
     *         {@link Long#MAX_VALUE} when the link is empty
     */
    public synchronized long poll(long now, Consumer<byte[]> deliver) {
        advance(now);
        while (!inFlight.isEmpty() && inFlight.peek().deliverAt() <= now) {
            Datagram d = inFlight.poll();
            packetsForwarded++;
            bytesForwarded += d.length();
            deliver.accept(d.data());
        }
        long next = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().deliverAt();
        if (!queue.isEmpty()) {
            next = Math.min(next, departureOfHead());
        }
        return next;
    }

    /** @return the counters now */
    public synchronized LinkStats stats() {
        return new LinkStats(packetsIn, bytesIn, packetsForwarded, bytesForwarded, packetsLost, bytesLost, packetsOverflowed,
                bytesOverflowed, queuedBytes, queueHighWater, maxQueueDelayNanos / NANOS_PER_MILLI);
    }

    /** Restarts the queue's high-water mark and longest wait from the current queue. */
    public synchronized void resetPeaks() {
        queueHighWater = queuedBytes;
        maxQueueDelayNanos = 0;
    }

    /** Moves every datagram whose tokens are there by {@code now} from the queue past the bottleneck. */
    private void advance(long now) {
        while (!queue.isEmpty()) {
            long departure = departureOfHead();
            if (departure > now) {
                return;
            }
            Datagram head = queue.pollFirst();
            if (profile.rateKbps() > 0) {
                // tokens at departure: what was there when the head could start, or exactly its length
                // when it had to wait for them (see departureOfHead)
                double atStart = tokensAt(Math.max(head.arrival(), tokenTime), head.length());
                tokens = atStart >= head.length() ? atStart - head.length() : 0;
            }
            tokenTime = Math.max(tokenTime, departure);
            queuedBytes -= head.length();
            maxQueueDelayNanos = Math.max(maxQueueDelayNanos, departure - head.arrival());
            schedule(head.data(), departure);
        }
    }

    /** The bucket at time {@code t >= tokenTime}, capped at the depth for a datagram of {@code length}. */
    private double tokensAt(long t, int length) {
        return Math.min(bucketDepth(length), tokens + bytesPerNano(profile) * Math.max(0, t - tokenTime));
    }

    /** When the queue's head leaves the bottleneck, at the current rate and bucket. */
    private long departureOfHead() {
        Datagram head = queue.peekFirst();
        long from = Math.max(head.arrival(), tokenTime);
        if (profile.rateKbps() == 0) {
            return from;
        }
        double available = tokensAt(from, head.length());
        if (available >= head.length()) {
            return from;
        }
        return from + (long) Math.ceil((head.length() - available) / bytesPerNano(profile));
    }

    private double bucketDepth(int packetLength) {
        return Math.max(profile.burstBytes(), packetLength);
    }

    private static double bytesPerNano(LinkProfile p) {
        return p.rateKbps() * 1000.0 / 8 / 1e9;
    }

    /** Puts a datagram that left the bottleneck at {@code departure} on the delay line. */
    private void schedule(byte[] data, long departure) {
        long delay = (long) (profile.delayMillis() * NANOS_PER_MILLI);
        if (profile.jitterMillis() > 0) {
            double j = (jitterRandom.nextDouble() * 2 - 1) * profile.jitterMillis() * NANOS_PER_MILLI;
            delay = Math.max(0, delay + (long) j);
        }
        long deliverAt = departure + delay;
        if (!profile.reorder()) {
            deliverAt = Math.max(deliverAt, lastDeliverAt);
        }
        lastDeliverAt = Math.max(lastDeliverAt, deliverAt);
        inFlight.add(new Datagram(data, departure, deliverAt, order++));
    }

    /** A datagram: its bytes, when it arrived (queue) or left the bottleneck (delay line), when it is due. */
    private record Datagram(byte[] data, long arrival, long deliverAt, long order) {
        int length() {
            return data.length;
        }
    }
}
