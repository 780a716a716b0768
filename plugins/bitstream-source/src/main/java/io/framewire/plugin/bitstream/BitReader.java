package io.framewire.plugin.bitstream;

import io.framewire.api.InvalidFrameException;

/**
 * An MSB-first bit reader over a byte array, with the exp-Golomb codes of H.264/H.265
 * ({@code ue(v)}, {@code se(v)}) and the AV1 codes ({@code f(n)}, {@code uvlc()}). For H.264/H.265 the
 * array must be the RBSP (emulation-prevention bytes removed, see {@link AnnexB#unescape}).
 *
 * <p>Reading past the end throws an {@link InvalidFrameException} whose field is the {@code what}
 * given at construction (e.g. {@code "sps"}), so a syntax structure cut short is refused by name.
 */
public final class BitReader {
    private final byte[] data;
    private final int end;
    private final String what;
    private long pos; // bit position

    /**
     * @param data   the bytes
     * @param offset first byte to read
     * @param length number of bytes that may be read
     * @param what   name of the structure read, used in the error when it is cut short
     */
    public BitReader(byte[] data, int offset, int length, String what) {
        this.data = data;
        this.end = offset + length;
        this.what = what;
        this.pos = (long) offset * 8;
    }

    /** @return bits left to read */
    public long bitsLeft() {
        return (long) end * 8 - pos;
    }

    /** @return the current bit position relative to the array start */
    public long position() {
        return pos;
    }

    /** Reads one bit. */
    public int bit() {
        need(1);
        int b = (data[(int) (pos >>> 3)] >> (7 - (int) (pos & 7))) & 1;
        pos++;
        return b;
    }

    /** @return true when the next bit is 1 */
    public boolean flag() {
        return bit() == 1;
    }

    /**
     * Reads {@code n} bits (0..32) as an unsigned value, MSB first ({@code u(n)} / AV1 {@code f(n)}).
     */
    public long bits(int n) {
        if (n < 0 || n > 32) {
            throw new IllegalArgumentException("n=" + n);
        }
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | bit();
        }
        return v;
    }

    /** Reads {@code n} bits (0..31) as an int. */
    public int u(int n) {
        return (int) bits(n);
    }

    /** Skips {@code n} bits. */
    public void skip(long n) {
        need(n);
        pos += n;
    }

    /** Unsigned exp-Golomb {@code ue(v)}; values above 2^31-2 are refused. */
    public int ue() {
        int zeros = 0;
        while (bit() == 0) {
            zeros++;
            if (zeros > 31) {
                throw new InvalidFrameException(what, "ue(v) with " + zeros + " leading zeros",
                        "exp-Golomb code longer than 32 bits: the " + what + " is corrupt");
            }
        }
        long v = (1L << zeros) - 1 + bits(zeros);
        if (v > Integer.MAX_VALUE - 1) {
            throw new InvalidFrameException(what, v, "exp-Golomb value out of range: the " + what + " is corrupt");
        }
        return (int) v;
    }

    /** Signed exp-Golomb {@code se(v)}. */
    public int se() {
        int k = ue();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    /** AV1 {@code uvlc()}. */
    public long uvlc() {
        int zeros = 0;
        while (bit() == 0) {
            zeros++;
        }
        if (zeros >= 32) {
            return (1L << 32) - 1;
        }
        return bits(zeros) + (1L << zeros) - 1;
    }

    private void need(long n) {
        if (bitsLeft() < n) {
            throw new InvalidFrameException(what, (end * 8L) / 8 + " bytes",
                    "truncated: the " + what + " ends before its syntax is complete (" + n + " more bits wanted at bit "
                            + pos + ")");
        }
    }
}
