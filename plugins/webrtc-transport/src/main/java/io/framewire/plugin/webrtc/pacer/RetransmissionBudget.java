package io.framewire.plugin.webrtc.pacer;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket for NACK-driven retransmissions, so that a receiver's NACKs cannot turn into more
 * resends than the link carries.
 *
 * <ul>
 *   <li>Rate: {@code budgetFraction x target bitrate} ({@link #DEFAULT_BUDGET_FRACTION} by default);
 *       the bucket holds at most {@value #BURST_MILLIS} ms of it and starts full when the first
 *       target bitrate above zero is set. Until then (and at target 0) everything is refused.</li>
 *   <li>A packet is granted while tokens are above zero, and its size taken (the bucket may go
 *       below zero by one packet, so a packet bigger than the bucket still gets through at low
 *       rates, at the budget's average rate).</li>
 *   <li>A sequence number resent less than one round trip ago (at least
 *       {@value #MIN_REPEAT_MILLIS} ms; {@value #DEFAULT_RTT_MILLIS} ms until
 *       {@link #setRoundTripMicros} is called) is refused without taking tokens: the first resend
 *       may still be on its way. The last resend times live in a small table of
 *       {@value #SLOTS} slots indexed by the sequence number's low bits.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class RetransmissionBudget {
    /** Default share of the target bitrate that retransmissions may use. */
    public static final double DEFAULT_BUDGET_FRACTION = 0.2;
    /** The bucket holds this many milliseconds of the budget's rate. */
    public static final int BURST_MILLIS = 100;
    /** A sequence number is never resent twice within this many milliseconds. */
    public static final int MIN_REPEAT_MILLIS = 20;
    /** The round trip assumed until {@link #setRoundTripMicros} is called. */
    public static final int DEFAULT_RTT_MILLIS = 100;
    /** Slots in the last-resend table (a power of two). */
    static final int SLOTS = 1024;

    private final double budgetFraction;
    private final LongSupplier nanoClock;
    private final int[] slotSequence = new int[SLOTS];
    private final long[] slotNanos = new long[SLOTS];

    private long targetBps;
    private boolean targetSet;
    private double tokens;
    private long lastRefillNanos;
    private long repeatNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_RTT_MILLIS);
    private long refused;
    private long overBudget;
    private long granted;

    /**
     * @param budgetFraction share of the target bitrate for retransmissions, above 0 and at most 1
     * @param nanoClock      time in nanoseconds ({@code System::nanoTime}; tests pass a fake)
     */
    public RetransmissionBudget(double budgetFraction, LongSupplier nanoClock) {
        if (!(budgetFraction > 0 && budgetFraction <= 1)) {
            throw new IllegalArgumentException("budgetFraction " + budgetFraction + " outside (0, 1]");
        }
        this.budgetFraction = budgetFraction;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        Arrays.fill(slotSequence, -1);
        this.lastRefillNanos = nanoClock.getAsLong();
    }

    /** A budget of {@link #DEFAULT_BUDGET_FRACTION} on {@link System#nanoTime()}. */
    public RetransmissionBudget() {
        this(DEFAULT_BUDGET_FRACTION, System::nanoTime);
    }

    /** The target bitrate from the congestion controller; the first one above zero fills the bucket. */
    public synchronized void setTargetBitrate(long bps) {
        if (bps < 0) {
            throw new IllegalArgumentException("target bitrate " + bps + " is negative");
        }
        refill(nanoClock.getAsLong());
        targetBps = bps;
        if (!targetSet && bps > 0) {
            targetSet = true;
            tokens = burstBytes();
        } else {
            tokens = Math.min(tokens, burstBytes());
        }
    }

    /** The round-trip time; a sequence number is not resent twice within max(RTT, 20 ms). */
    public synchronized void setRoundTripMicros(long rtt) {
        if (rtt < 0) {
            throw new IllegalArgumentException("round trip " + rtt + " us is negative");
        }
        repeatNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(MIN_REPEAT_MILLIS), TimeUnit.MICROSECONDS.toNanos(rtt));
    }

    /**
     * @param sequence  the RTP sequence number of the packet to resend (0..65535)
     * @param sizeBytes its size on the wire
     * @return true = send it (tokens taken, resend time noted); false = refused (counted)
     */
    public synchronized boolean tryAcquire(int sequence, int sizeBytes) {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes " + sizeBytes + " is negative");
        }
        int seq = sequence & 0xFFFF;
        long now = nanoClock.getAsLong();
        refill(now);
        int slot = seq & (SLOTS - 1);
        if (slotSequence[slot] == seq && now - slotNanos[slot] < repeatNanos) {
            refused++;
            return false;
        }
        if (tokens <= 0 || targetBps == 0) {
            refused++;
            overBudget++;
            return false;
        }
        tokens -= sizeBytes;
        slotSequence[slot] = seq;
        slotNanos[slot] = now;
        granted++;
        return true;
    }

    /** @return how many resends were refused */
    public synchronized long refused() {
        return refused;
    }

    /**
     * @return of the {@link #refused()} resends, those refused for want of tokens (not repeats
     *         within a round trip): losses the budget cannot repair
     */
    public synchronized long overBudget() {
        return overBudget;
    }

    /** @return how many resends were granted */
    public synchronized long granted() {
        return granted;
    }

    /** @return the tokens (bytes) in the bucket now; may be below zero by up to one packet */
    public synchronized double tokens() {
        refill(nanoClock.getAsLong());
        return tokens;
    }

    private double bytesPerNano() {
        return budgetFraction * targetBps / 8e9;
    }

    private double burstBytes() {
        return bytesPerNano() * TimeUnit.MILLISECONDS.toNanos(BURST_MILLIS);
    }

    private void refill(long now) {
        long elapsed = now - lastRefillNanos;
        lastRefillNanos = now;
        if (elapsed > 0) {
            tokens = Math.min(tokens + bytesPerNano() * elapsed, burstBytes());
        }
    }
}
