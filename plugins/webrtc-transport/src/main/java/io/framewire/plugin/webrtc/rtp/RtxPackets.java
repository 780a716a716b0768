package io.framewire.plugin.webrtc.rtp;

/**
 * RTX retransmission packets (RFC 4588 section 4): a lost packet resent on its own SSRC with its
 * own payload type and sequence numbers, so that the receiver's loss and jitter statistics of the
 * media stream are not disturbed and the resend can be told apart from the original.
 *
 * <p>An RTX packet has the original's header (version, padding and extension bits, CSRCs, marker,
 * timestamp, header extension block) with the RTX payload type, the RTX SSRC and the next RTX
 * sequence number; its payload is the original sequence number (OSN, 16 bits big-endian) followed
 * by the original payload (and padding, if the original had any). The header extension block is
 * copied as it is, so it has the same length and the same element offsets as in the original: a
 * transport-wide sequence number slot is at the same index and is to be overwritten with a fresh
 * number before the packet goes out (each transmission needs its own).
 *
 * <p>Both directions work on unprotected (plain RTP) packets: wrap before SRTP protection, unwrap
 * after unprotection.
 */
public final class RtxPackets {

    /** Bytes the original sequence number adds to the payload. */
    public static final int OSN_SIZE = 2;

    private RtxPackets() {
    }

    /**
     * Builds the RTX packet that resends {@code original[0, length)}.
     *
     * @param original       an unprotected RTP packet from index 0 (e.g. from {@link RtpHistory})
     * @param length         its length
     * @param rtxPayloadType the negotiated RTX payload type, 0..127
     * @param rtxSsrc        the RTX SSRC, unsigned 32-bit
     * @param rtxSequence    the RTX stream's sequence number for this packet (low 16 bits used)
     * @return a new array of {@code length + 2} bytes
     * @throws IllegalArgumentException if the bytes are not an RTP packet (see {@link RtpPacket#wrap}),
     *                                  its padding count does not fit, or a parameter is out of range
     */
    public static byte[] wrap(byte[] original, int length, int rtxPayloadType, long rtxSsrc, int rtxSequence) {
        if (rtxPayloadType < 0 || rtxPayloadType > 127) {
            throw new IllegalArgumentException("RTX payload type must be 0..127, got " + rtxPayloadType);
        }
        if (rtxSsrc < 0 || rtxSsrc > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("RTX SSRC must be 0..2^32-1, got " + rtxSsrc);
        }
        if (original == null) {
            throw new IllegalArgumentException("RTX: no original packet");
        }
        RtpPacket rtp;
        try {
            rtp = RtpPacket.wrap(original, 0, length);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RTX: cannot resend a malformed packet: " + e.getMessage(), e);
        }
        checkPadding(original, rtp, "RTX: the original");
        int header = rtp.headerLength();
        byte[] rtx = new byte[length + OSN_SIZE];
        System.arraycopy(original, 0, rtx, 0, header);
        rtx[1] = (byte) ((original[1] & 0x80) | rtxPayloadType);
        Bytes.put16(rtx, 2, rtxSequence);
        Bytes.put32(rtx, 8, rtxSsrc);
        Bytes.put16(rtx, header, rtp.sequenceNumber());
        System.arraycopy(original, header, rtx, header + OSN_SIZE, length - header);
        return rtx;
    }

    /**
     * Restores the original packet from an RTX packet (the receiver's side, for tests and tools).
     *
     * @param rtx                 an unprotected RTX packet from index 0
     * @param length              its length
     * @param originalPayloadType the payload type the RTX payload type repairs ({@code apt}), 0..127
     * @param originalSsrc        the media SSRC, unsigned 32-bit
     * @return a new array of {@code length - 2} bytes: the original packet, its sequence number taken
     *         from the OSN
     * @throws IllegalArgumentException if the bytes are not an RTP packet, or it has no room for the OSN
     */
    public static byte[] unwrap(byte[] rtx, int length, int originalPayloadType, long originalSsrc) {
        if (originalPayloadType < 0 || originalPayloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, got " + originalPayloadType);
        }
        if (originalSsrc < 0 || originalSsrc > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("SSRC must be 0..2^32-1, got " + originalSsrc);
        }
        if (rtx == null) {
            throw new IllegalArgumentException("RTX: no packet");
        }
        RtpPacket rtp;
        try {
            rtp = RtpPacket.wrap(rtx, 0, length);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RTX: malformed packet: " + e.getMessage(), e);
        }
        int padding = checkPadding(rtx, rtp, "the RTX");
        if (rtp.payloadLength() - padding < OSN_SIZE) {
            throw new IllegalArgumentException("RTX packet of " + length + " bytes has no room for the "
                    + OSN_SIZE + "-byte original sequence number after its " + rtp.headerLength()
                    + "-byte header");
        }
        int header = rtp.headerLength();
        byte[] original = new byte[length - OSN_SIZE];
        System.arraycopy(rtx, 0, original, 0, header);
        original[1] = (byte) ((rtx[1] & 0x80) | originalPayloadType);
        Bytes.put16(original, 2, Bytes.u16(rtx, header));
        Bytes.put32(original, 8, originalSsrc);
        System.arraycopy(rtx, header + OSN_SIZE, original, header, length - header - OSN_SIZE);
        return original;
    }

    /** @return the padding count (0 without the P bit), checked to fit the payload */
    private static int checkPadding(byte[] packet, RtpPacket rtp, String what) {
        if ((packet[0] & 0x20) == 0) {
            return 0;
        }
        int count = rtp.payloadLength() == 0 ? 0 : packet[rtp.length() - 1] & 0xFF;
        if (count == 0 || count > rtp.payloadLength()) {
            throw new IllegalArgumentException(what + " packet has the P bit but a padding count of " + count
                    + " for " + rtp.payloadLength() + " bytes after the header");
        }
        return count;
    }
}
