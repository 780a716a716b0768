package io.framewire.plugin.webrtc.rtp;

import static io.framewire.plugin.webrtc.rtp.PacketCapture.assertNalsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Av1PacketizerTest {

    static final int PT = 45;
    static final long SSRC = 0xA1A1A1A1L;
    static final int MAX = 1200;
    static final int MAX_PAYLOAD = MAX - 12;

    final Random rnd = new Random(0xA11);

    /** One OBU as the encoder writes it, and the element the packetizer must produce from it. */
    record Obu(byte[] encoded, byte[] element) {
    }

    /** Builds an OBU with obu_has_size_field=1 (optionally an extension header). */
    static Obu obu(int type, byte[] payload, boolean extension) {
        int h0 = (type << 3) | (extension ? 0x04 : 0);
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        ByteArrayOutputStream elem = new ByteArrayOutputStream();
        enc.write(h0 | 0x02);
        elem.write(h0);
        if (extension) {
            enc.write(0x28); // temporal_id 1, spatial_id 1
            elem.write(0x28);
        }
        byte[] leb = new byte[8];
        enc.write(leb, 0, Leb128.write(payload.length, leb, 0));
        enc.writeBytes(payload);
        elem.writeBytes(payload);
        return new Obu(enc.toByteArray(), elem.toByteArray());
    }

    byte[] random(int n, int firstByte) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        if (n > 0 && firstByte >= 0) {
            b[0] = (byte) firstByte;
        }
        return b;
    }

    static final int KEY_FRAME_HEADER = 0x10;   // show_existing_frame=0, frame_type=KEY, show_frame=1
    static final int INTER_FRAME_HEADER = 0x30; // frame_type=INTER, show_frame=1

    Obu td() {
        return obu(2, new byte[0], false);
    }

    Obu sequenceHeader() {
        return obu(1, random(12, 0x00), false);
    }

    Obu frame(int size, int firstByte) {
        return obu(6, random(size, firstByte), false);
    }

    /** Depacketizer: reassembles OBU elements, checks Z/Y continuity, returns elements and N of the first packet. */
    static List<byte[]> depacketize(List<byte[]> packets, boolean[] firstN) {
        List<byte[]> elements = new ArrayList<>();
        ByteArrayOutputStream pending = null;
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            int agg = p[12] & 0xFF;
            boolean z = (agg & 0x80) != 0;
            boolean y = (agg & 0x40) != 0;
            int w = (agg >> 4) & 3;
            boolean n = (agg & 0x08) != 0;
            assertEquals(0, w, "we document W=0");
            assertEquals(0, agg & 0x07, "reserved bits");
            if (i == 0) {
                firstN[0] = n;
                assertTrue(!z, "first packet cannot continue a fragment");
            } else {
                assertTrue(!n, "N only on the first packet");
            }
            assertEquals(pending != null, z, "Z bit of packet " + i + " matches an open fragment");
            int off = 13;
            List<byte[]> inPacket = new ArrayList<>();
            while (off < p.length) {
                long len = 0;
                int shift = 0;
                int b;
                do {
                    b = p[off++] & 0xFF;
                    len |= (long) (b & 0x7F) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                assertTrue(len > 0 && off + len <= p.length, "element length inside packet");
                inPacket.add(Arrays.copyOfRange(p, off, off + (int) len));
                off += (int) len;
            }
            assertTrue(!inPacket.isEmpty(), "empty AV1 packet");
            for (int k = 0; k < inPacket.size(); k++) {
                byte[] piece = inPacket.get(k);
                boolean continues = k == 0 && z;
                boolean continued = k == inPacket.size() - 1 && y;
                if (continues) {
                    pending.writeBytes(piece);
                } else {
                    pending = new ByteArrayOutputStream();
                    pending.writeBytes(piece);
                }
                if (!continued) {
                    elements.add(pending.toByteArray());
                    pending = null;
                }
            }
        }
        assertTrue(pending == null, "temporal unit ends inside a fragment");
        return elements;
    }

    private PacketCapture run(Av1Packetizer p, List<Obu> obus, long ts, boolean expectN) {
        ByteArrayOutputStream tu = new ByteArrayOutputStream();
        List<byte[]> expected = new ArrayList<>();
        for (Obu o : obus) {
            tu.writeBytes(o.encoded());
            int type = (o.element()[0] >> 3) & 0x0F;
            if (type != 2 && type != 8 && type != 15) {
                expected.add(o.element());
            }
        }
        PacketCapture c = new PacketCapture();
        int first = p.nextSequenceNumber();
        p.packetize(ByteBuffer.wrap(tu.toByteArray()), ts, c);
        c.assertAccessUnit(PT, SSRC, ts, first, p.maxPacketSize());
        boolean[] n = new boolean[1];
        assertNalsEqual(expected, depacketize(c.packets, n));
        assertEquals(expectN, n[0], "N bit");
        for (byte[] e : depacketize(c.packets, new boolean[1])) {
            assertEquals(0, e[0] & 0x02, "obu_has_size_field cleared");
        }
        return c;
    }

    @Test
    void keyFrameWithSequenceHeaderSetsNAndDropsTemporalDelimiter() {
        Av1Packetizer p = new Av1Packetizer(PT, SSRC, 1);
        PacketCapture c = run(p, List.of(td(), sequenceHeader(), frame(500, KEY_FRAME_HEADER)), 90, true);
        assertEquals(1, c.packets.size());
        assertEquals(12 + 1 + 1 + 13 + 2 + 501, c.packets.get(0).length, "agg header + 2 length-prefixed elements");
    }

    @Test
    void interFrameHasNoN() {
        Av1Packetizer p = new Av1Packetizer(PT, SSRC, 1);
        run(p, List.of(td(), frame(3000, INTER_FRAME_HEADER)), 90, false);
        // A sequence header repeated on an inter frame does not start a coded video sequence.
        run(p, List.of(td(), sequenceHeader(), frame(300, INTER_FRAME_HEADER)), 180, false);
    }

    @Test
    void exactlyBudgetAndOneOver() {
        Av1Packetizer p = new Av1Packetizer(PT, SSRC, 1);
        int element = MAX_PAYLOAD - 1 - 2; // aggregation header + 2-byte LEB128 length
        PacketCapture c = run(p, List.of(td(), frame(element - 1, INTER_FRAME_HEADER)), 1, false);
        assertEquals(1, c.packets.size());
        assertEquals(MAX, c.packets.get(0).length);
        c = run(p, List.of(td(), frame(element, INTER_FRAME_HEADER)), 2, false);
        assertEquals(2, c.packets.size());
        assertEquals(0x40, c.packets.get(0)[12] & 0xC0, "first: Y");
        assertEquals(0x80, c.packets.get(1)[12] & 0xC0, "second: Z");
    }

    @Test
    void huge300KBFrameWithExtensionHeaders() {
        Av1Packetizer p = new Av1Packetizer(PT, SSRC, 65530);
        PacketCapture c = run(p, List.of(td(), sequenceHeader(), obu(6, random(300 * 1024, KEY_FRAME_HEADER), true)),
                5, true);
        assertTrue(c.packets.size() > 250);
        assertEquals(0xC0, c.packets.get(5)[12] & 0xC0, "middle fragment: Z and Y");
    }

    @Test
    void lastObuWithoutSizeFieldAndPaddingDropped() {
        Av1Packetizer p = new Av1Packetizer(PT, SSRC, 0);
        byte[] payload = random(40, INTER_FRAME_HEADER);
        ByteArrayOutputStream tu = new ByteArrayOutputStream();
        tu.writeBytes(td().encoded());
        tu.writeBytes(obu(15, random(7, -1), false).encoded());
        tu.write(6 << 3); // OBU_FRAME without size field: runs to the end
        tu.writeBytes(payload);
        PacketCapture c = new PacketCapture();
        p.packetize(ByteBuffer.wrap(tu.toByteArray()), 0, c);
        List<byte[]> elements = depacketize(c.packets, new boolean[1]);
        assertEquals(1, elements.size());
        byte[] expected = new byte[41];
        expected[0] = 6 << 3;
        System.arraycopy(payload, 0, expected, 1, 40);
        assertTrue(Arrays.equals(expected, elements.get(0)));
    }

    @Test
    void randomTemporalUnitsRoundTrip() {
        for (int round = 0; round < 300; round++) {
            int max = 40 + rnd.nextInt(1500);
            Av1Packetizer p = new Av1Packetizer(PT, SSRC, rnd.nextInt(65536), max);
            List<Obu> obus = new ArrayList<>();
            obus.add(td());
            boolean key = rnd.nextBoolean();
            if (key) {
                obus.add(sequenceHeader());
            }
            int count = 1 + rnd.nextInt(5);
            for (int i = 0; i < count; i++) {
                int size = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(4 * max) : 1 + rnd.nextInt(60);
                obus.add(obu(i == 0 ? 6 : 4, random(size, key ? KEY_FRAME_HEADER : INTER_FRAME_HEADER),
                        rnd.nextBoolean()));
            }
            run(p, obus, rnd.nextInt() & 0xFFFFFFFFL, key);
        }
    }

    @Test
    void malformedStreamsAreRejected() {
        Av1Packetizer p = new Av1Packetizer(PT, SSRC, 0);
        byte[] forbidden = {(byte) 0x80};
        byte[] tooLong = {(6 << 3) | 2, 10, 1, 2};
        byte[] badLeb = {(6 << 3) | 2, (byte) 0x80};
        for (byte[] b : List.of(forbidden, tooLong, badLeb)) {
            assertThrows(IllegalArgumentException.class, () -> p.packetize(ByteBuffer.wrap(b), 0, new PacketCapture()));
        }
    }
}
