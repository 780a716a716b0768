package io.framewire.testing.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LinkProfile}: the settings syntax of the relay program and the queue limit. */
class LinkProfileTest {

    @Test
    void settingsAreAppliedOnTopOfTheCurrentProfile() {
        LinkProfile p = LinkProfile.CLEAN.with("rate=3000,queue=50ms delay=20 jitter=5 reorder=true loss=1.5 seed=7");
        assertEquals(new LinkProfile(3000, 0, 0, 50, 20, 5, true, 1.5, 7), p);
        LinkProfile q = p.with("rate=1500,queue=25000b");
        assertEquals(1500, q.rateKbps());
        assertEquals(25_000, q.queueLimitBytes());
        assertEquals(20, q.delayMillis(), "untouched settings stay");
        assertEquals(LinkProfile.CLEAN, q.with("clean"));
        assertEquals(LinkProfile.CLEAN.withRateKbps(100), q.with("clean rate=100"));
    }

    @Test
    void aBadPairIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinkProfile.CLEAN.with("rate=3000,speed=2"));
        assertTrue(e.getMessage().startsWith("'speed=2': unknown key"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinkProfile.CLEAN.with("loss=120"));
        assertTrue(e.getMessage().contains("'loss=120'") && e.getMessage().contains("0..100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinkProfile.CLEAN.with("delay"));
    }

    @Test
    void theQueueLimitFollowsTheRateAndHasAFloor() {
        assertEquals(37_500, LinkProfile.CLEAN.withRateKbps(3000).queueLimitBytes(), "100 ms at 3000 kbit/s");
        assertEquals(LinkProfile.MIN_QUEUE_BYTES, LinkProfile.CLEAN.withRateKbps(100).withQueueMillis(10).queueLimitBytes());
        assertEquals(5_000, LinkProfile.CLEAN.withRateKbps(3000).withQueueBytes(5000).queueLimitBytes());
    }
}
