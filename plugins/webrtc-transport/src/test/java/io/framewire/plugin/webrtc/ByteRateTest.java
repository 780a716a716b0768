package io.framewire.plugin.webrtc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteRateTest {
    private static final long MS = 1_000_000L;

    @Test
    void countsTheLastSecondOnly() {
        ByteRate rate = new ByteRate();
        long t0 = 5_000 * MS;
        for (int i = 0; i < 10; i++) {
            rate.add(1000, t0 + i * 100 * MS); // 10 kB over one second
        }
        assertEquals(80_000, rate.bitsPerSecond(t0 + 950 * MS));
        assertEquals(40_000, rate.bitsPerSecond(t0 + 1450 * MS), "the first five buckets fell out");
        assertEquals(0, rate.bitsPerSecond(t0 + 5000 * MS), "a long pause empties the window");
        rate.add(500, t0 + 5000 * MS);
        assertEquals(4000, rate.bitsPerSecond(t0 + 5050 * MS));
    }
}
