package io.framewire.plugin.webrtc.rtp;

/**
 * Adds the playout-delay RTP header extension (one-byte form, RFC 8285) to an RTP packet without
 * extensions: {@code min = max = 0}, which tells the browser to show each frame as soon as it is
 * decoded instead of smoothing playout with a buffer. Interactive streaming wants exactly that.
 */
public final class PlayoutDelay {
    /** Bytes the extension adds: the 4-byte 0xBEDE header and one 4-byte element (1 + 3 bytes). */
    public static final int EXTENSION_BYTES = 8;

    private PlayoutDelay() {
    }

    /**
     * Copies {@code packet} into {@code out} with the extension inserted after the fixed header and
     * any CSRCs, and the X bit set.
     *
     * @param id one-byte extension id negotiated in the SDP (1..14)
     * @return the new length ({@code length + EXTENSION_BYTES})
     * @throws IllegalArgumentException when the packet already has extensions, is too short, or
     *                                  {@code out} is too small
     */
    public static int insertZeroDelay(byte[] packet, int length, int id, byte[] out) {
        if (id < 1 || id > 14) {
            throw new IllegalArgumentException("playout-delay id=" + id + ": must be in 1..14");
        }
        if (length < 12 || (packet[0] & 0xC0) != 0x80) {
            throw new IllegalArgumentException("not an RTP packet: length=" + length);
        }
        if ((packet[0] & 0x10) != 0) {
            throw new IllegalArgumentException("the packet already carries header extensions");
        }
        int header = 12 + 4 * (packet[0] & 0x0F);
        if (out.length < length + EXTENSION_BYTES) {
            throw new IllegalArgumentException("out has " + out.length + " bytes, needs " + (length + EXTENSION_BYTES));
        }
        System.arraycopy(packet, 0, out, 0, header);
        out[0] |= 0x10; // X
        out[header] = (byte) 0xBE;
        out[header + 1] = (byte) 0xDE;
        out[header + 2] = 0;
        out[header + 3] = 1;                    // one 32-bit word of elements follows
        out[header + 4] = (byte) (id << 4 | 2); // id, length - 1 = 2 (three data bytes)
        out[header + 5] = 0;                    // min delay (12 bits, 10 ms units) = 0
        out[header + 6] = 0;                    // ... max delay (12 bits) = 0
        out[header + 7] = 0;
        System.arraycopy(packet, header, out, header + EXTENSION_BYTES, length - header);
        return length + EXTENSION_BYTES;
    }
}
