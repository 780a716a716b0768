package io.framewire.plugin.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Test sink collecting packet copies, plus stream generators and header checks. */
final class PacketCapture implements PacketSink {

    final List<byte[]> packets = new ArrayList<>();
    final List<Boolean> markers = new ArrayList<>();

    @Override
    public void accept(byte[] packet, int length, boolean marker) {
        packets.add(Arrays.copyOf(packet, length));
        markers.add(marker);
    }

    void clear() {
        packets.clear();
        markers.clear();
    }

    static int seq(byte[] p) {
        return RtpPacket.wrap(p).sequenceNumber();
    }

    static long ts(byte[] p) {
        return RtpPacket.wrap(p).timestamp();
    }

    /**
     * Checks the RTP invariants of one access unit's packets: V=2, PT, SSRC, size budget, equal
     * timestamps, consecutive sequence numbers from {@code firstSeq}, marker bit (and sink flag) on
     * the last packet only.
     */
    void assertAccessUnit(int pt, long ssrc, long ts, int firstSeq, int maxPacketSize) {
        assertTrue(!packets.isEmpty(), "no packets");
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            assertTrue(p.length <= maxPacketSize, "packet " + i + " has " + p.length + " > " + maxPacketSize);
            assertTrue(p.length > 12, "packet " + i + " has no payload");
            assertEquals(0x80, p[0] & 0xFF, "V=2, no P/X/CC");
            RtpPacket rtp = RtpPacket.wrap(p);
            assertEquals(pt, rtp.payloadType());
            assertEquals(ssrc, rtp.ssrc());
            assertEquals(ts, rtp.timestamp(), "timestamp of packet " + i);
            assertEquals((firstSeq + i) & 0xFFFF, rtp.sequenceNumber(), "sequence of packet " + i);
            boolean last = i == packets.size() - 1;
            assertEquals(last, rtp.marker(), "marker bit of packet " + i);
            assertEquals(last, markers.get(i), "marker flag of packet " + i);
        }
    }

    /**
     * A NAL unit of {@code size} bytes (size >= headerBytes + 1): the given header, random body with
     * emulation prevention (no 00 00 0x with x<=3), last byte non-zero.
     */
    static byte[] nal(Random rnd, int size, byte... header) {
        byte[] b = new byte[size];
        System.arraycopy(header, 0, b, 0, header.length);
        for (int i = header.length; i < size; i++) {
            int v = rnd.nextInt(256);
            if (i >= 2 && b[i - 1] == 0 && b[i - 2] == 0 && v <= 3) {
                v = 3;
            }
            b[i] = (byte) v;
        }
        if (b[size - 1] == 0) {
            b[size - 1] = (byte) 0x80;
        }
        return b;
    }

    /** Annex B stream of the NAL units, alternating 4- and 3-byte start codes. */
    static byte[] annexB(List<byte[]> nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < nals.size(); i++) {
            out.writeBytes(i % 2 == 0 ? new byte[] {0, 0, 0, 1} : new byte[] {0, 0, 1});
            out.writeBytes(nals.get(i));
        }
        return out.toByteArray();
    }

    static void assertNalsEqual(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "NAL count");
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(Arrays.equals(expected.get(i), actual.get(i)),
                    "NAL " + i + " differs (len " + expected.get(i).length + " vs " + actual.get(i).length + ")");
        }
    }
}
