package io.framewire.plugin.webrtc.pacer;

import io.framewire.plugin.webrtc.signaling.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Spreads one peer's RTP packets over time at the pacing rate instead of putting a whole encoded
 * frame on the wire at once (after libwebrtc's {@code modules/pacing}: an interval budget, a
 * prioritized queue with retransmissions first, and a queue time limit).
 *
 * <p><b>Budget.</b> Each {@link #process} adds {@code pacing rate x elapsed time} bytes to the
 * budget and sends queued packets while the budget is above zero, charging each packet's wire size
 * (so the budget may end up to one packet below zero). While the queue is empty the budget builds
 * up to at most {@link PacerSettings#burstMillis()} of the pacing rate: the first packets of a frame
 * on an idle link leave at once, without waiting for the next interval. While packets wait, the
 * whole elapsed time counts (up to {@value #MAX_CATCH_UP_INTERVALS} intervals, so a late wake-up does
 * not lower the rate and a long stall does not turn into a burst).
 *
 * <p><b>Order.</b> Retransmissions leave before media, FIFO among themselves; media packets leave
 * in the order queued. Key frames are spread like any frame.
 *
 * <p><b>Queue time limit.</b> When the oldest queued packet has waited more than half of
 * {@link PacerSettings#maxQueueMillis()}, the pacing rate is raised so the queued bytes drain in the
 * time left (as libwebrtc's queue time limit does), though to at most {@value #MAX_DRAIN_RAISE} times
 * the base rate. When the oldest queued media packet has waited
 * longer than {@code maxQueueMillis}, all queued media packets are dropped (a stale frame is never
 * finished), counted, and the {@link #onOverflow overflow listener} is called once; the owner then
 * asks for a key frame. Queued retransmissions are kept.
 *
 * <p><b>Probes.</b> {@link #startProbe} queues a bandwidth probe: the next steps send a train at the
 * probe's rate, whatever the pacing rate, until it has its minimum bytes and packets: waiting packets
 * first (retransmissions, then media), then padding from the {@link #paddingSource PaddingSource}.
 * Each packet leaves tagged with the probe's id ({@link QueuedPacket#probeCluster()}). Without
 * padding to fill it, a probe is abandoned (counted). Probes run one after another.
 *
 * <p><b>Threads.</b> The public constructor starts a daemon thread {@code "framewire-rtp-pacer-" + name}
 * that runs {@link #process} every {@link PacerSettings#intervalMicros()} while packets wait and
 * parks ({@link LockSupport#parkNanos}) otherwise; an enqueue onto an empty queue unparks it.
 * {@link #manual} makes a sender without a thread, driven by calls to {@link #process} (tests).
 * Enqueue, {@link #setTargetBitrate}, {@link #stats} and {@link #close} may be called from any
 * thread. Exceptions from the {@link Transmitter} are counted and logged (at most one line per
 * {@link LogLimiter#INTERVAL_SECONDS} s over all senders), never end the thread.
 */
public final class PacedSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacedSender.class);
    /** Send errors and listener failures over all senders: one line per interval. */
    private static final LogLimiter SEND_ERRORS = new LogLimiter(LOG);
    /** Thread name prefix; the sender's name follows. */
    public static final String THREAD_PREFIX = "framewire-rtp-pacer-";
    /** While packets wait, at most this many intervals of elapsed time count towards the budget. */
    public static final int MAX_CATCH_UP_INTERVALS = 2;
    /**
     * The queue time limit raises the pacing rate to at most this many times the base rate: the
     * raise drains a queue that grew from a large key frame or a short overshoot, but a queue fed
     * faster than that for long is dropped (an overflow) rather than flooding the link.
     */
    public static final double MAX_DRAIN_RAISE = 2.0;
    /** How long the thread parks while the queue is empty (an enqueue unparks it sooner). */
    static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long {@link #close} waits for the thread to end. */
    static final long JOIN_MILLIS = 2000;

    /** A queued packet and when the pacer's clock saw it queued. */
    private record Entry(QueuedPacket packet, long queuedNanos) {
    }

    /** A probe being sent: its train so far. Guarded by {@code processLock}. */
    private static final class Probe {
        final int id;
        final long bps;
        final int minBytes;
        final int minPackets;
        long startNanos = -1;
        long bytes;
        int packets;

        Probe(int id, long bps, int minBytes, int minPackets) {
            this.id = id;
            this.bps = bps;
            this.minBytes = minBytes;
            this.minPackets = minPackets;
        }
    }

    private final String name;
    private final Transmitter transmitter;
    private final PacerSettings settings;
    private final LongSupplier clock;
    private final long intervalNanos;
    private final long maxQueueNanos;
    private final Thread thread;

    /** Guards the queues and the queue statistics. */
    private final Object lock = new Object();
    private final ArrayDeque<Entry> retransmissions = new ArrayDeque<>();
    private final ArrayDeque<Entry> media = new ArrayDeque<>();
    private final ArrayDeque<Probe> probes = new ArrayDeque<>();
    private long queuedBytes;
    private long maxQueueNanosSeen;

    /** Guards the budget: one {@link #process} at a time. */
    private final Object processLock = new Object();
    private double budgetBytes;
    private long lastProcessNanos;
    private boolean started;
    private boolean backlogged;

    private volatile long targetBps;
    private volatile long pacingRateBps;
    private volatile Runnable overflowListener;
    private volatile PaddingSource paddingSource;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong retransmissionBytesSent = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();
    private final AtomicLong packetsDroppedByOverflow = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong paddingBytesSent = new AtomicLong();
    private final AtomicLong probesSent = new AtomicLong();
    private final AtomicLong probesAbandoned = new AtomicLong();

    /**
     * Starts the pacer thread ({@code "framewire-rtp-pacer-" + name}, daemon) on {@link System#nanoTime()}.
     * The pacing rate is {@link PacerSettings#minPacingBps()} until {@link #setTargetBitrate}.
     */
    public PacedSender(String name, Transmitter transmitter, PacerSettings settings) {
        this(name, transmitter, settings, System::nanoTime, true);
    }

    private PacedSender(String name, Transmitter transmitter, PacerSettings settings, LongSupplier clock,
                        boolean startThread) {
        this.name = Objects.requireNonNull(name, "name");
        this.transmitter = Objects.requireNonNull(transmitter, "transmitter");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.intervalNanos = TimeUnit.MICROSECONDS.toNanos(settings.intervalMicros());
        this.maxQueueNanos = TimeUnit.MILLISECONDS.toNanos(settings.maxQueueMillis());
        this.pacingRateBps = settings.minPacingBps();
        if (startThread) {
            thread = new Thread(this::run, THREAD_PREFIX + name);
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    /**
     * A sender without a thread: nothing leaves until the caller calls {@link #process} with times
     * from {@code nanoClock} (tests; or an owner that drives pacing from its own loop).
     */
    public static PacedSender manual(String name, Transmitter transmitter, PacerSettings settings,
                                     LongSupplier nanoClock) {
        return new PacedSender(name, transmitter, settings, nanoClock, false);
    }

    /** Target bitrate from the congestion controller; pacing rate = max(minPacingBps, factor x target). */
    public void setTargetBitrate(long bps) {
        if (bps < 0) {
            throw new IllegalArgumentException("target bitrate " + bps + " is negative");
        }
        targetBps = bps;
    }

    /** @return the last target bitrate set, 0 before any */
    public long targetBitrate() {
        return targetBps;
    }

    /** @return the pacing rate from the target alone (without the queue time limit's raise) */
    public long basePacingRate() {
        double rate = settings.pacingFactor() * targetBps;
        return (long) Math.max(settings.minPacingBps(), Math.min(rate, (double) Long.MAX_VALUE));
    }

    /**
     * Queues a whole frame's packets, in order, behind the media already queued. The caller hands
     * over each {@code byte[]}. Wakes the thread when the queue was empty. Ignored after
     * {@link #close}.
     *
     * @param keyframe whether the frame is a key frame; key frames are paced like any frame (the
     *                 flag is for the record: nothing in the pacer depends on it yet)
     */
    public void enqueueFrame(List<QueuedPacket> packets, boolean keyframe) {
        if (packets.isEmpty()) {
            return;
        }
        boolean wasEmpty;
        synchronized (lock) {
            if (closed.get()) {
                return;
            }
            wasEmpty = isEmptyLocked();
            long now = clock.getAsLong();
            for (QueuedPacket p : packets) {
                media.addLast(new Entry(Objects.requireNonNull(p, "packet"), now));
                queuedBytes += p.length();
            }
        }
        if (wasEmpty) {
            wake();
        }
    }

    /** Queues a retransmission ahead of all media (FIFO among retransmissions). Ignored after {@link #close}. */
    public void enqueueRetransmission(QueuedPacket packet) {
        Objects.requireNonNull(packet, "packet");
        boolean wasEmpty;
        synchronized (lock) {
            if (closed.get()) {
                return;
            }
            wasEmpty = isEmptyLocked();
            retransmissions.addLast(new Entry(packet, clock.getAsLong()));
            queuedBytes += packet.length();
        }
        if (wasEmpty) {
            wake();
        }
    }

    /**
     * Sets the listener called (on the pacer thread, once per overflow) when the media queue was
     * dropped because its oldest packet waited longer than {@link PacerSettings#maxQueueMillis()}.
     * Replaces an earlier listener; {@code null} removes it. It must not block.
     */
    public void onOverflow(Runnable listener) {
        this.overflowListener = listener;
    }

    /** Sets what fills probes when no packet waits; {@code null} (the default) abandons probes. */
    public void paddingSource(PaddingSource source) {
        this.paddingSource = source;
    }

    /**
     * Queues a bandwidth probe: a train of at least {@code minBytes} and {@code minPackets} sent at
     * {@code bps}, its packets tagged with {@code id} (see the class description). Wakes the thread.
     * Ignored after {@link #close}.
     *
     * @param id         the probe cluster's id, &gt; 0
     * @param bps        the train's rate, bit/s, &gt; 0
     * @param minBytes   bytes the train has at least
     * @param minPackets packets the train has at least, &gt;= 1
     */
    public void startProbe(int id, long bps, int minBytes, int minPackets) {
        if (id <= 0 || bps <= 0 || minPackets < 1) {
            throw new IllegalArgumentException("probe id " + id + ", rate " + bps + " bit/s, minPackets "
                    + minPackets + ": need id > 0, rate > 0, minPackets >= 1");
        }
        synchronized (lock) {
            if (closed.get()) {
                return;
            }
            probes.addLast(new Probe(id, bps, minBytes, minPackets));
        }
        wake();
    }

    /**
     * One pacing step at {@code nowNanos} (the sender's clock): drops a stale media queue, adds the
     * budget for the time elapsed since the previous step, and sends while the budget allows. The
     * pacer thread calls this; a {@link #manual} sender's owner calls it. Safe from any thread (one
     * step at a time); transmits on the calling thread.
     *
     * @return when the next step is due ({@code nowNanos} + interval while packets wait, later when
     *         the queue is empty; an enqueue wakes the thread sooner)
     */
    public long process(long nowNanos) {
        synchronized (processLock) {
            if (closed.get()) {
                return nowNanos + IDLE_PARK_NANOS;
            }
            dropStaleMedia(nowNanos);
            Probe probe;
            synchronized (lock) {
                probe = probes.peekFirst();
            }
            if (probe != null) {
                lastProcessNanos = nowNanos; // the train replaces pacing: no budget builds up meanwhile
                return sendProbe(probe, nowNanos);
            }
            double rate = effectiveRate(nowNanos);
            double bytesPerNano = rate / 8e9;
            double burstBytes = bytesPerNano * TimeUnit.MILLISECONDS.toNanos(settings.burstMillis());
            if (!started) {
                started = true;
                budgetBytes = burstBytes;
            } else {
                long elapsed = Math.max(0, nowNanos - lastProcessNanos);
                if (backlogged) {
                    elapsed = Math.min(elapsed, MAX_CATCH_UP_INTERVALS * Math.max(intervalNanos,
                            TimeUnit.MILLISECONDS.toNanos(settings.burstMillis())));
                    budgetBytes += bytesPerNano * elapsed;
                } else {
                    budgetBytes = Math.min(budgetBytes + bytesPerNano * elapsed, burstBytes);
                }
            }
            lastProcessNanos = nowNanos;
            while (budgetBytes > 0 && !closed.get()) {
                Entry e = poll(nowNanos);
                if (e == null) {
                    break;
                }
                budgetBytes -= send(e.packet());
            }
            synchronized (lock) {
                backlogged = !isEmptyLocked();
            }
            return nowNanos + (backlogged ? intervalNanos : IDLE_PARK_NANOS);
        }
    }

    /**
     * Sends the probe's packets due by {@code now}; ends the probe once it has its minimum (or when
     * nothing can fill it). @return when the next packet is due
     */
    private long sendProbe(Probe probe, long now) {
        if (probe.startNanos < 0) {
            probe.startNanos = now;
        }
        double due = probe.bps * (now - probe.startNanos) / 8e9;
        while (probe.bytes <= due && !closed.get()) {
            Entry e = poll(now);
            QueuedPacket packet = e != null ? e.packet() : padding();
            if (packet == null) {
                endProbe(probe);
                probesAbandoned.incrementAndGet();
                return now;
            }
            probe.bytes += send(packet.inProbe(probe.id));
            probe.packets++;
            if (probe.bytes >= probe.minBytes && probe.packets >= probe.minPackets) {
                endProbe(probe);
                probesSent.incrementAndGet();
                return now; // the next step follows at once: the next probe, or pacing as usual
            }
        }
        return probe.startNanos + (long) (probe.bytes * 8e9 / probe.bps);
    }

    private void endProbe(Probe probe) {
        synchronized (lock) {
            probes.remove(probe);
        }
    }

    private QueuedPacket padding() {
        PaddingSource source = paddingSource;
        if (source == null) {
            return null;
        }
        try {
            return source.padding();
        } catch (RuntimeException e) {
            SEND_ERRORS.warn("pacer " + name + ": padding source failed: " + e, e);
            return null;
        }
    }

    /**
     * Drops every queued packet, media and resends, without calling the overflow listener: the
     * owner knows the receiver cannot use them (it will start again at a key frame), and they would
     * only hold up that key frame on a congested path. Safe from any thread.
     *
     * @return how many packets were dropped
     */
    public int discardQueued() {
        synchronized (lock) {
            int dropped = media.size() + retransmissions.size();
            media.clear();
            retransmissions.clear();
            queuedBytes = 0;
            return dropped;
        }
    }

    /** Drops all queued media when its oldest packet waited longer than the limit; calls the listener. */
    private void dropStaleMedia(long now) {
        int dropped = 0;
        synchronized (lock) {
            Entry oldest = media.peekFirst();
            if (oldest != null && now - oldest.queuedNanos() > maxQueueNanos) {
                maxQueueNanosSeen = Math.max(maxQueueNanosSeen, now - oldest.queuedNanos());
                for (Entry e : media) {
                    queuedBytes -= e.packet().length();
                }
                dropped = media.size();
                media.clear();
            }
        }
        if (dropped == 0) {
            return;
        }
        overflows.incrementAndGet();
        packetsDroppedByOverflow.addAndGet(dropped);
        Runnable listener = overflowListener;
        if (listener != null) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                SEND_ERRORS.warn("pacer " + name + ": overflow listener failed: " + e, e);
            }
        }
    }

    /**
     * The pacing rate for this step: the base rate, raised when the oldest queued packet waited
     * more than half the queue time limit so that the queued bytes drain in the time left (at most
     * {@link #MAX_DRAIN_RAISE} x base).
     */
    private double effectiveRate(long now) {
        double base = basePacingRate();
        double rate = base;
        long oldestAge;
        long bytes;
        synchronized (lock) {
            oldestAge = oldestAgeLocked(now);
            bytes = queuedBytes;
        }
        if (oldestAge > maxQueueNanos / 2) {
            long left = Math.max(TimeUnit.MILLISECONDS.toNanos(1), maxQueueNanos - oldestAge);
            rate = Math.min(Math.max(rate, bytes * 8e9 / left), base * MAX_DRAIN_RAISE);
        }
        pacingRateBps = (long) rate;
        return rate;
    }

    private Entry poll(long now) {
        synchronized (lock) {
            Entry e = retransmissions.pollFirst();
            if (e == null) {
                e = media.pollFirst();
            }
            if (e != null) {
                queuedBytes -= e.packet().length();
                maxQueueNanosSeen = Math.max(maxQueueNanosSeen, now - e.queuedNanos());
            }
            return e;
        }
    }

    /** Transmits one packet; @return the bytes to charge to the budget. */
    private int send(QueuedPacket p) {
        try {
            int bytes = Math.max(0, transmitter.transmit(p));
            packetsSent.incrementAndGet();
            bytesSent.addAndGet(bytes);
            if (p.kind() == QueuedPacket.Kind.RETRANSMISSION) {
                retransmissionBytesSent.addAndGet(bytes);
            } else if (p.kind() == QueuedPacket.Kind.PADDING) {
                paddingBytesSent.addAndGet(bytes);
            }
            return bytes;
        } catch (IOException | RuntimeException e) {
            sendErrors.incrementAndGet();
            SEND_ERRORS.warn("pacer " + name + ": sending a packet failed: " + e, e);
            return p.length();
        }
    }

    private boolean isEmptyLocked() {
        return retransmissions.isEmpty() && media.isEmpty();
    }

    private long oldestAgeLocked(long now) {
        long age = 0;
        Entry r = retransmissions.peekFirst();
        if (r != null) {
            age = now - r.queuedNanos();
        }
        Entry m = media.peekFirst();
        if (m != null) {
            age = Math.max(age, now - m.queuedNanos());
        }
        return Math.max(0, age);
    }

    private void wake() {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (!closed.get()) {
            long next;
            try {
                next = process(clock.getAsLong());
            } catch (RuntimeException e) {
                // a bug, not a send error (those are caught in send): keep pacing, but not in a tight loop
                SEND_ERRORS.warn("pacer " + name + ": pacing step failed: " + e, e);
                next = clock.getAsLong() + intervalNanos;
            }
            long wait = next - clock.getAsLong();
            if (wait > 0 && !closed.get()) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /**
     * Counters since the start, and the queue now.
     *
     * @param pacingRateBps            the rate used by the latest step (raised by the queue time limit
     *                                 when it applied), or the minimum before the first step
     * @param queuedPackets            packets waiting (media and retransmissions)
     * @param queuedBytes              their bytes (unprotected)
     * @param oldestQueuedMillis       how long the oldest waiting packet has waited
     * @param maxQueueMillisSeen       the longest any packet waited (sent, dropped, or still queued)
     *                                 since the start
     * @param packetsSent              packets handed to the transmitter without an exception
     * @param bytesSent                the bytes the transmitter reported on the wire
     * @param retransmissionBytesSent  of those, for retransmissions
     * @param overflows                how often the media queue was dropped
     * @param packetsDroppedByOverflow media packets dropped so far
     * @param sendErrors               transmitter exceptions
     * @param paddingBytesSent         of {@code bytesSent}, padding that filled probes
     * @param probesSent               probes sent to their minimum
     * @param probesAbandoned          probes ended early for want of padding
     */
    public record Stats(long pacingRateBps, int queuedPackets, long queuedBytes, long oldestQueuedMillis,
                        long maxQueueMillisSeen, long packetsSent, long bytesSent, long retransmissionBytesSent,
                        long overflows, long packetsDroppedByOverflow, long sendErrors, long paddingBytesSent,
                        long probesSent, long probesAbandoned) {
    }

    /** @return the counters (reading them changes nothing: any number of readers may poll) */
    public Stats stats() {
        long now = clock.getAsLong();
        int packets;
        long bytes;
        long oldest;
        long maxSeen;
        synchronized (lock) {
            packets = retransmissions.size() + media.size();
            bytes = queuedBytes;
            oldest = oldestAgeLocked(now);
            maxSeen = Math.max(maxQueueNanosSeen, oldest);
        }
        return new Stats(pacingRateBps, packets, bytes, TimeUnit.NANOSECONDS.toMillis(oldest),
                TimeUnit.NANOSECONDS.toMillis(maxSeen), packetsSent.get(), bytesSent.get(),
                retransmissionBytesSent.get(), overflows.get(), packetsDroppedByOverflow.get(), sendErrors.get(),
                paddingBytesSent.get(), probesSent.get(), probesAbandoned.get());
    }

    /** @return the sender's settings */
    public PacerSettings settings() {
        return settings;
    }

    /** @return whether {@link #close} was called */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops the thread (waits up to {@value #JOIN_MILLIS} ms for it; not when called on the pacer
     * thread itself) and drops the queue. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (lock) {
            retransmissions.clear();
            media.clear();
            probes.clear();
            queuedBytes = 0;
        }
        if (thread != null) {
            LockSupport.unpark(thread);
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(JOIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (thread.isAlive()) {
                    LOG.warn("pacer {}: thread did not end within {} ms", name, JOIN_MILLIS);
                }
            }
        }
    }
}
