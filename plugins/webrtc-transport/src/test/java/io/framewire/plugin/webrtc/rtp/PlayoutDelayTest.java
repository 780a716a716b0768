package io.framewire.plugin.webrtc.rtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlayoutDelayTest {
    private static byte[] packet() {
        byte[] p = new byte[20];
        p[0] = (byte) 0x80;            // V=2, no X, no CSRC
        p[1] = (byte) (0x80 | 102);    // marker, PT 102
        p[2] = 0x12;
        p[3] = 0x34;                   // sequence
        for (int i = 12; i < 20; i++) {
            p[i] = (byte) i;           // payload
        }
        return p;
    }

    @Test
    void insertsAOneByteExtensionWithZeroDelays() {
        byte[] in = packet();
        byte[] out = new byte[64];
        int length = PlayoutDelay.insertZeroDelay(in, in.length, 5, out);
        assertEquals(28, length);
        assertEquals((byte) 0x90, out[0], "X bit set, version kept");
        assertEquals(in[1], out[1], "marker and payload type kept");
        assertArrayEquals(Arrays.copyOfRange(in, 2, 12), Arrays.copyOfRange(out, 2, 12), "seq, timestamp, SSRC kept");
        assertArrayEquals(new byte[] {(byte) 0xBE, (byte) 0xDE, 0, 1, 0x52, 0, 0, 0}, Arrays.copyOfRange(out, 12, 20),
                "RFC 8285 one-byte header: id 5, three bytes of min=0/max=0");
        assertArrayEquals(Arrays.copyOfRange(in, 12, 20), Arrays.copyOfRange(out, 20, 28), "payload follows");
    }

    @Test
    void keepsCsrcsBeforeTheExtension() {
        byte[] in = new byte[24];
        in[0] = (byte) 0x81; // one CSRC
        for (int i = 12; i < 16; i++) {
            in[i] = 7;
        }
        byte[] out = new byte[64];
        PlayoutDelay.insertZeroDelay(in, in.length, 3, out);
        assertEquals(7, out[15]);
        assertEquals((byte) 0xBE, out[16]);
    }

    @Test
    void refusesWhatItCannotExtend() {
        byte[] out = new byte[64];
        assertThrows(IllegalArgumentException.class, () -> PlayoutDelay.insertZeroDelay(packet(), 20, 15, out));
        byte[] extended = packet();
        extended[0] = (byte) 0x90;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlayoutDelay.insertZeroDelay(extended, 20, 5, out));
        assertTrue(e.getMessage().contains("already carries header extensions"));
        assertThrows(IllegalArgumentException.class, () -> PlayoutDelay.insertZeroDelay(packet(), 20, 5, new byte[20]));
    }
}
