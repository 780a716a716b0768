package io.framewire.plugin.webrtc.rtp;

import java.util.Arrays;
import java.util.Optional;

/**
 * A read-only view of an RTP packet (RFC 3550) in a byte array: the one place that knows where the
 * header fields are and how long the header is (fixed part, CSRCs, header extension).
 *
 * <p>{@link #wrap} checks the header once (version 2, the CSRC list and the extension inside the
 * packet) and refuses a bad packet with an {@link IllegalArgumentException} that says why. The
 * getters then read the array as it is at the time of the call, so the view stays valid while the
 * payload is transformed in place (SRTP leaves the header in the clear). The length may include an
 * SRTP authentication tag: it is counted as payload.
 */
public final class RtpPacket {

    /** Size of the fixed RTP header: V/P/X/CC, M/PT, sequence number, timestamp, SSRC. */
    public static final int FIXED_HEADER_SIZE = 12;
    /** "Defined by profile" value that marks the one-byte header extension form (RFC 8285). */
    public static final int ONE_BYTE_EXTENSION_PROFILE = 0xBEDE;

    private final byte[] data;
    private final int offset;
    private final int length;
    private final int headerLength;

    private RtpPacket(byte[] data, int offset, int length, int headerLength) {
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.headerLength = headerLength;
    }

    /** Same as {@code wrap(packet, 0, packet.length)}. */
    public static RtpPacket wrap(byte[] packet) {
        return wrap(packet, 0, packet.length);
    }

    /**
     * Checks the RTP header of {@code data[offset, offset + length)} and returns a view of it.
     *
     * @throws IllegalArgumentException if the range is outside the array, or the bytes are not an
     *                                  RTP version 2 packet whose CSRCs and header extension fit
     */
    public static RtpPacket wrap(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("RTP packet [" + offset + ", +" + length + ") outside a "
                    + data.length + "-byte array");
        }
        if (length < FIXED_HEADER_SIZE) {
            throw new IllegalArgumentException("RTP packet of " + length + " bytes is shorter than the "
                    + FIXED_HEADER_SIZE + "-byte fixed header");
        }
        int b0 = data[offset] & 0xFF;
        if (b0 >>> 6 != 2) {
            throw new IllegalArgumentException("RTP packet has version " + (b0 >>> 6) + ", expected 2");
        }
        int header = FIXED_HEADER_SIZE + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (header + 4 > length) {
                throw new IllegalArgumentException("RTP packet of " + length + " bytes ends inside its "
                        + (b0 & 0x0F) + " CSRCs or the header extension's first word");
            }
            header += 4 + 4 * Bytes.u16(data, offset + header + 2);
        }
        if (header > length) {
            throw new IllegalArgumentException("RTP header of " + header + " bytes (CSRCs and extension included)"
                    + " is longer than the " + length + "-byte packet");
        }
        return new RtpPacket(data, offset, length, header);
    }

    /** @return the marker bit */
    public boolean marker() {
        return (data[offset + 1] & 0x80) != 0;
    }

    /** @return the payload type, 0..127 */
    public int payloadType() {
        return data[offset + 1] & 0x7F;
    }

    /** @return the sequence number, 0..65535 */
    public int sequenceNumber() {
        return Bytes.u16(data, offset + 2);
    }

    /** @return the timestamp, unsigned 32 bits */
    public long timestamp() {
        return Bytes.u32(data, offset + 4);
    }

    /** @return the SSRC, unsigned 32 bits */
    public long ssrc() {
        return Bytes.u32(data, offset + 8);
    }

    /** @return the number of CSRCs, 0..15 */
    public int csrcCount() {
        return data[offset] & 0x0F;
    }

    /** @return true when the X bit announces a header extension */
    public boolean hasExtension() {
        return (data[offset] & 0x10) != 0;
    }

    /** @return the header's length: fixed part, CSRCs and header extension */
    public int headerLength() {
        return headerLength;
    }

    /** @return the packet's length as given to {@link #wrap} */
    public int length() {
        return length;
    }

    /** @return the bytes after the header (payload, padding, and an SRTP tag if the packet has one) */
    public int payloadLength() {
        return length - headerLength;
    }

    /**
     * Writes a transport-wide sequence number (big-endian, the low 16 bits of {@code sequence}) into
     * its header extension slot, e.g. at {@link RtpHeaderExtensions#transportSequenceOffset()} or
     * {@link #oneByteExtensionOffset(int)}. Do it before SRTP protection: the header is authenticated.
     *
     * @param packet   the packet
     * @param offset   index of the slot's two data bytes in {@code packet}
     * @param sequence the transport-wide sequence number (low 16 bits used)
     * @throws IllegalArgumentException if the two bytes are outside the array
     */
    public static void writeTransportSequence(byte[] packet, int offset, int sequence) {
        if (offset < 0 || offset > packet.length - 2) {
            throw new IllegalArgumentException("transport sequence slot at " + offset + " is outside a "
                    + packet.length + "-byte packet");
        }
        Bytes.put16(packet, offset, sequence);
    }

    /**
     * Reads the two-byte transport-wide sequence number element.
     *
     * @param id the negotiated extension id, 1..14
     * @return the sequence number 0..65535, or -1 when the packet has no two-byte element with that id
     */
    public int transportSequence(int id) {
        int at = oneByteExtensionOffset(id);
        if (at < 0 || (data[at - 1] & 0x0F) != 1) {
            return -1;
        }
        return Bytes.u16(data, at);
    }

    /**
     * Finds an element of a one-byte-header extension block (RFC 8285 section 4.2).
     *
     * @param id the element id, 1..14
     * @return a copy of the element's data, or empty when the packet has no one-byte-header
     *         extension block or the block has no element with that id
     * @throws IllegalArgumentException if an element runs past the extension block
     */
    public Optional<byte[]> oneByteExtension(int id) {
        int at = oneByteExtensionOffset(id);
        if (at < 0) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(data, at, at + (data[at - 1] & 0x0F) + 1));
    }

    /**
     * Finds where an element's data is in a one-byte-header extension block (RFC 8285 section 4.2),
     * for writing it in place (the element's length is in the low 4 bits of the byte before, plus one).
     *
     * @param id the element id, 1..14
     * @return the index of the element's first data byte in the array given to {@link #wrap}, or -1
     *         when the packet has no one-byte-header extension block or the block has no element
     *         with that id
     * @throws IllegalArgumentException if an element runs past the extension block
     */
    public int oneByteExtensionOffset(int id) {
        if (id < 1 || id > 14) {
            throw new IllegalArgumentException("one-byte extension id " + id + ": must be in 1..14");
        }
        int block = offset + FIXED_HEADER_SIZE + 4 * csrcCount();
        if (!hasExtension() || Bytes.u16(data, block) != ONE_BYTE_EXTENSION_PROFILE) {
            return -1;
        }
        int end = offset + headerLength;
        int p = block + 4;
        while (p < end) {
            int elementId = (data[p] & 0xFF) >>> 4;
            if (elementId == 0) {
                p++; // padding byte
                continue;
            }
            if (elementId == 15) {
                break; // reserved: stop parsing (RFC 8285)
            }
            int dataLength = (data[p] & 0x0F) + 1;
            if (p + 1 + dataLength > end) {
                throw new IllegalArgumentException("one-byte extension element id " + elementId + " of "
                        + dataLength + " bytes runs past the header extension");
            }
            if (elementId == id) {
                return p + 1;
            }
            p += 1 + dataLength;
        }
        return -1;
    }
}
