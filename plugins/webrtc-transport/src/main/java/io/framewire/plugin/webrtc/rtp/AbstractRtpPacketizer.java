package io.framewire.plugin.webrtc.rtp;

/**
 * Common part of the packetizers: the RTP header (V=2, no padding, no CSRC; the X bit and the
 * {@linkplain RtpHeaderExtensions header extension block} when extensions are configured), the
 * sequence counter and the packet buffer. Subclasses write the payload into {@link #buffer} from
 * index {@link #payloadOffset} and call {@link #emit}.
 */
public abstract class AbstractRtpPacketizer implements RtpPacketizer {

    /**
     * Default packet budget: 1200 bytes of whole RTP packet, which keeps the packet plus SRTP's
     * 10-byte authentication tag and the UDP/IP headers under common path MTUs (1280 for IPv6
     * minimum).
     */
    public static final int DEFAULT_MAX_PACKET_SIZE = 1200;

    /** Smallest accepted packet budget, not counting header extensions. */
    public static final int MIN_MAX_PACKET_SIZE = 32;

    /**
     * The work buffer the packets are assembled in: the packet budget plus
     * {@link PacketSink#SPARE_BYTES} for the sink.
     */
    protected final byte[] buffer;
    /** Where the payload starts: after the fixed header and the header extension block. */
    protected final int payloadOffset;
    private final int maxPacketSize;
    private final RtpHeaderExtensions extensions;
    private final int payloadType;
    private final int ssrc;
    private int sequence;

    /**
     * @param payloadType     RTP payload type, 0..127
     * @param ssrc            synchronisation source (low 32 bits used)
     * @param initialSequence sequence number of the first packet (low 16 bits used)
     * @param maxPacketSize   largest packet, RTP header and extensions included,
     *                        {@value #MIN_MAX_PACKET_SIZE} + {@code extensions.size()}..65535
     * @param extensions      the header extensions written into every packet
     */
    protected AbstractRtpPacketizer(int payloadType, long ssrc, int initialSequence, int maxPacketSize,
                                    RtpHeaderExtensions extensions) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, got " + payloadType);
        }
        int smallest = MIN_MAX_PACKET_SIZE + extensions.size();
        if (maxPacketSize < smallest || maxPacketSize > 65535) {
            throw new IllegalArgumentException("max packet size must be " + smallest + "..65535 bytes ("
                    + extensions.size() + " of them header extensions), got " + maxPacketSize);
        }
        this.payloadType = payloadType;
        this.ssrc = (int) ssrc;
        this.sequence = initialSequence & 0xFFFF;
        this.maxPacketSize = maxPacketSize;
        this.extensions = extensions;
        this.payloadOffset = RtpPacket.FIXED_HEADER_SIZE + extensions.size();
        this.buffer = new byte[maxPacketSize + PacketSink.SPARE_BYTES];
    }

    @Override
    public final int maxPacketSize() {
        return maxPacketSize;
    }

    @Override
    public final int nextSequenceNumber() {
        return sequence;
    }

    /** @return the RTP payload type */
    public final int payloadType() {
        return payloadType;
    }

    /** @return the SSRC as an unsigned 32-bit value */
    public final long ssrc() {
        return ssrc & 0xFFFFFFFFL;
    }

    /** @return the largest payload one packet can carry (packet budget minus header and extensions) */
    protected final int maxPayloadSize() {
        return maxPacketSize - payloadOffset;
    }

    /**
     * Writes the RTP header and the header extensions in front of the payload already in
     * {@link #buffer}, hands the packet to the sink and advances the sequence number. Every header
     * byte is written again for each packet, because the sink may have overwritten the buffer.
     *
     * @param payloadLength bytes of payload at {@code buffer[payloadOffset..]}
     * @param rtpTimestamp  the access unit's timestamp
     * @param marker        true for the last packet of the access unit
     * @param sink          the receiver
     */
    protected final void emit(int payloadLength, long rtpTimestamp, boolean marker, PacketSink sink) {
        byte[] b = buffer;
        b[0] = (byte) (extensions.isEmpty() ? 0x80 : 0x90); // V=2, X when there are extensions
        b[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        Bytes.put16(b, 2, sequence);
        Bytes.put32(b, 4, rtpTimestamp);
        Bytes.put32(b, 8, ssrc);
        extensions.writeTo(b, RtpPacket.FIXED_HEADER_SIZE);
        sequence = (sequence + 1) & 0xFFFF;
        sink.accept(b, payloadOffset + payloadLength, marker);
    }
}
