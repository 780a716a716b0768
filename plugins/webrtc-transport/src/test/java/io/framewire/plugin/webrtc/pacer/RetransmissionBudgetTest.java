package io.framewire.plugin.webrtc.pacer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetransmissionBudgetTest {

    static final long MS = 1_000_000L;
    long now = 5_000 * MS;

    RetransmissionBudget budget(long targetBps) {
        RetransmissionBudget b = new RetransmissionBudget(0.2, () -> now);
        b.setTargetBitrate(targetBps);
        return b;
    }

    @Test
    void refusesBeyondTheBudget() {
        // 0.2 x 1 Mbit/s = 25 000 bytes/s; burst 100 ms = 2500 bytes
        RetransmissionBudget b = budget(1_000_000);
        assertTrue(b.tryAcquire(1, 1000));
        assertTrue(b.tryAcquire(2, 1000));
        assertTrue(b.tryAcquire(3, 1000)); // 500 left: granted, goes to -500
        assertFalse(b.tryAcquire(4, 1000));
        assertFalse(b.tryAcquire(5, 100));
        assertEquals(3, b.granted());
        assertEquals(2, b.refused());
        assertEquals(2, b.overBudget(), "both for want of tokens");
    }

    @Test
    void tokensRefillOverTimeUpToTheBurst() {
        RetransmissionBudget b = budget(1_000_000);
        for (int i = 0; i < 3; i++) {
            assertTrue(b.tryAcquire(i, 1000));
        }
        assertFalse(b.tryAcquire(10, 1000));
        now += 20 * MS; // +500: back to 0
        assertFalse(b.tryAcquire(11, 1000));
        now += 4 * MS; // +100
        assertTrue(b.tryAcquire(12, 1000));
        assertEquals(-900, b.tokens(), 1e-6);
        now += 10_000 * MS; // a long quiet time fills only the burst
        assertEquals(2500, b.tokens(), 1e-6);
        int granted = 0;
        for (int i = 100; i < 110; i++) {
            if (b.tryAcquire(i, 1000)) {
                granted++;
            }
        }
        assertEquals(3, granted);
    }

    @Test
    void refusesARepeatWithinOneRoundTripAndGrantsAfter() {
        RetransmissionBudget b = budget(100_000_000); // plenty of tokens
        b.setRoundTripMicros(50_000);
        assertTrue(b.tryAcquire(7, 1200));
        now += 30 * MS;
        assertFalse(b.tryAcquire(7, 1200));
        assertTrue(b.tryAcquire(8, 1200), "other sequence numbers are not held back");
        now += 20 * MS; // 50 ms after the first resend
        assertTrue(b.tryAcquire(7, 1200));
        assertEquals(1, b.refused());
        assertEquals(0, b.overBudget(), "a repeat is not a loss the budget failed to repair");
        assertEquals(3, b.granted());
    }

    @Test
    void repeatWindowIsAtLeastTwentyMillis() {
        RetransmissionBudget b = budget(100_000_000);
        b.setRoundTripMicros(1_000);
        assertTrue(b.tryAcquire(65535, 1000));
        now += 10 * MS;
        assertFalse(b.tryAcquire(65535, 1000));
        now += 10 * MS;
        assertTrue(b.tryAcquire(65535, 1000));
        // a sequence number sharing its slot does not count as a repeat
        assertTrue(b.tryAcquire(65535 - RetransmissionBudget.SLOTS, 1000));
    }

    @Test
    void refusedRepeatTakesNoTokens() {
        RetransmissionBudget b = budget(1_000_000); // 2500 burst
        assertTrue(b.tryAcquire(1, 1000));
        for (int i = 0; i < 10; i++) {
            assertFalse(b.tryAcquire(1, 1000));
        }
        assertEquals(1500, b.tokens(), 1e-6);
    }

    @Test
    void refusesEverythingWithoutATarget() {
        RetransmissionBudget b = new RetransmissionBudget(0.2, () -> now);
        assertFalse(b.tryAcquire(1, 100));
        b.setTargetBitrate(0);
        now += 1000 * MS;
        assertFalse(b.tryAcquire(1, 100));
        b.setTargetBitrate(1_000_000);
        assertTrue(b.tryAcquire(1, 100));
    }

    @Test
    void loweringTheTargetShrinksTheBucket() {
        RetransmissionBudget b = budget(10_000_000); // burst 25 000
        b.setTargetBitrate(1_000_000); // burst 2500
        assertEquals(2500, b.tokens(), 1e-6);
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new RetransmissionBudget(0, () -> now));
        assertThrows(IllegalArgumentException.class, () -> new RetransmissionBudget(1.5, () -> now));
        RetransmissionBudget b = budget(1_000_000);
        assertThrows(IllegalArgumentException.class, () -> b.setTargetBitrate(-1));
        assertThrows(IllegalArgumentException.class, () -> b.setRoundTripMicros(-1));
    }
}
