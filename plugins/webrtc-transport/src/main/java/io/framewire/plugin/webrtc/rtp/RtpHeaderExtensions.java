package io.framewire.plugin.webrtc.rtp;

import java.util.Arrays;

/**
 * The RTP header extensions a packetizer writes into every packet it makes, in the one-byte-header
 * form of RFC 8285: the {@code 0xBEDE} word with the block's length in 32-bit words, the elements
 * ({@code id | length - 1}, then the data), zero padding to the next word.
 *
 * <p>Immutable: start from {@link #NONE} and add elements with {@link #with}. The packetizer
 * reserves {@link #size()} bytes of its packet budget for the block and writes it in place, so the
 * packets need no copy to gain their extensions. Elements whose value changes per packet (the
 * transport-wide sequence number) are to be written here too, into their slot of the block.
 */
public final class RtpHeaderExtensions {

    /** No extensions: packets without the X bit. */
    public static final RtpHeaderExtensions NONE = new RtpHeaderExtensions(new byte[0], 0, -1);

    /** Bytes of the transport-wide sequence number element's data. */
    public static final int TRANSPORT_SEQUENCE_SIZE = 2;

    /** Element bytes, without the 0xBEDE word and the padding. */
    private final byte[] elements;
    /** Bit {@code id} set for each id in use. */
    private final int ids;
    /** What goes into each packet: 0xBEDE word, elements, padding; empty for {@link #NONE}. */
    private final byte[] block;
    /** Index in {@link #elements} of the transport-wide sequence number's data, or -1. */
    private final int transportSequenceAt;

    private RtpHeaderExtensions(byte[] elements, int ids, int transportSequenceAt) {
        this.elements = elements;
        this.ids = ids;
        this.transportSequenceAt = transportSequenceAt;
        if (elements.length == 0) {
            block = elements;
        } else {
            int words = (elements.length + 3) / 4;
            block = new byte[4 + 4 * words];
            Bytes.put16(block, 0, RtpPacket.ONE_BYTE_EXTENSION_PROFILE);
            Bytes.put16(block, 2, words);
            System.arraycopy(elements, 0, block, 4, elements.length);
        }
    }

    /**
     * Returns these extensions plus one element with fixed data.
     *
     * @param id   the extension id negotiated in the SDP ({@code a=extmap}), 1..14, not yet used here
     * @param data the element's data, 1..16 bytes (copied)
     * @return the new set; this one is unchanged
     * @throws IllegalArgumentException for an id or data length the one-byte form cannot carry, or
     *                                  an id already used
     */
    public RtpHeaderExtensions with(int id, byte... data) {
        return with(id, data, transportSequenceAt);
    }

    /**
     * Returns these extensions plus a two-byte slot for the transport-wide sequence number
     * ({@code http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01}), written as
     * 0 by the packetizer. The sender fills it in each packet just before sending it (and before SRTP
     * protection, which authenticates the header) with
     * {@link RtpPacket#writeTransportSequence(byte[], int, int)} at {@link #transportSequenceOffset()}.
     *
     * @param id the extension id negotiated in the SDP, 1..14, not yet used here
     * @return the new set; this one is unchanged
     * @throws IllegalArgumentException for an id outside 1..14 or already used, or when the set
     *                                  already has a transport sequence slot
     */
    public RtpHeaderExtensions withTransportSequenceSlot(int id) {
        if (transportSequenceAt >= 0) {
            throw new IllegalArgumentException("these header extensions already have a transport sequence slot");
        }
        return with(id, new byte[TRANSPORT_SEQUENCE_SIZE], elements.length + 1);
    }

    /**
     * Where the transport-wide sequence number's two data bytes are in a packet built with these
     * extensions by the packetizers: a fixed 12-byte header without CSRCs, then this block.
     *
     * @return the byte offset from the packet's start, or -1 when there is no slot
     */
    public int transportSequenceOffset() {
        return transportSequenceAt < 0 ? -1 : RtpPacket.FIXED_HEADER_SIZE + 4 + transportSequenceAt;
    }

    /** @return the id of the transport sequence slot, or 0 when there is none */
    public int transportSequenceId() {
        return transportSequenceAt < 0 ? 0 : (elements[transportSequenceAt - 1] & 0xFF) >>> 4;
    }

    private RtpHeaderExtensions with(int id, byte[] data, int transportSequenceAt) {
        if (id < 1 || id > 14) {
            throw new IllegalArgumentException("one-byte header extension id " + id + ": must be in 1..14");
        }
        if ((ids & (1 << id)) != 0) {
            throw new IllegalArgumentException("header extension id " + id + " is already used");
        }
        if (data.length < 1 || data.length > 16) {
            throw new IllegalArgumentException("one-byte header extension data of " + data.length
                    + " bytes: must be 1..16");
        }
        byte[] more = Arrays.copyOf(elements, elements.length + 1 + data.length);
        more[elements.length] = (byte) (id << 4 | (data.length - 1));
        System.arraycopy(data, 0, more, elements.length + 1, data.length);
        return new RtpHeaderExtensions(more, ids | (1 << id), transportSequenceAt);
    }

    /** @return bytes the extension block adds to each RTP header, 0 for {@link #NONE} */
    public int size() {
        return block.length;
    }

    /** @return true when there are no elements (packets go without the X bit) */
    public boolean isEmpty() {
        return block.length == 0;
    }

    /** Writes the block at {@code packet[at, at + size())}, right after the fixed header and CSRCs. */
    void writeTo(byte[] packet, int at) {
        System.arraycopy(block, 0, packet, at, block.length);
    }
}
