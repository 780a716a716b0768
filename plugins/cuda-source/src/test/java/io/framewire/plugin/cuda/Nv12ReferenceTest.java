package io.framewire.plugin.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BT.601 limited range: the reference's known values. */
class Nv12ReferenceTest {
    @Test
    void knownColours() {
        assertEquals(235, Nv12Reference.y(255, 255, 255));
        assertEquals(16, Nv12Reference.y(0, 0, 0));
        assertEquals(128, Nv12Reference.u(255, 255, 255));
        assertEquals(128, Nv12Reference.v(0, 0, 0));
        assertEquals(82, Nv12Reference.y(255, 0, 0));
        assertEquals(90, Nv12Reference.u(255, 0, 0));
        assertEquals(240, Nv12Reference.v(255, 0, 0));
        assertEquals(240, Nv12Reference.u(0, 0, 255));
        assertEquals(16, Nv12Reference.u(255, 255, 0));
    }

    @Test
    void chromaComesFromTheRoundedTwoByTwoAverage() {
        // 2x2 BGRA: red, black / black, black -> average R = (255 + 2) >> 2 = 64
        byte[] bgra = new byte[16];
        bgra[2] = (byte) 255;
        byte[] nv12 = Nv12Reference.convert(bgra, 8, 2, 2, 2);
        assertEquals(82, nv12[0] & 0xFF);
        assertEquals(16, nv12[1] & 0xFF);
        assertEquals(Nv12Reference.u(64, 0, 0), nv12[4] & 0xFF);
        assertEquals(Nv12Reference.v(64, 0, 0), nv12[5] & 0xFF);
    }
}
