package io.framewire.runtime;

/**
 * Tick deadlines on a fixed grid: tick {@code n} is due at {@code start + n * interval}. Deadlines are
 * never computed from the previous tick's end, so lateness does not accumulate (no drift). When the
 * loop falls more than one whole interval behind, the missed ticks are skipped rather than sent in
 * a burst, and counted.
 */
final class TickPlan {
    private long start;
    private long interval;
    private long next;
    private long skipped;

    TickPlan(long startNanos, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos=" + intervalNanos + ": must be > 0");
        }
        this.start = startNanos;
        this.interval = intervalNanos;
    }

    /** @return the number of the tick to run next */
    long nextTick() {
        return next;
    }

    /** @return when the next tick is due */
    long nextDeadline() {
        return start + next * interval;
    }

    /**
     * Marks the next tick done at {@code now} and moves on, skipping ticks whose slot has passed
     * entirely (more than one interval late).
     */
    void advance(long now) {
        next++;
        long due = (now - start) / interval; // the tick whose slot contains 'now'
        if (due > next) {
            skipped += due - next;
            next = due;
        }
    }

    /**
     * Moves the grid so that the next tick is due at {@code due}; the ticks after it keep the
     * interval from there. Used when a pushed frame is sent at once instead of at its tick.
     */
    void rebase(long due) {
        start = due - next * interval;
    }

    /** Changes the interval from now on: the next tick is due one new interval after {@code now}. */
    void retime(long intervalNanos, long now) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos=" + intervalNanos + ": must be > 0");
        }
        interval = intervalNanos;
        start = now + interval - next * interval;
    }

    /** @return ticks skipped because the loop was over one interval late */
    long skipped() {
        return skipped;
    }
}
