package io.framewire.plugin.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtxPacketsTest {

    private static final int PT = 109;
    private static final int RTX_PT = 114;
    private static final long SSRC = 0x1234_5678L;
    private static final long RTX_SSRC = 0xF00D_CAFEL;
    private static final RtpHeaderExtensions EXTENSIONS =
            RtpHeaderExtensions.NONE.with(5, PlayoutDelay.data(0, 0)).withTransportSequenceSlot(3);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** Packets of one H264 access unit, with playout delay and a transport sequence slot. */
    private static PacketCapture accessUnit() {
        Random rnd = new Random(7);
        byte[] au = PacketCapture.annexB(List.of(PacketCapture.nal(rnd, 12, (byte) 0x67),
                PacketCapture.nal(rnd, 5, (byte) 0x68), PacketCapture.nal(rnd, 3000, (byte) 0x65)));
        PacketCapture capture = new PacketCapture();
        new H264Packetizer(PT, SSRC, 65_534, 1200, EXTENSIONS).packetize(ByteBuffer.wrap(au), 0xFFFF_FFF0L, capture);
        return capture;
    }

    @Test
    void wrapKeepsTheHeaderAndPrefixesTheOriginalSequenceNumber() {
        PacketCapture capture = accessUnit();
        assertTrue(capture.packets.size() >= 3);
        int rtxSeq = 65_535;
        for (byte[] original : capture.packets) {
            RtpPacket.writeTransportSequence(original, EXTENSIONS.transportSequenceOffset(), 4242);
            RtpPacket o = RtpPacket.wrap(original);
            byte[] rtx = RtxPackets.wrap(original, original.length, RTX_PT, RTX_SSRC, rtxSeq);
            assertEquals(original.length + 2, rtx.length);
            RtpPacket r = RtpPacket.wrap(rtx);
            assertEquals(RTX_PT, r.payloadType());
            assertEquals(RTX_SSRC, r.ssrc());
            assertEquals(rtxSeq & 0xFFFF, r.sequenceNumber());
            assertEquals(o.marker(), r.marker(), "marker kept");
            assertEquals(o.timestamp(), r.timestamp(), "timestamp kept");
            assertEquals(original[0], rtx[0], "V/P/X/CC kept");
            assertEquals(o.headerLength(), r.headerLength());
            assertArrayEquals(Arrays.copyOfRange(original, 12, o.headerLength()),
                    Arrays.copyOfRange(rtx, 12, r.headerLength()), "extension block copied");
            assertArrayEquals(new byte[3], r.oneByteExtension(5).orElseThrow());
            assertEquals(4242, r.transportSequence(3), "slot copied, still to be overwritten");
            assertEquals(EXTENSIONS.transportSequenceOffset(), r.oneByteExtensionOffset(3), "slot at the same place");
            assertEquals(o.sequenceNumber(), Bytes.u16(rtx, r.headerLength()), "OSN first");
            assertArrayEquals(Arrays.copyOfRange(original, o.headerLength(), original.length),
                    Arrays.copyOfRange(rtx, r.headerLength() + 2, rtx.length), "then the original payload");
            assertArrayEquals(original, RtxPackets.unwrap(rtx, rtx.length, PT, SSRC), "unwrap restores it");
            rtxSeq++;
        }
        assertTrue(capture.markers.get(capture.markers.size() - 1));
        assertEquals(0, RtpPacket.wrap(RtxPackets.wrap(capture.packets.get(0), capture.packets.get(0).length,
                RTX_PT, RTX_SSRC, 0x1_0000)).sequenceNumber(), "low 16 bits of the RTX sequence number");
    }

    @Test
    void onlyTheGivenLengthIsResent() {
        byte[] original = accessUnit().packets.get(0);
        byte[] buffer = Arrays.copyOf(original, original.length + PacketSink.SPARE_BYTES + 10);
        Arrays.fill(buffer, original.length, buffer.length, (byte) 0x5A);
        assertArrayEquals(RtxPackets.wrap(original, original.length, RTX_PT, RTX_SSRC, 1),
                RtxPackets.wrap(buffer, original.length, RTX_PT, RTX_SSRC, 1));
    }

    @Test
    void csrcsPaddingAndNoExtensionAreHandled() {
        // P bit, 2 CSRCs, marker, PT 96, seq 0x0102; payload ABCD, 3 bytes of padding (count 3)
        byte[] original = hex("A2 E0 0102 11223344 55667788 AAAAAAAA BBBBBBBB ABCD 0000 03");
        byte[] rtx = RtxPackets.wrap(original, original.length, 97, 0x99, 0x0500);
        assertArrayEquals(hex("A2 E1 0500 11223344 00000099 AAAAAAAA BBBBBBBB 0102 ABCD 0000 03"), rtx);
        assertArrayEquals(original, RtxPackets.unwrap(rtx, rtx.length, 96, 0x55667788L));
        // plain 12-byte header, empty payload: the RTX payload is the OSN alone
        byte[] empty = hex("80 60 FFFF 00000001 00000002");
        byte[] rtxEmpty = RtxPackets.wrap(empty, empty.length, 97, 3, 4);
        assertArrayEquals(hex("80 61 0004 00000001 00000003 FFFF"), rtxEmpty);
        assertArrayEquals(empty, RtxPackets.unwrap(rtxEmpty, rtxEmpty.length, 96, 2));
    }

    @Test
    void malformedInputIsRefusedWithTheReason() {
        byte[] good = hex("80 60 0001 00000001 00000002 AB");
        assertRefused(null, 0, "no original packet");
        assertRefused(hex("80 60 0001 0000"), 6, "shorter than the 12-byte fixed header");
        assertRefused(hex("40 60 0001 00000001 00000002 AB"), 13, "version 1");
        assertRefused(hex("90 60 0001 00000001 00000002 BEDE 0004 12345678"), 20, "longer than the");
        assertRefused(hex("A0 60 0001 00000001 00000002 AB 00"), 14, "padding count of 0");
        assertRefused(hex("A0 60 0001 00000001 00000002 AB 05"), 14, "padding count of 5");
        assertRefused(good, good.length + 1, "outside");
        assertRefused(good, -1, "outside");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtxPackets.wrap(good, good.length, 128, RTX_SSRC, 0));
        assertTrue(e.getMessage().contains("payload type"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RtxPackets.wrap(good, good.length, 96, -1, 0));
        assertTrue(e.getMessage().contains("SSRC"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RtxPackets.wrap(good, good.length, 96, 1L << 32, 0));
        assertTrue(e.getMessage().contains("SSRC"), e.getMessage());
        // unwrap: no room for the OSN
        e = assertThrows(IllegalArgumentException.class, () -> RtxPackets.unwrap(good, good.length, 96, 1));
        assertTrue(e.getMessage().contains("original sequence number"), e.getMessage());
    }

    private static void assertRefused(byte[] packet, int length, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtxPackets.wrap(packet, length, RTX_PT, RTX_SSRC, 0));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains("RTX"), e.getMessage());
    }
}
