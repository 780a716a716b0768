package io.framewire.plugin.webrtc.rtp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an H.264/H.265 Annex B byte stream into NAL units.
 */
public final class AnnexB {

    private AnnexB() {
    }

    /**
     * Finds the NAL units of an Annex B access unit.
     *
     * <p>Both 3-byte ({@code 00 00 01}) and 4-byte ({@code 00 00 00 01}) start codes are recognised.
     * Bytes before the first start code are ignored, trailing zero bytes of a NAL unit
     * ({@code trailing_zero_8bits}, the first byte of a 4-byte start code) are stripped and empty
     * NAL units are skipped. (A NAL unit ends with its RBSP stop bit; the only exception,
     * appended {@code cabac_zero_word}s, are padding whose loss does not change the decoding.)
     *
     * @param annexB the stream from its position to its limit; not modified
     * @return read-only views of the NAL units (without start codes), in stream order
     * @throws IllegalArgumentException if there is no start code
     */
    public static List<ByteBuffer> split(ByteBuffer annexB) {
        int end = annexB.limit();
        int first = findStartCode(annexB, annexB.position(), end);
        if (first < 0) {
            throw new IllegalArgumentException("no Annex B start code (00 00 01) in the "
                    + annexB.remaining() + "-byte access unit");
        }
        List<ByteBuffer> nals = new ArrayList<>();
        int nalStart = first + 3;
        while (true) {
            int next = findStartCode(annexB, nalStart, end);
            int nalEnd = next < 0 ? end : next;
            while (nalEnd > nalStart && annexB.get(nalEnd - 1) == 0) {
                nalEnd--;
            }
            if (nalEnd > nalStart) {
                nals.add(annexB.slice(nalStart, nalEnd - nalStart).asReadOnlyBuffer());
            }
            if (next < 0) {
                return nals;
            }
            nalStart = next + 3;
        }
    }

    /** Index of the first byte of the next {@code 00 00 01} at or after {@code from}, or -1. */
    private static int findStartCode(ByteBuffer b, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if ((b.get(i + 2) & 0xFF) > 1) {
                i += 2; // neither i, i+1 nor i+2 can start a start code
                continue;
            }
            if (b.get(i) == 0 && b.get(i + 1) == 0 && b.get(i + 2) == 1) {
                return i;
            }
        }
        return -1;
    }
}
