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

class H265PacketizerTest {

    static final int PT = 49;
    static final long SSRC = 0x12345678L;
    static final int MAX = 1200;
    static final int MAX_PAYLOAD = MAX - 12;

    final Random rnd = new Random(7798);

    /** RFC 7798 depacketizer (single NAL, AP, FU; no DONL). */
    static List<byte[]> depacketize(List<byte[]> packets) {
        List<byte[]> nals = new ArrayList<>();
        ByteArrayOutputStream fu = null;
        for (byte[] p : packets) {
            byte[] payload = Arrays.copyOfRange(p, 12, p.length);
            int type = (payload[0] >> 1) & 0x3F;
            if (type < 48) {
                assertTrue(fu == null, "single NAL inside an FU");
                nals.add(payload);
            } else if (type == 48) {
                assertTrue(fu == null, "AP inside an FU");
                int off = 2;
                int count = 0;
                int minLayer = 63;
                int minTid = 7;
                int f = 0;
                while (off < payload.length) {
                    int size = ((payload[off] & 0xFF) << 8) | (payload[off + 1] & 0xFF);
                    byte[] n = Arrays.copyOfRange(payload, off + 2, off + 2 + size);
                    f |= n[0] & 0x80;
                    minLayer = Math.min(minLayer, ((n[0] & 1) << 5) | ((n[1] & 0xFF) >> 3));
                    minTid = Math.min(minTid, n[1] & 7);
                    nals.add(n);
                    off += 2 + size;
                    count++;
                }
                assertEquals(payload.length, off, "AP sizes add up");
                assertTrue(count >= 2, "AP with one NAL");
                assertEquals(f, payload[0] & 0x80, "AP F bit");
                assertEquals(minLayer, ((payload[0] & 1) << 5) | ((payload[1] & 0xFF) >> 3), "AP LayerId");
                assertEquals(minTid, payload[1] & 7, "AP TID");
            } else if (type == 49) {
                int fuHeader = payload[2] & 0xFF;
                boolean s = (fuHeader & 0x80) != 0;
                boolean e = (fuHeader & 0x40) != 0;
                assertFalse(s && e, "FU with both S and E");
                if (s) {
                    assertTrue(fu == null, "FU start inside an FU");
                    fu = new ByteArrayOutputStream();
                    fu.write((payload[0] & 0x81) | ((fuHeader & 0x3F) << 1));
                    fu.write(payload[1]);
                } else {
                    assertTrue(fu != null, "FU continuation without start");
                }
                fu.write(payload, 3, payload.length - 3);
                if (e) {
                    nals.add(fu.toByteArray());
                    fu = null;
                }
            } else {
                throw new AssertionError("unexpected packet type " + type);
            }
        }
        assertTrue(fu == null, "unfinished FU");
        return nals;
    }

    static byte[] h265Nal(Random r, int size, int type, int tid) {
        return nal(r, size, (byte) (type << 1), (byte) tid);
    }

    private PacketCapture run(H265Packetizer p, List<byte[]> nals, long ts) {
        PacketCapture c = new PacketCapture();
        int first = p.nextSequenceNumber();
        p.packetize(ByteBuffer.wrap(annexB(nals)), ts, c);
        c.assertAccessUnit(PT, SSRC, ts, first, p.maxPacketSize());
        assertNalsEqual(nals, depacketize(c.packets));
        return c;
    }

    @Test
    void vpsSpsPpsGoIntoOneAggregationPacket() {
        H265Packetizer p = new H265Packetizer(PT, SSRC, 10);
        List<byte[]> nals = List.of(h265Nal(rnd, 24, 32, 1), h265Nal(rnd, 40, 33, 1), h265Nal(rnd, 8, 34, 1),
                h265Nal(rnd, 20_000, 19, 1));
        PacketCapture c = run(p, nals, 90_000);
        byte[] ap = c.packets.get(0);
        assertEquals(48, (ap[12] >> 1) & 0x3F, "AP");
        assertEquals(12 + 2 + 2 + 24 + 2 + 40 + 2 + 8, ap.length);
        byte[] fu = c.packets.get(1);
        assertEquals(49, (fu[12] >> 1) & 0x3F, "FU");
        assertEquals(1, fu[13] & 7, "FU payload header keeps TID");
        assertEquals(0x80 | 19, fu[14] & 0xFF, "FU header: S + type 19");
        assertEquals(0x40 | 19, c.packets.get(c.packets.size() - 1)[14] & 0xFF, "last FU: E + type 19");
    }

    @Test
    void exactlyBudgetAndOneOver() {
        H265Packetizer p = new H265Packetizer(PT, SSRC, 0);
        PacketCapture c = run(p, List.of(h265Nal(rnd, MAX_PAYLOAD, 1, 1)), 1);
        assertEquals(1, c.packets.size());
        assertEquals(MAX, c.packets.get(0).length);
        c = run(p, List.of(h265Nal(rnd, MAX_PAYLOAD + 1, 1, 1)), 2);
        assertEquals(2, c.packets.size());
    }

    @Test
    void hugeNalAndWrapAround() {
        H265Packetizer p = new H265Packetizer(PT, SSRC, 65500);
        byte[] idr = h265Nal(rnd, 300 * 1024, 20, 1);
        PacketCapture c = run(p, List.of(idr), 3);
        assertEquals((idr.length - 2 + MAX_PAYLOAD - 4) / (MAX_PAYLOAD - 3), c.packets.size());
        assertTrue(c.packets.size() > 36, "wrapped past 65535");
    }

    @Test
    void aggregationTakesMinimumTidAndLayer() {
        H265Packetizer p = new H265Packetizer(PT, SSRC, 0);
        byte[] a = nal(rnd, 30, (byte) ((1 << 1) | 0), (byte) ((2 << 3) | 3)); // layer 2, tid 3
        byte[] b = nal(rnd, 30, (byte) ((1 << 1) | 0), (byte) ((1 << 3) | 2)); // layer 1, tid 2
        PacketCapture c = run(p, List.of(a, b), 0);
        assertEquals(1, c.packets.size());
    }

    @Test
    void randomAccessUnitsRoundTrip() {
        for (int round = 0; round < 300; round++) {
            int max = 40 + rnd.nextInt(1500);
            H265Packetizer p = new H265Packetizer(PT, SSRC, rnd.nextInt(65536), max);
            List<byte[]> nals = new ArrayList<>();
            int count = 1 + rnd.nextInt(8);
            for (int i = 0; i < count; i++) {
                int size = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(3 * max) : 2 + rnd.nextInt(60);
                nals.add(h265Nal(rnd, size, rnd.nextInt(41), 1 + rnd.nextInt(7)));
            }
            run(p, nals, rnd.nextInt() & 0xFFFFFFFFL);
        }
    }

    @Test
    void oneByteNalIsRejected() {
        H265Packetizer p = new H265Packetizer(PT, SSRC, 0);
        assertThrows(IllegalArgumentException.class,
                () -> p.packetize(ByteBuffer.wrap(new byte[] {0, 0, 1, 0x26}), 0, new PacketCapture()));
    }
}
