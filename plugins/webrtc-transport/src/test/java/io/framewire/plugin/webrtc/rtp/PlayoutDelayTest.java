package io.framewire.plugin.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlayoutDelayTest {

    @Test
    void zeroDelayIsThreeZeroBytes() {
        assertArrayEquals(new byte[3], PlayoutDelay.data(0, 0));
    }

    @Test
    void delaysAreTwelveBitCountsOfTenMilliseconds() {
        // min = 10 (0x00A), max = 4095 (0xFFF): 00A FFF
        assertArrayEquals(new byte[] {0x00, (byte) 0xAF, (byte) 0xFF},
                PlayoutDelay.data(100, PlayoutDelay.MAX_DELAY_MILLIS));
        // min = 0x123, max = 0x456
        assertArrayEquals(new byte[] {0x12, 0x34, 0x56}, PlayoutDelay.data(0x123 * 10, 0x456 * 10));
    }

    @Test
    void delaysTheFieldsCannotCarryAreRefused() {
        for (int[] bad : new int[][] {{-10, 0}, {20, 10}, {0, PlayoutDelay.MAX_DELAY_MILLIS + 10}, {5, 10}, {0, 15}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PlayoutDelay.data(bad[0], bad[1]));
            assertTrue(e.getMessage().contains("multiples of 10 ms"), e.getMessage());
        }
    }
}
