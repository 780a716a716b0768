package io.framewire.plugin.bitstream;

/**
 * One NAL unit (H.264/H.265) or OBU (AV1) inside an access unit buffer. Positions are absolute
 * indices into the buffer that was analysed.
 *
 * @param type          NAL unit type ({@code nal_unit_type}) or OBU type ({@code obu_type})
 * @param start         where the unit begins including its framing: the first byte of the start code
 *                      (Annex B) or of the OBU header (AV1)
 * @param offset        first byte of the NAL unit header / OBU header
 * @param length        bytes from {@code offset} to the end of the unit (NAL header + payload, without
 *                      trailing zero bytes; OBU header + size field + payload)
 * @param payloadOffset first byte after the NAL unit header / after the OBU header and its size field
 */
public record Unit(int type, int start, int offset, int length, int payloadOffset) {
    /** @return the index just past the unit */
    public int end() {
        return offset + length;
    }

    /** @return payload bytes (after the NAL/OBU header) */
    public int payloadLength() {
        return end() - payloadOffset;
    }
}
