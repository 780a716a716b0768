package io.framewire.plugin.webrtc.rtp;

/**
 * Big-endian (network order) integers in byte arrays, the one way RTP, RTCP and SRTP code reads
 * and writes its fixed-size fields. No bounds checks beyond the array's own: callers check the
 * packet length first.
 */
public final class Bytes {

    private Bytes() {
    }

    /** @return the unsigned 16-bit value at {@code b[i..i+1]} */
    public static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    /** @return the unsigned 24-bit value at {@code b[i..i+2]} */
    public static int u24(byte[] b, int i) {
        return ((b[i] & 0xFF) << 16) | ((b[i + 1] & 0xFF) << 8) | (b[i + 2] & 0xFF);
    }

    /** @return the 32-bit value at {@code b[i..i+3]} as a Java int (SSRCs as map keys, signed arithmetic) */
    public static int i32(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    /** @return the unsigned 32-bit value at {@code b[i..i+3]} */
    public static long u32(byte[] b, int i) {
        return i32(b, i) & 0xFFFF_FFFFL;
    }

    /** Writes the low 16 bits of {@code v} at {@code b[i..i+1]}. */
    public static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    /** Writes the low 32 bits of {@code v} at {@code b[i..i+3]}. */
    public static void put32(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
