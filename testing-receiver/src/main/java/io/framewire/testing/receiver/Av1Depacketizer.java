package io.framewire.testing.receiver;

import java.io.ByteArrayOutputStream;

/**
 * The AV1 RTP payload format (AOM v1.0) back to a low-overhead temporal unit: a temporal delimiter,
 * then every OBU element with {@code obu_has_size_field} set and its LEB128 size. Reads the
 * aggregation header {@code Z Y W W N}: any W (0 = every element has a length; 1..3 = that many
 * elements, the last without a length), Z/Y fragments joined across packets.
 */
public final class Av1Depacketizer implements Depacketizer {
    static final int OBU_SEQUENCE_HEADER = 1;
    static final int OBU_TEMPORAL_DELIMITER = 2;
    static final int OBU_FRAME_HEADER = 3;
    static final int OBU_FRAME = 6;
    private static final byte[] TEMPORAL_DELIMITER = {0x12, 0x00};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteArrayOutputStream fragment;

    @Override
    public void payload(byte[] data, int off, int len) {
        if (len < 2) {
            throw new IllegalArgumentException("payload of " + len + " bytes");
        }
        int header = data[off] & 0xFF;
        boolean z = (header & 0x80) != 0;
        boolean y = (header & 0x40) != 0;
        int w = (header >> 4) & 3;
        if (z && fragment == null) {
            throw new IllegalArgumentException("continuation (Z) without the fragment before it");
        }
        if (!z && fragment != null) {
            throw new IllegalArgumentException("fragment not continued (Z = 0)");
        }
        int pos = off + 1;
        int end = off + len;
        int index = 0;
        while (pos < end) {
            index++;
            int size;
            if (w == 0 || index < w) {
                long[] read = readLeb128(data, pos, end);
                size = (int) read[0];
                pos += (int) read[1];
            } else {
                size = end - pos; // the last of W elements: the rest of the packet
            }
            if (size < 0 || pos + size > end) {
                throw new IllegalArgumentException("OBU element of " + size + " bytes past the payload");
            }
            boolean first = index == 1;
            boolean last = pos + size == end;
            if (first && z) {
                fragment.write(data, pos, size);
                if (!(last && y)) {
                    byte[] obu = fragment.toByteArray();
                    fragment = null;
                    obu(obu, 0, obu.length);
                }
            } else if (last && y) {
                fragment = new ByteArrayOutputStream();
                fragment.write(data, pos, size);
            } else {
                obu(data, pos, size);
            }
            pos += size;
            if (w != 0 && index == w && pos < end) {
                throw new IllegalArgumentException("more than W = " + w + " elements");
            }
        }
    }

    /** Writes one OBU element with its size field. */
    private void obu(byte[] data, int off, int len) {
        if (len == 0) {
            return;
        }
        int header = data[off] & 0xFF;
        int type = (header >> 3) & 0xF;
        if (type == OBU_TEMPORAL_DELIMITER) {
            return; // we write our own
        }
        boolean extension = (header & 0x04) != 0;
        int headerBytes = extension ? 2 : 1;
        if (len < headerBytes) {
            throw new IllegalArgumentException("OBU element shorter than its header");
        }
        if ((header & 0x02) != 0) {
            out.write(data, off, len); // already has its size
            return;
        }
        out.write(header | 0x02);
        if (extension) {
            out.write(data[off + 1]);
        }
        writeLeb128(len - headerBytes, out);
        out.write(data, off + headerBytes, len - headerBytes);
    }

    @Override
    public byte[] finish() {
        if (fragment != null) {
            reset();
            throw new IllegalArgumentException("temporal unit ends inside a fragmented OBU");
        }
        ByteArrayOutputStream tu = new ByteArrayOutputStream(out.size() + 2);
        tu.writeBytes(TEMPORAL_DELIMITER);
        tu.writeBytes(out.toByteArray());
        reset();
        return tu.toByteArray();
    }

    @Override
    public void reset() {
        out.reset();
        fragment = null;
    }

    /** A key frame temporal unit starts with a sequence header (that is how the packetizer sets N). */
    @Override
    public boolean isKeyframe(byte[] tu) {
        int pos = 0;
        while (pos < tu.length) {
            int header = tu[pos] & 0xFF;
            int type = (header >> 3) & 0xF;
            if (type == OBU_SEQUENCE_HEADER) {
                return true;
            }
            int h = (header & 0x04) != 0 ? 2 : 1;
            if ((header & 0x02) == 0) {
                return false;
            }
            long[] size = readLeb128(tu, pos + h, tu.length);
            pos += h + (int) size[1] + (int) size[0];
        }
        return false;
    }

    /** @return {value, bytes read} */
    static long[] readLeb128(byte[] b, int pos, int end) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            if (pos + i >= end) {
                throw new IllegalArgumentException("truncated LEB128");
            }
            int v = b[pos + i] & 0xFF;
            value |= (long) (v & 0x7F) << (7 * i);
            if ((v & 0x80) == 0) {
                return new long[] {value, i + 1};
            }
        }
        throw new IllegalArgumentException("LEB128 longer than 8 bytes");
    }

    static void writeLeb128(long value, ByteArrayOutputStream to) {
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            to.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
    }
}
