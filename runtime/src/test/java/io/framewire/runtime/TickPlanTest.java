package io.framewire.runtime;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TickPlanTest {
    private static final long INTERVAL = 33_333_333L;

    @Test
    void deadlinesStayOnTheGridWhateverTheWorkTakes() {
        long start = 1_000_000_000L;
        TickPlan plan = new TickPlan(start, INTERVAL);
        Random random = new Random(42);
        for (int n = 0; n < 10_000; n++) {
            assertEquals(n, plan.nextTick());
            long deadline = plan.nextDeadline();
            assertEquals(start + n * INTERVAL, deadline, "tick " + n + " drifted");
            // work that ends anywhere inside this tick's slot, up to almost a whole interval late
            plan.advance(deadline + (long) (random.nextDouble() * (INTERVAL - 1)));
        }
        assertEquals(0, plan.skipped());
    }

    @Test
    void aTickThatOverrunsAWholeIntervalSkipsMissedSlotsInsteadOfBursting() {
        TickPlan plan = new TickPlan(0, INTERVAL);
        plan.advance(0); // tick 0 done on time
        // tick 1 runs at its deadline but takes 3.5 intervals
        plan.advance(INTERVAL + (long) (3.5 * INTERVAL));
        assertEquals(4, plan.nextTick(), "the slot that contains 'now' runs next");
        assertEquals(4 * INTERVAL, plan.nextDeadline());
        assertEquals(2, plan.skipped());
    }

    @Test
    void rebaseMovesTheGridWithoutChangingTheInterval() {
        TickPlan plan = new TickPlan(0, INTERVAL);
        plan.advance(0);
        plan.advance(INTERVAL);
        assertEquals(2, plan.nextTick());
        plan.rebase(5 * INTERVAL + 123); // a pushed frame: tick 2 goes out at this moment
        assertEquals(5 * INTERVAL + 123, plan.nextDeadline());
        plan.advance(5 * INTERVAL + 200);
        assertEquals(6 * INTERVAL + 123, plan.nextDeadline(), "the following ticks keep the interval from there");
        assertEquals(0, plan.skipped());
    }

    @Test
    void retimeChangesTheIntervalFromNowOn() {
        TickPlan plan = new TickPlan(0, INTERVAL);
        plan.advance(0);
        plan.advance(INTERVAL);
        long now = INTERVAL + 1000;
        plan.retime(INTERVAL / 2, now);
        assertEquals(now + INTERVAL / 2, plan.nextDeadline());
        plan.advance(now + INTERVAL / 2);
        assertEquals(now + 2 * (INTERVAL / 2), plan.nextDeadline());
        assertEquals(0, plan.skipped());
    }

    @Test
    void refusesANonPositiveInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TickPlan(0, 0));
        assertEquals("intervalNanos=0: must be > 0", e.getMessage());
    }
}
