package io.framewire.plugin.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

/** The primitives on small known bit patterns (the codes are defined bit by bit, so bytes are the spec). */
class BitReaderTest {

    @Test
    void expGolombCodes() {
        // 1 | 010 | 011 | 00100 | 00101 | 0001000 -> ue 0,1,2,3; se of code 4 = -2; ue 7
        // bits: 1010 0110 0100 0010 1000 1000 (pad)
        byte[] b = {(byte) 0b1010_0110, (byte) 0b0100_0010, (byte) 0b1000_1000};
        BitReader r = new BitReader(b, 0, b.length, "test");
        assertEquals(0, r.ue());
        assertEquals(1, r.ue());
        assertEquals(2, r.ue());
        assertEquals(3, r.ue());
        assertEquals(-2, r.se());
        assertEquals(7, r.ue());
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> r.bits(8));
        assertEquals("test", e.field());
    }

    @Test
    void emulationPreventionIsRemoved() {
        byte[] escaped = {0x11, 0, 0, 3, 1, 0, 0, 3, 0, 0, 0, 3};
        assertArrayEquals(new byte[]{0x11, 0, 0, 1, 0, 0, 0, 0, 0},
                AnnexB.unescape(ByteBuffer.wrap(escaped), 0, escaped.length));
    }

    @Test
    void threeAndFourByteStartCodes() {
        // AUD with a 4-byte start code, then a NAL with a 3-byte one, trailing zeros dropped
        byte[] b = {0, 0, 0, 1, 0x09, (byte) 0xf0, 0, 0, 1, 0x41, 0x22, 0, 0};
        List<Unit> u = AnnexB.scan(ByteBuffer.wrap(b), Codec.H264);
        assertEquals(2, u.size());
        assertEquals(new Unit(9, 0, 4, 2, 5), u.get(0));
        assertEquals(new Unit(1, 6, 9, 2, 10), u.get(1));
    }
}
