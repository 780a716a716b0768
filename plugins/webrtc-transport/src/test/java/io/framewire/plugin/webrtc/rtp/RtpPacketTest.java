package io.framewire.plugin.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void bytesAreBigEndianAndUnsigned() {
        byte[] b = hex("FF FE 80 00 01 FF FF FF FF");
        assertEquals(0xFFFE, Bytes.u16(b, 0));
        assertEquals(0x80_0001, Bytes.u24(b, 2));
        assertEquals(0xFFFF_FFFFL, Bytes.u32(b, 5));
        assertEquals(-1, Bytes.i32(b, 5));
        byte[] out = new byte[6];
        Bytes.put16(out, 0, 0x1_ABCD); // only the low 16 bits
        Bytes.put32(out, 2, 0x1_8765_4321L);
        assertArrayEquals(hex("ABCD 87654321"), out);
    }

    @Test
    void readsTheFixedHeader() {
        byte[] p = hex("80 E0 FF FE 12345678 DEADBEEF 0102");
        RtpPacket rtp = RtpPacket.wrap(p);
        assertTrue(rtp.marker());
        assertEquals(96, rtp.payloadType());
        assertEquals(0xFFFE, rtp.sequenceNumber());
        assertEquals(0x1234_5678L, rtp.timestamp());
        assertEquals(0xDEAD_BEEFL, rtp.ssrc());
        assertEquals(0, rtp.csrcCount());
        assertFalse(rtp.hasExtension());
        assertEquals(12, rtp.headerLength());
        assertEquals(2, rtp.payloadLength());
        assertTrue(rtp.oneByteExtension(1).isEmpty());
    }

    @Test
    void headerLengthCountsCsrcsAndTheExtension() {
        // offset 3 in a larger array; 2 CSRCs; one-byte extension block of 2 words:
        // id 1 (2 bytes), a padding byte, id 5 (3 bytes)
        byte[] p = hex("AAAAAA"
                + "92 61 0010 00000001 00000002"
                + "11111111 22222222"
                + "BEDE 0002 11 CAFE 00 52 010203"
                + "DDDD EE");
        RtpPacket rtp = RtpPacket.wrap(p, 3, p.length - 3);
        assertEquals(2, rtp.csrcCount());
        assertTrue(rtp.hasExtension());
        assertFalse(rtp.marker());
        assertEquals(0x61, rtp.payloadType());
        assertEquals(16, rtp.sequenceNumber());
        assertEquals(2, rtp.ssrc());
        assertEquals(12 + 8 + 4 + 8, rtp.headerLength());
        assertEquals(3, rtp.payloadLength());
        assertEquals(p.length - 3, rtp.length());
        assertArrayEquals(hex("CAFE"), rtp.oneByteExtension(1).orElseThrow());
        assertArrayEquals(hex("010203"), rtp.oneByteExtension(5).orElseThrow());
        assertTrue(rtp.oneByteExtension(2).isEmpty());
    }

    @Test
    void twoByteExtensionFormIsNotReadAsOneByteElements() {
        byte[] p = hex("90 60 0001 00000000 00000001 1000 0001 0501 AA 00");
        RtpPacket rtp = RtpPacket.wrap(p);
        assertEquals(20, rtp.headerLength());
        assertTrue(rtp.oneByteExtension(5).isEmpty());
    }

    @Test
    void elementRunningPastTheBlockIsRefused() {
        byte[] p = hex("90 60 0001 00000000 00000001 BEDE 0001 00 00 13 AA");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtpPacket.wrap(p).oneByteExtension(1));
        assertTrue(e.getMessage().contains("runs past the header extension"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.wrap(p).oneByteExtension(15));
    }

    @Test
    void badAndShortPacketsAreRefusedWithTheReason() {
        assertRefused(hex("80 60 0001 00000000 000000"), "shorter than the 12-byte fixed header");
        assertRefused(hex("40 60 0001 00000000 00000001"), "version 1, expected 2");
        assertRefused(hex("82 60 0001 00000000 00000001 00000002"), "longer than the 16-byte packet");
        assertRefused(hex("90 60 0001 00000000 00000001 BEDE"), "ends inside");
        assertRefused(hex("90 60 0001 00000000 00000001 BEDE 0002 11 CAFE 00"), "longer than the 20-byte packet");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtpPacket.wrap(new byte[20], 10, 12));
        assertTrue(e.getMessage().contains("outside a 20-byte array"), e.getMessage());
    }

    private static void assertRefused(byte[] packet, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RtpPacket.wrap(packet));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
