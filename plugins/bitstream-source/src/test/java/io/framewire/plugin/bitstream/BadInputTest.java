package io.framewire.plugin.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Each bad input is refused with an {@link InvalidFrameException} naming the field. The malformed
 * units are made from real encoder output (cut, prefixed, appended) except where the case is
 * byte-level by nature (empty buffer, a lone start code).
 */
class BadInputTest {

    private static InvalidFrameException refused(byte[] data, Codec codec) {
        return assertThrows(InvalidFrameException.class, () -> AccessUnit.analyze(ByteBuffer.wrap(data), codec));
    }

    private static byte[] concat(byte[] a, byte... b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void zeroSize() {
        for (Codec c : new Codec[]{Codec.H264, Codec.H265, Codec.AV1}) {
            InvalidFrameException e = refused(new byte[0], c);
            assertEquals("size", e.field());
            assertEquals(0, e.value());
        }
    }

    @Test
    void sizeOverTheLimitIsRefusedAndTheLimitItselfIsNot() {
        byte[] idr = Streams.x264Baseline().get(0).data();
        ByteBuffer atLimit = ByteBuffer.allocate(AccessUnit.MAX_BYTES);
        atLimit.put(idr).clear(); // a real IDR followed by trailing zero bytes, exactly at the limit
        AccessUnit ok = AccessUnit.analyze(atLimit, Codec.H264);
        assertTrue(ok.keyframe());
        assertEquals(AccessUnit.MAX_BYTES, ok.size());

        ByteBuffer over = ByteBuffer.allocate(AccessUnit.MAX_BYTES + 1);
        over.put(idr).clear();
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> AccessUnit.analyze(over, Codec.H264));
        assertEquals("size", e.field());
        assertEquals(AccessUnit.MAX_BYTES + 1, e.value());
        assertTrue(e.getMessage().contains("16 MiB"), e.getMessage());
    }

    @Test
    void noStartCode() {
        byte[] idr = Streams.x264Baseline().get(0).data();
        AccessUnit a = AccessUnit.analyze(ByteBuffer.wrap(idr), Codec.H264);
        byte[] headless = Arrays.copyOfRange(idr, a.units().get(0).offset(), idr.length); // first start code cut off
        assertEquals("startCode", refused(headless, Codec.H264).field());
        // a length-prefixed (AVCC) unit instead of Annex B
        int len = a.units().get(0).length();
        byte[] avcc = concat(new byte[]{0, 0, (byte) (len >> 8), (byte) len},
                Arrays.copyOfRange(idr, a.units().get(0).offset(), a.units().get(0).end()));
        assertEquals("startCode", refused(avcc, Codec.H264).field());
        // an AV1 temporal unit given as H.265
        assertEquals("startCode", refused(Streams.av1().get(0).data(), Codec.H265).field());
    }

    @Test
    void truncatedNal() {
        byte[] p = Streams.x264Baseline().get(1).data();
        int n = AccessUnit.analyze(ByteBuffer.wrap(p), Codec.H264).units().size();
        InvalidFrameException e = refused(concat(p, (byte) 0, (byte) 0, (byte) 1), Codec.H264);
        assertEquals("nal[" + n + "].size", e.field());
        assertEquals(0, e.value());
        // H.265 NAL headers are two bytes: a start code and one byte is cut short
        byte[] h = Streams.x265().get(1).data();
        int m = AccessUnit.analyze(ByteBuffer.wrap(h), Codec.H265).units().size();
        InvalidFrameException e2 = refused(concat(h, (byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte) 2), Codec.H265);
        assertEquals("nal[" + m + "].size", e2.field());
        assertEquals(1, e2.value());
    }

    @Test
    void spsCutShort() {
        for (Codec c : new Codec[]{Codec.H264, Codec.H265}) {
            byte[] key = (c == Codec.H264 ? Streams.x264High() : Streams.x265()).get(0).data();
            int spsType = c == Codec.H264 ? AnnexB.H264_SPS : AnnexB.H265_SPS;
            Unit sps = AccessUnit.analyze(ByteBuffer.wrap(key), c).units().stream()
                    .filter(u -> u.type() == spsType).findFirst().orElseThrow();
            // the unit ends 6 bytes into the SPS payload: the size fields are missing
            byte[] cut = Arrays.copyOf(key, sps.payloadOffset() + 6);
            InvalidFrameException e = refused(cut, c);
            assertEquals("sps", e.field(), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void unknownObuType() {
        byte[] tu = Streams.av1().get(1).data();
        int n = AccessUnit.analyze(ByteBuffer.wrap(tu), Codec.AV1).units().size();
        // a reserved OBU type 9 with has_size_field and an empty payload, after the real OBUs
        InvalidFrameException e = refused(concat(tu, (byte) ((9 << 3) | 0x2), (byte) 0), Codec.AV1);
        assertEquals("obu[" + n + "].obu_type", e.field());
        assertEquals(9, e.value());
        // type 0 is reserved as well
        byte[] zero = tu.clone();
        zero[0] = (byte) (zero[0] & 0x87);
        InvalidFrameException z = refused(zero, Codec.AV1);
        assertEquals("obu[0].obu_type", z.field());
        assertEquals(0, z.value());
        // an H.264 access unit given as AV1 is refused too (its first byte is no valid OBU header)
        assertThrows(InvalidFrameException.class,
                () -> AccessUnit.analyze(Streams.x264Baseline().get(0).buffer(), Codec.AV1));
    }

    @Test
    void obuSizeRunningPastTheBuffer() {
        byte[] tu = Streams.av1().get(0).data();
        int n = AccessUnit.analyze(ByteBuffer.wrap(tu), Codec.AV1).units().size();
        InvalidFrameException e = refused(Arrays.copyOf(tu, tu.length - 1), Codec.AV1);
        assertEquals("obu[" + (n - 1) + "].obu_size", e.field());
        assertTrue(e.getMessage().contains("runs past the buffer"), e.getMessage());
    }

    @Test
    void rawCodecIsNoBitstream() {
        assertEquals("codec", assertThrows(InvalidFrameException.class,
                () -> AccessUnit.analyze(Streams.x264Baseline().get(0).buffer(), Codec.RAW)).field());
    }

    @Test
    void analysisLeavesTheBufferAlone() {
        byte[] idr = Streams.x264Baseline().get(0).data();
        ByteBuffer b = ByteBuffer.allocateDirect(idr.length + 10);
        b.position(5);
        b.put(idr);
        b.position(5).limit(5 + idr.length);
        AccessUnit a = AccessUnit.analyze(b, Codec.H264);
        assertEquals(5, b.position());
        assertEquals(5 + idr.length, b.limit());
        assertEquals(5, a.units().get(0).start(), "positions are absolute buffer indices");
        byte[] copy = new byte[idr.length];
        b.get(5, copy);
        assertArrayEquals(idr, copy);
    }
}
