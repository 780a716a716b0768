package io.framewire.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BitstreamContinuityTest {
    private static final long STALL = BitstreamContinuity.STALL_NANOS;
    private final BitstreamContinuity continuity = new BitstreamContinuity();

    @Test
    void nothingIsResentBeforeTheFirstUnitOrBetweenUnits() {
        assertFalse(continuity.resendKeyframe(0, true), "no unit yet: nothing to re-send");
        continuity.fresh(0);
        assertFalse(continuity.resendKeyframe(STALL - 1, false));
        assertFalse(continuity.resendKeyframe(STALL - 1, true), "a viewer's request waits for the producer at first");
    }

    @Test
    void aStalledProducerGetsOneResendPerIntervalAndAViewersRequestOneAtOnce() {
        continuity.fresh(0);
        assertTrue(continuity.resendKeyframe(STALL, false));
        assertFalse(continuity.resendKeyframe(STALL + 1, false));
        assertTrue(continuity.resendKeyframe(STALL + 2, true), "a joining viewer during a stall gets it at once");
        assertFalse(continuity.resendKeyframe(2 * STALL + 1, false));
        assertTrue(continuity.resendKeyframe(2 * STALL + 2, false));
        continuity.fresh(3 * STALL);
        assertFalse(continuity.resendKeyframe(3 * STALL + 1, false), "the producer is back");
    }
}
