package io.framewire.plugin.webrtc.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.plugin.webrtc.rtp.Rtcp;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransportFeedbackTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** Header (20 bytes) with the given base, count, reference and fb count; the caller appends the rest. */
    private static int[] header(int words, int base, int count, int reference, int fbCount, int... rest) {
        int[] h = {0x8F, 205, words >> 8, words & 0xFF, 0, 0, 0, 1, 0, 0, 0, 2,
            base >> 8, base & 0xFF, count >> 8, count & 0xFF,
            reference >> 16 & 0xFF, reference >> 8 & 0xFF, reference & 0xFF, fbCount};
        int[] all = Arrays.copyOf(h, h.length + rest.length);
        System.arraycopy(rest, 0, all, h.length, rest.length);
        return all;
    }

    private static TransportFeedback parse(int... v) {
        byte[] b = bytes(v);
        return TransportFeedback.parse(b, 0, b.length);
    }

    @Test
    void browserCapturedFeedbackWithRtcpPaddingBit() {
        // captured from Chrome (pion/rtcp's test vector): two-bit vector, then a run of 48 "not
        // received" that overshoots the status count of 9; P bit set, one byte of padding
        byte[] data = bytes(0xaf, 0xcd, 0x00, 0x07, 0x9b, 0x74, 0xf6, 0x1f, 0x93, 0x71, 0xdc, 0xbc,
                0x85, 0x3c, 0x00, 0x09, 0x63, 0xf9, 0x16, 0xb3, 0xd5, 0x52, 0x00, 0x30,
                0x9b, 0xaa, 0x6a, 0xaa, 0x7b, 0x01, 0x09, 0x01);
        TransportFeedback fb = assertInstanceOf(TransportFeedback.class, Rtcp.parse(data).get(0));
        assertEquals(2608133663L, fb.senderSsrc());
        assertEquals(2473712828L, fb.mediaSsrc());
        assertEquals(34108, fb.baseSequence());
        assertEquals(179, fb.feedbackCount());
        long ref = 6551830L * 64_000;
        assertEquals(ref, fb.referenceTimeMicros());
        assertEquals(9, fb.packets().size());
        long[] expected = {ref + 38_750, ref + 81_250, ref + 107_750, ref + 150_250, ref + 181_000, -1,
            ref + 247_250, -1, -1};
        for (int i = 0; i < 9; i++) {
            TransportFeedback.PacketStatus p = fb.packets().get(i);
            assertEquals(34108 + i, p.sequence());
            assertEquals(expected[i], p.arrivalMicros(), "packet " + i);
            assertEquals(expected[i] >= 0, p.received());
        }
    }

    @Test
    void runLengthOfSmallDeltasWithPadding() {
        // Chrome-style: run of 7 small deltas, 3 bytes of RTCP padding (pion/rtcp's example 4)
        byte[] data = bytes(0xaf, 0xcd, 0x0, 0x7, 0xfa, 0x17, 0xfa, 0x17, 0x19, 0x3d, 0xd8, 0xbb,
                0x0, 0x4, 0x0, 0x7, 0x10, 0x63, 0x6e, 0x1, 0x20, 0x7, 0x4c, 0x24, 0x24, 0x10, 0xc, 0xc,
                0x10, 0x0, 0x0, 0x3);
        TransportFeedback fb = (TransportFeedback) Rtcp.parse(data).get(0);
        long ref = 1074030L * 64_000;
        long[] deltas = {19_000, 9_000, 9_000, 4_000, 3_000, 3_000, 4_000};
        long t = ref;
        for (int i = 0; i < 7; i++) {
            t += deltas[i];
            assertEquals(new TransportFeedback.PacketStatus(4 + i, true, t), fb.packets().get(i));
        }
    }

    @Test
    void oneBitVectorAndZeroPaddingWithoutPaddingBit() {
        // 14 one-bit symbols 1,1,0,1,0...; status count 4 uses the first 4; deltas 1, 2, 3 ticks;
        // 20 + 2 + 3 = 25 bytes, 3 zero bytes pad to 28 without the P bit
        TransportFeedback fb = parse(header(6, 100, 4, 10, 0, 0xB4, 0x00, 1, 2, 3, 0, 0, 0));
        assertEquals(List.of(new TransportFeedback.PacketStatus(100, true, 640_250),
                new TransportFeedback.PacketStatus(101, true, 640_750),
                new TransportFeedback.PacketStatus(102, false, -1),
                new TransportFeedback.PacketStatus(103, true, 641_500)), fb.packets());
    }

    @Test
    void twoBitVectorWithLargeAndNegativeDeltasAcrossSequenceWrap() {
        // symbols 2,1,2,0 (0b11 10 01 10 00 00 00 00 = 0xE600): +8000 ticks (2 s), +255, -4 ticks
        TransportFeedback fb = parse(header(7, 0xFFFE, 4, 0, 0, 0xE6, 0x00, 0x1F, 0x40, 0xFF, 0xFF, 0xFC, 0, 0, 0));
        long t1 = 2_000_000;
        long t2 = t1 + 255 * 250;
        long t3 = t2 - 1000;
        assertEquals(List.of(new TransportFeedback.PacketStatus(0xFFFE, true, t1),
                new TransportFeedback.PacketStatus(0xFFFF, true, t2),
                new TransportFeedback.PacketStatus(0, true, t3),
                new TransportFeedback.PacketStatus(1, false, -1)), fb.packets());
    }

    @Test
    void longRunOfLostPackets() {
        // run of 300 not received, then a run of 1 small delta
        TransportFeedback fb = parse(header(6, 5, 301, 1, 9, 0x01, 0x2C, 0x20, 0x01, 0x04, 0, 0, 0));
        assertEquals(301, fb.packets().size());
        assertTrue(fb.packets().subList(0, 300).stream().noneMatch(TransportFeedback.PacketStatus::received));
        assertEquals(new TransportFeedback.PacketStatus(305, true, 64_000 + 1000), fb.packets().get(300));
    }

    @Test
    void writerRoundTripsThroughRtcpParse() {
        Random random = new Random(1);
        for (int round = 0; round < 200; round++) {
            int count = 1 + random.nextInt(400);
            long[] arrivals = new long[count];
            long t = 1_000_000 + random.nextInt(1_000_000);
            arrivals[0] = t;
            for (int i = 1; i < count; i++) {
                t += random.nextInt(10) == 0 ? -random.nextInt(4000) : random.nextInt(random.nextBoolean() ? 64_000 : 200_000);
                arrivals[i] = random.nextInt(5) == 0 ? -1 : t;
            }
            int base = random.nextInt(65536);
            byte[] data = FeedbackWriter.write(base, arrivals, round, random.nextBoolean());
            TransportFeedback fb = (TransportFeedback) Rtcp.parse(data).get(0);
            assertEquals(count, fb.packets().size());
            for (int i = 0; i < count; i++) {
                TransportFeedback.PacketStatus p = fb.packets().get(i);
                assertEquals((base + i) & 0xFFFF, p.sequence());
                assertEquals(arrivals[i] >= 0, p.received());
                if (arrivals[i] >= 0) {
                    assertTrue(Math.abs(p.arrivalMicros() - arrivals[i]) <= 125, "quantized to 250 µs");
                }
            }
        }
    }

    @Test
    void compoundReceiverReportAndTransportFeedback() {
        byte[] rr = bytes(0x81, 201, 0, 7, 0, 0, 0x11, 0x11, 0, 0, 0xAA, 0xAA, 64, 0, 0, 5,
                0, 1, 0, 0x10, 0, 0, 1, 0x41, 0x12, 0x34, 0x56, 0x78, 0, 2, 0, 0);
        byte[] fb = FeedbackWriter.write(7, new long[] {1000, -1, 2000}, 3, true);
        byte[] compound = Arrays.copyOf(rr, rr.length + fb.length);
        System.arraycopy(fb, 0, compound, rr.length, fb.length);
        List<Rtcp.Packet> packets = Rtcp.parse(compound);
        assertEquals(2, packets.size());
        assertInstanceOf(Rtcp.ReceiverReport.class, packets.get(0));
        TransportFeedback t = assertInstanceOf(TransportFeedback.class, packets.get(1));
        assertEquals(3, t.feedbackCount());
        assertFalse(t.packets().get(1).received());
        assertEquals(2000, t.packets().get(2).arrivalMicros());
    }

    @Test
    void malformedInputGivesClearIllegalArgumentException() {
        assertMessage("16 bytes, needs at least 20", Arrays.copyOf(header(3, 0, 1, 0, 0), 16));
        assertMessage("status chunks end after 0 of 1", header(4, 0, 1, 0, 0));
        assertMessage("status count is 0", header(4, 0, 0, 0, 0, 0x20, 0x01, 0x04, 0));
        assertMessage("status chunks end after 7 of 20", header(4, 0, 20, 0, 0, 0xD5, 0x55));
        assertMessage("reserved status symbol 3 in a run length chunk", header(4, 0, 1, 0, 0, 0x60, 0x01, 0, 0));
        assertMessage("reserved status symbol 3 in a two-bit", header(4, 0, 1, 0, 0, 0xF0, 0x00, 0, 0));
        assertMessage("run length chunk with length 0", header(4, 0, 1, 0, 0, 0x20, 0x00, 0, 0));
        assertMessage("receive delta of packet 0 needs 2 bytes, 0 remain", header(4, 0, 1, 0, 0, 0x40, 0x01));
        assertMessage("receive delta of packet 2 needs 1 bytes, 0 remain",
                header(5, 0, 3, 0, 0, 0x20, 0x03, 1, 1));
        assertMessage("5 stray bytes", header(6, 0, 1, 0, 0, 0x20, 0x01, 1, 0, 0, 0, 0, 0));
        // through Rtcp.parse the message says where
        byte[] bad = bytes(header(4, 0, 0, 0, 0, 0x20, 0x01, 0x04, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rtcp.parse(bad));
        assertTrue(e.getMessage().startsWith("RTCP: packet type 205/15 at offset 0: transport-cc: "), e.getMessage());
    }

    @Test
    void randomGarbageNeverThrowsAnythingButIllegalArgument() {
        Random random = new Random(9);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[20 + random.nextInt(40)];
            random.nextBytes(data);
            try {
                TransportFeedback.parse(data, 0, data.length);
            } catch (IllegalArgumentException expected) {
                // fine
            }
        }
    }

    private static void assertMessage(String part, int... data) {
        byte[] b = bytes(data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportFeedback.parse(b, 0, b.length));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
