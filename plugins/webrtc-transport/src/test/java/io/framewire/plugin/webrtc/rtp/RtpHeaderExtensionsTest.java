package io.framewire.plugin.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpHeaderExtensionsTest {

    private static final int PT = 102;
    private static final long SSRC = 0x1234_5678L;
    private static final RtpHeaderExtensions ZERO_PLAYOUT_DELAY =
            RtpHeaderExtensions.NONE.with(5, PlayoutDelay.data(0, 0));

    /** Makes a packetizer of one codec with a packet budget and header extensions. */
    private interface Factory {
        RtpPacketizer create(int maxPacketSize, RtpHeaderExtensions extensions);
    }

    private static final Factory H264 = (max, ext) -> new H264Packetizer(PT, SSRC, 65_530, max, ext);
    private static final Factory H265 = (max, ext) -> new H265Packetizer(PT, SSRC, 65_530, max, ext);
    private static final Factory AV1 = (max, ext) -> new Av1Packetizer(PT, SSRC, 65_530, max, ext);

    private final Random rnd = new Random(3);

    private byte[] h264AccessUnit() {
        return PacketCapture.annexB(List.of(PacketCapture.nal(rnd, 12, (byte) 0x67),
                PacketCapture.nal(rnd, 5, (byte) 0x68), PacketCapture.nal(rnd, 5000, (byte) 0x65)));
    }

    private byte[] h265AccessUnit() {
        return PacketCapture.annexB(List.of(PacketCapture.nal(rnd, 30, (byte) 0x40, (byte) 0x01),
                PacketCapture.nal(rnd, 4000, (byte) 0x26, (byte) 0x01)));
    }

    private byte[] av1TemporalUnit() {
        // temporal delimiter, then one OBU_FRAME of 3000 bytes with a 2-byte LEB128 size
        byte[] tu = new byte[2 + 3 + 3000];
        tu[0] = 0x12;
        tu[2] = 0x32;
        tu[3] = (byte) (0x80 | (3000 & 0x7F));
        tu[4] = (byte) (3000 >>> 7);
        for (int i = 5; i < tu.length; i++) {
            tu[i] = (byte) rnd.nextInt(256);
        }
        tu[5] = 0x10; // frame header: not shown-existing, KEY_FRAME
        return tu;
    }

    private static PacketCapture run(RtpPacketizer packetizer, byte[] accessUnit) {
        PacketCapture capture = new PacketCapture();
        packetizer.packetize(ByteBuffer.wrap(accessUnit), 9000, capture);
        return capture;
    }

    @Test
    void blockIsTheOneByteFormPaddedToWholeWords() {
        assertEquals(0, RtpHeaderExtensions.NONE.size());
        assertTrue(RtpHeaderExtensions.NONE.isEmpty());
        byte[] packet = new byte[16];
        ZERO_PLAYOUT_DELAY.writeTo(packet, 2);
        assertEquals(8, ZERO_PLAYOUT_DELAY.size());
        assertArrayEquals(new byte[] {0, 0, (byte) 0xBE, (byte) 0xDE, 0, 1, 0x52, 0, 0, 0, 0, 0, 0, 0, 0, 0}, packet);

        RtpHeaderExtensions two = ZERO_PLAYOUT_DELAY.with(3, (byte) 0x77);
        assertFalse(two.isEmpty());
        assertEquals(8, ZERO_PLAYOUT_DELAY.size(), "with() leaves the original alone");
        byte[] block = new byte[two.size()];
        two.writeTo(block, 0);
        assertArrayEquals(new byte[] {(byte) 0xBE, (byte) 0xDE, 0, 2, 0x52, 0, 0, 0, 0x30, 0x77, 0, 0}, block);
    }

    @Test
    void elementsTheOneByteFormCannotCarryAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RtpHeaderExtensions.NONE.with(0, (byte) 1));
        assertThrows(IllegalArgumentException.class, () -> RtpHeaderExtensions.NONE.with(15, (byte) 1));
        assertThrows(IllegalArgumentException.class, () -> RtpHeaderExtensions.NONE.with(1));
        assertThrows(IllegalArgumentException.class, () -> RtpHeaderExtensions.NONE.with(1, new byte[17]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZERO_PLAYOUT_DELAY.with(5, (byte) 1));
        assertTrue(e.getMessage().contains("already used"), e.getMessage());
    }

    @Test
    void packetizersWriteTheExtensionInPlaceAndTheReaderFindsIt() {
        assertExtensionWrittenInPlace(H264, h264AccessUnit());
        assertExtensionWrittenInPlace(H265, h265AccessUnit());
        assertExtensionWrittenInPlace(AV1, av1TemporalUnit());
    }

    /**
     * With the extension, every packet is the packet written without it for a budget smaller by
     * the extension's size, plus the X bit and the block: same payloads, same number of packets,
     * and the full budget is used.
     */
    private static void assertExtensionWrittenInPlace(Factory factory, byte[] accessUnit) {
        int max = 300;
        PacketCapture with = run(factory.create(max, ZERO_PLAYOUT_DELAY), accessUnit);
        PacketCapture without = run(factory.create(max - ZERO_PLAYOUT_DELAY.size(), RtpHeaderExtensions.NONE),
                accessUnit);
        assertEquals(without.packets.size(), with.packets.size(), "packet count");
        int largest = 0;
        for (int i = 0; i < with.packets.size(); i++) {
            byte[] p = with.packets.get(i);
            byte[] plain = without.packets.get(i);
            RtpPacket rtp = RtpPacket.wrap(p);
            assertTrue(rtp.hasExtension(), "X bit of packet " + i);
            assertEquals(20, rtp.headerLength());
            assertArrayEquals(new byte[3], rtp.oneByteExtension(5).orElseThrow(), "playout delay 0/0");
            assertEquals((plain[0] & 0xFF) | 0x10, p[0] & 0xFF, "X bit added, the rest kept");
            assertArrayEquals(Arrays.copyOfRange(plain, 1, 12), Arrays.copyOfRange(p, 1, 12), "header of packet " + i);
            assertArrayEquals(Arrays.copyOfRange(plain, 12, plain.length), Arrays.copyOfRange(p, 20, p.length),
                    "payload of packet " + i);
            largest = Math.max(largest, p.length);
        }
        assertEquals(max, largest, "fragments fill the budget, extension included");
    }

    @Test
    void budgetTooSmallForTheExtensionIsRefused() {
        assertEquals(40, new H264Packetizer(PT, SSRC, 0, 40, ZERO_PLAYOUT_DELAY).maxPacketSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new H264Packetizer(PT, SSRC, 0, 39, ZERO_PLAYOUT_DELAY));
        assertTrue(e.getMessage().contains("must be 40..65535 bytes (8 of them header extensions)"), e.getMessage());
    }

    @Test
    void sinkMayOverwriteThePacketAndItsSpareBytes() {
        byte[] accessUnit = h264AccessUnit();
        PacketCapture expected = run(H264.create(300, ZERO_PLAYOUT_DELAY), accessUnit);
        List<byte[]> got = new ArrayList<>();
        H264.create(300, ZERO_PLAYOUT_DELAY).packetize(ByteBuffer.wrap(accessUnit), 9000, (packet, length, marker) -> {
            assertTrue(packet.length >= length + PacketSink.SPARE_BYTES, "spare bytes after the packet");
            got.add(Arrays.copyOf(packet, length));
            Arrays.fill(packet, 0, length + PacketSink.SPARE_BYTES, (byte) 0xFF); // as in-place SRTP would
        });
        assertEquals(expected.packets.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(expected.packets.get(i), got.get(i), "packet " + i);
        }
    }

    /**
     * Packetizes an access unit with these extensions, then checks in every packet that the slot
     * is where {@link RtpHeaderExtensions#transportSequenceOffset()} says (the reader finds the
     * element there), that writing a number there changes those two bytes only, and that the
     * other elements are intact.
     */
    private void assertSlot(RtpHeaderExtensions extensions, int id, int expectedOffset) {
        assertEquals(expectedOffset, extensions.transportSequenceOffset());
        assertEquals(id, extensions.transportSequenceId());
        PacketCapture capture = run(H264.create(300, extensions), h264AccessUnit());
        assertTrue(capture.packets.size() > 3);
        int seq = 0xFFFE;
        for (byte[] p : capture.packets) {
            RtpPacket rtp = RtpPacket.wrap(p);
            assertEquals(12 + extensions.size(), rtp.headerLength());
            assertEquals(expectedOffset, rtp.oneByteExtensionOffset(id), "the reader finds the slot there");
            assertEquals(0, rtp.transportSequence(id), "written as 0 by the packetizer");
            byte[] before = p.clone();
            RtpPacket.writeTransportSequence(p, extensions.transportSequenceOffset(), seq);
            assertEquals(seq & 0xFFFF, rtp.transportSequence(id));
            assertEquals((seq >>> 8) & 0xFF, p[expectedOffset] & 0xFF, "big-endian");
            for (int i = 0; i < p.length; i++) {
                if (i != expectedOffset && i != expectedOffset + 1) {
                    assertEquals(before[i], p[i], "byte " + i + " untouched");
                }
            }
            rtp.oneByteExtension(5).ifPresent(d -> assertArrayEquals(new byte[3], d, "playout delay intact"));
            seq++; // wraps past 65535: the low 16 bits are written
        }
    }

    @Test
    void transportSequenceSlotAlone() {
        RtpHeaderExtensions slot = RtpHeaderExtensions.NONE.withTransportSequenceSlot(3);
        assertEquals(8, slot.size());
        byte[] block = new byte[slot.size()];
        slot.writeTo(block, 0);
        assertArrayEquals(new byte[] {(byte) 0xBE, (byte) 0xDE, 0, 1, 0x31, 0, 0, 0}, block);
        assertSlot(slot, 3, 17);
    }

    @Test
    void transportSequenceSlotIsFoundWhereverItIsInTheBlock() {
        // after playout delay (id 5, 3 bytes): 12 + 4 + 4 + 1
        RtpHeaderExtensions after = ZERO_PLAYOUT_DELAY.withTransportSequenceSlot(3);
        assertEquals(12, after.size());
        assertSlot(after, 3, 21);
        // before playout delay: with() keeps the slot's place
        RtpHeaderExtensions before = RtpHeaderExtensions.NONE.withTransportSequenceSlot(4)
                .with(5, PlayoutDelay.data(0, 0));
        assertEquals(12, before.size());
        assertSlot(before, 4, 17);
        // between a one-byte element and playout delay
        RtpHeaderExtensions between = RtpHeaderExtensions.NONE.with(1, (byte) 7).withTransportSequenceSlot(14)
                .with(5, PlayoutDelay.data(0, 0));
        assertSlot(between, 14, 19);
        assertArrayEquals(new byte[] {7}, RtpPacket.wrap(run(H264.create(300, between), h264AccessUnit())
                .packets.get(0)).oneByteExtension(1).orElseThrow());
    }

    @Test
    void noSlotAndBadSlotsAreReportedOrRefused() {
        assertEquals(-1, RtpHeaderExtensions.NONE.transportSequenceOffset());
        assertEquals(-1, ZERO_PLAYOUT_DELAY.transportSequenceOffset());
        assertEquals(0, ZERO_PLAYOUT_DELAY.transportSequenceId());
        assertEquals(-1, RtpPacket.wrap(run(H264.create(300, ZERO_PLAYOUT_DELAY), h264AccessUnit())
                .packets.get(0)).transportSequence(3));
        RtpHeaderExtensions slot = RtpHeaderExtensions.NONE.withTransportSequenceSlot(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> slot.withTransportSequenceSlot(4));
        assertTrue(e.getMessage().contains("already have a transport sequence slot"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ZERO_PLAYOUT_DELAY.withTransportSequenceSlot(5));
        assertThrows(IllegalArgumentException.class, () -> RtpHeaderExtensions.NONE.withTransportSequenceSlot(0));
        assertThrows(IllegalArgumentException.class, () -> RtpHeaderExtensions.NONE.withTransportSequenceSlot(15));
        assertThrows(IllegalArgumentException.class, () -> slot.with(3, (byte) 1));
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.writeTransportSequence(new byte[20], 19, 1));
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.writeTransportSequence(new byte[20], -1, 1));
    }
}
