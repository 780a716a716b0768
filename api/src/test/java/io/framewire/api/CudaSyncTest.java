package io.framewire.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.framewire.api.Refusals.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaSyncTest {

    @Test
    void streamAndEventBothZeroIsRefused() {
        InvalidFrameException e = assertInvalid("cudaSync.stream", "0", () -> new CudaSync(0, 0));
        assertEquals(0L, e.value());
        assertTrue(e.getMessage().contains("waitEvent"), e.getMessage());
    }

    @Test
    void onStreamZeroIsRefused() {
        assertInvalid("cudaSync.stream", "0", () -> CudaSync.onStream(0));
    }

    @Test
    void onEventWithBothZeroIsRefused() {
        assertInvalid("cudaSync.stream", "0", () -> CudaSync.onEvent(0, 0));
    }

    @ParameterizedTest(name = "onStream({0}) accepted")
    @ValueSource(longs = {1, 2, 0x7f00_0000_1000L, -1})
    void streamOnly(long stream) {
        CudaSync s = CudaSync.onStream(stream);
        assertEquals(stream, s.stream());
        assertEquals(0, s.waitEvent());
        assertFalse(s.hasEvent());
    }

    @Test
    void eventOnly() {
        CudaSync s = CudaSync.onEvent(0, 0x5555_0000L);
        assertEquals(0, s.stream());
        assertEquals(0x5555_0000L, s.waitEvent());
        assertTrue(s.hasEvent());
    }

    @Test
    void streamAndEvent() {
        CudaSync s = CudaSync.onEvent(2, 9);
        assertEquals(new CudaSync(2, 9), s);
        assertTrue(s.hasEvent());
    }
}
