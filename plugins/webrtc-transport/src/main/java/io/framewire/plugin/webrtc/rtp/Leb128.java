package io.framewire.plugin.webrtc.rtp;

import java.nio.ByteBuffer;

/** Unsigned LEB128 as used by AV1 (at most 8 bytes, values below 2<sup>32</sup> here). */
final class Leb128 {

    private Leb128() {
    }

    /**
     * @return how many bytes {@code value} takes
     */
    static int size(long value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Writes {@code value} at {@code dst[pos]}; @return bytes written */
    static int write(long value, byte[] dst, int pos) {
        int n = 0;
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            dst[pos + n++] = (byte) (value != 0 ? b | 0x80 : b);
        } while (value != 0);
        return n;
    }

    /**
     * Reads a value at absolute index {@code pos}.
     *
     * @return {@code value << 8 | bytesRead}
     * @throws IllegalArgumentException if it runs past {@code end} or over 8 bytes / 2<sup>32</sup>-1
     */
    static long read(ByteBuffer b, int pos, int end) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            if (pos + i >= end) {
                throw new IllegalArgumentException("truncated LEB128 size field at offset " + pos);
            }
            int x = b.get(pos + i) & 0xFF;
            value |= (long) (x & 0x7F) << (7 * i);
            if ((x & 0x80) == 0) {
                if (value > 0xFFFFFFFFL) {
                    throw new IllegalArgumentException("LEB128 value " + value + " exceeds 2^32-1");
                }
                return value << 8 | (i + 1);
            }
        }
        throw new IllegalArgumentException("LEB128 size field longer than 8 bytes at offset " + pos);
    }
}
