package io.framewire.plugin.webrtc.rtp;

import static io.framewire.plugin.webrtc.rtp.PacketCapture.annexB;
import static io.framewire.plugin.webrtc.rtp.PacketCapture.assertNalsEqual;
import static io.framewire.plugin.webrtc.rtp.PacketCapture.nal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class H264PacketizerTest {

    static final int PT = 106;
    static final long SSRC = 0xCAFEBABEL;
    static final int MAX = 1200;
    static final int MAX_PAYLOAD = MAX - 12;

    final Random rnd = new Random(6184);

    /** RFC 6184 depacketizer (single NAL, STAP-A, FU-A) used to check the packetizer. */
    static List<byte[]> depacketize(List<byte[]> packets) {
        List<byte[]> nals = new ArrayList<>();
        ByteArrayOutputStream fu = null;
        for (byte[] p : packets) {
            byte[] payload = Arrays.copyOfRange(p, 12, p.length);
            int type = payload[0] & 0x1F;
            if (type >= 1 && type <= 23) {
                assertTrue(fu == null, "single NAL inside an unfinished FU-A");
                nals.add(payload);
            } else if (type == 24) {
                assertTrue(fu == null, "STAP-A inside an unfinished FU-A");
                int off = 1;
                int count = 0;
                while (off < payload.length) {
                    int size = ((payload[off] & 0xFF) << 8) | (payload[off + 1] & 0xFF);
                    nals.add(Arrays.copyOfRange(payload, off + 2, off + 2 + size));
                    off += 2 + size;
                    count++;
                }
                assertEquals(payload.length, off, "STAP-A sizes add up");
                assertTrue(count >= 2, "STAP-A with one NAL");
            } else if (type == 28) {
                int indicator = payload[0] & 0xFF;
                int header = payload[1] & 0xFF;
                boolean s = (header & 0x80) != 0;
                boolean e = (header & 0x40) != 0;
                assertFalse(s && e, "FU-A with both S and E");
                assertEquals(0, header & 0x20, "FU-A reserved bit");
                if (s) {
                    assertTrue(fu == null, "FU-A start inside a FU-A");
                    fu = new ByteArrayOutputStream();
                    fu.write((indicator & 0xE0) | (header & 0x1F));
                } else {
                    assertTrue(fu != null, "FU-A continuation without start");
                }
                fu.write(payload, 2, payload.length - 2);
                if (e) {
                    nals.add(fu.toByteArray());
                    fu = null;
                }
            } else {
                throw new AssertionError("unexpected NAL/packet type " + type);
            }
        }
        assertTrue(fu == null, "unfinished FU-A at the end of the access unit");
        return nals;
    }

    private PacketCapture run(H264Packetizer p, List<byte[]> nals, long ts) {
        PacketCapture c = new PacketCapture();
        int first = p.nextSequenceNumber();
        p.packetize(ByteBuffer.wrap(annexB(nals)), ts, c);
        c.assertAccessUnit(PT, SSRC, ts, first, p.maxPacketSize());
        assertNalsEqual(nals, depacketize(c.packets));
        return c;
    }

    static byte[] sps(Random r) {
        return nal(r, 14, (byte) 0x67);
    }

    static byte[] pps(Random r) {
        return nal(r, 4, (byte) 0x68);
    }

    @Test
    void spsPpsAndSmallSliceShareOneStapA() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 1000);
        List<byte[]> nals = List.of(sps(rnd), pps(rnd), nal(rnd, 300, (byte) 0x65));
        PacketCapture c = run(p, nals, 1234);
        assertEquals(1, c.packets.size());
        byte[] payload = c.packets.get(0);
        assertEquals(24, payload[12] & 0x1F, "STAP-A");
        assertEquals(0x60, payload[12] & 0x60, "STAP-A NRI is the highest NRI (3)");
        assertEquals(0, payload[12] & 0x80, "F bit");
    }

    @Test
    void spsPpsAggregatedBeforeFragmentedIdr() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 7);
        List<byte[]> nals = List.of(sps(rnd), pps(rnd), nal(rnd, 5000, (byte) 0x65));
        PacketCapture c = run(p, nals, 9);
        assertEquals(24, c.packets.get(0)[12] & 0x1F, "SPS+PPS in a STAP-A");
        assertEquals(2 + 14 + 2 + 4 + 1 + 12, c.packets.get(0).length);
        for (int i = 1; i < c.packets.size(); i++) {
            byte[] pk = c.packets.get(i);
            assertEquals(28, pk[12] & 0x1F, "FU-A");
            assertEquals(0x60, pk[12] & 0xE0, "FU indicator keeps F and NRI of the IDR");
            assertEquals(5, pk[13] & 0x1F, "FU header type = IDR");
            assertEquals(i == 1, (pk[13] & 0x80) != 0, "S bit");
            assertEquals(i == c.packets.size() - 1, (pk[13] & 0x40) != 0, "E bit");
        }
    }

    @Test
    void smallNalIsSingleNalUnitPacket() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 0);
        byte[] slice = nal(rnd, 100, (byte) 0x41);
        PacketCapture c = run(p, List.of(slice), 5);
        assertEquals(1, c.packets.size());
        assertEquals(112, c.packets.get(0).length);
    }

    @Test
    void nalOfExactlyTheBudgetIsOnePacketOfMaxSize() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 0);
        PacketCapture c = run(p, List.of(nal(rnd, MAX_PAYLOAD, (byte) 0x41)), 5);
        assertEquals(1, c.packets.size());
        assertEquals(MAX, c.packets.get(0).length);
        assertEquals(1, c.packets.get(0)[12] & 0x1F);
    }

    @Test
    void nalOneByteOverTheBudgetIsTwoFuAFragments() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 0);
        PacketCapture c = run(p, List.of(nal(rnd, MAX_PAYLOAD + 1, (byte) 0x41)), 5);
        assertEquals(2, c.packets.size());
        assertEquals(28, c.packets.get(0)[12] & 0x1F);
    }

    @Test
    void twoNalsThatExactlyFillAStapA() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 0);
        int a = 500;
        int b = MAX_PAYLOAD - 1 - 2 - a - 2;
        PacketCapture c = run(p, List.of(nal(rnd, a, (byte) 0x41), nal(rnd, b, (byte) 0x41)), 5);
        assertEquals(1, c.packets.size());
        assertEquals(MAX, c.packets.get(0).length);
        PacketCapture c2 = run(p, List.of(nal(rnd, a, (byte) 0x41), nal(rnd, b + 1, (byte) 0x41)), 6);
        assertEquals(2, c2.packets.size(), "one byte more no longer aggregates");
    }

    @Test
    void hugeNalOf300KB() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 100);
        byte[] idr = nal(rnd, 300 * 1024, (byte) 0x65);
        PacketCapture c = run(p, List.of(sps(rnd), pps(rnd), idr), 77);
        int fragments = (idr.length - 1 + MAX_PAYLOAD - 3) / (MAX_PAYLOAD - 2);
        assertEquals(1 + fragments, c.packets.size());
    }

    @Test
    void severalNalsPerAccessUnitAndSequenceContinuesAcrossCalls() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 500);
        List<byte[]> au1 = List.of(sps(rnd), pps(rnd), nal(rnd, 3000, (byte) 0x65), nal(rnd, 700, (byte) 0x65),
                nal(rnd, 800, (byte) 0x65), nal(rnd, 20, (byte) 0x06));
        PacketCapture c1 = run(p, au1, 3000);
        int next = (500 + c1.packets.size()) & 0xFFFF;
        assertEquals(next, p.nextSequenceNumber());
        PacketCapture c2 = run(p, List.of(nal(rnd, 2500, (byte) 0x41)), 6000);
        assertEquals(next, PacketCapture.seq(c2.packets.get(0)));
    }

    @Test
    void sequenceNumbersWrapAround() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 65533);
        PacketCapture c = run(p, List.of(nal(rnd, 10_000, (byte) 0x41)), 1);
        assertTrue(c.packets.size() > 4);
        assertEquals(65535, PacketCapture.seq(c.packets.get(2)));
        assertEquals(0, PacketCapture.seq(c.packets.get(3)));
    }

    @Test
    void timestampUsesLow32Bits() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 0);
        PacketCapture c = new PacketCapture();
        p.packetize(ByteBuffer.wrap(annexB(List.of(nal(rnd, 50, (byte) 0x41)))), 0x1_2345_6789L, c);
        assertEquals(0x2345_6789L, PacketCapture.ts(c.packets.get(0)));
    }

    @Test
    void randomAccessUnitsRoundTripForManyBudgets() {
        for (int round = 0; round < 300; round++) {
            int max = 40 + rnd.nextInt(1500);
            H264Packetizer p = new H264Packetizer(PT, SSRC, rnd.nextInt(65536), max);
            List<byte[]> nals = new ArrayList<>();
            int count = 1 + rnd.nextInt(8);
            for (int i = 0; i < count; i++) {
                int size = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3 * max) : 1 + rnd.nextInt(60);
                nals.add(nal(rnd, size, (byte) (0x01 | rnd.nextInt(4) << 5 | rnd.nextInt(23))));
            }
            run(p, nals, rnd.nextInt() & 0xFFFFFFFFL);
        }
    }

    @Test
    void annexBParsingHandlesLeadingBytesTrailingZerosAndBothStartCodes() {
        byte[] stream = {9, 9, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x65, 4, 5, 0, 0};
        List<ByteBuffer> nals = AnnexB.split(ByteBuffer.wrap(stream));
        assertEquals(3, nals.size());
        assertEquals(ByteBuffer.wrap(new byte[] {0x67, 1, 2}), nals.get(0));
        assertEquals(ByteBuffer.wrap(new byte[] {0x68, 3}), nals.get(1));
        assertEquals(ByteBuffer.wrap(new byte[] {0x65, 4, 5}), nals.get(2));
    }

    @Test
    void inputBufferIsNotConsumed() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 0);
        ByteBuffer au = ByteBuffer.wrap(annexB(List.of(nal(rnd, 3000, (byte) 0x41))));
        au.position(0);
        p.packetize(au, 0, new PacketCapture());
        assertEquals(0, au.position());
    }

    @Test
    void noStartCodeIsRejected() {
        H264Packetizer p = new H264Packetizer(PT, SSRC, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.packetize(ByteBuffer.wrap(new byte[] {0x65, 1, 2, 3}), 0, new PacketCapture()));
        assertTrue(e.getMessage().contains("start code"), e.getMessage());
    }

    @Test
    void badConstructorArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new H264Packetizer(128, SSRC, 0));
        assertThrows(IllegalArgumentException.class, () -> new H264Packetizer(96, SSRC, 0, 20));
    }
}
