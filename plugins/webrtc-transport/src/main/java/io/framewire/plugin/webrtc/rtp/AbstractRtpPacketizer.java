package io.framewire.plugin.webrtc.rtp;

/**
 * Common part of the packetizers: the fixed 12-byte RTP header (V=2, no padding, no extension, no
 * CSRC), the sequence counter and the packet buffer. Subclasses write the payload into
 * {@link #buffer} from index {@link #HEADER_SIZE} and call {@link #emit}.
 */
public abstract class AbstractRtpPacketizer implements RtpPacketizer {

    /** Size of the RTP header written by the packetizers. */
    public static final int HEADER_SIZE = 12;

    /**
     * Default packet budget: 1200 bytes of whole RTP packet, which keeps the packet plus SRTP's
     * 10-byte authentication tag, a few header-extension bytes and the UDP/IP headers under common
     * path MTUs (1280 for IPv6 minimum).
     */
    public static final int DEFAULT_MAX_PACKET_SIZE = 1200;

    /** Smallest accepted packet budget. */
    public static final int MIN_MAX_PACKET_SIZE = 32;

    /** The work buffer the packets are assembled in; its length is the packet budget. */
    protected final byte[] buffer;
    private final int payloadType;
    private final int ssrc;
    private int sequence;

    /**
     * @param payloadType     RTP payload type, 0..127
     * @param ssrc            synchronisation source (low 32 bits used)
     * @param initialSequence sequence number of the first packet (low 16 bits used)
     * @param maxPacketSize   largest packet, RTP header included, {@value #MIN_MAX_PACKET_SIZE}..65535
     */
    protected AbstractRtpPacketizer(int payloadType, long ssrc, int initialSequence, int maxPacketSize) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, got " + payloadType);
        }
        if (maxPacketSize < MIN_MAX_PACKET_SIZE || maxPacketSize > 65535) {
            throw new IllegalArgumentException("max packet size must be " + MIN_MAX_PACKET_SIZE
                    + "..65535 bytes, got " + maxPacketSize);
        }
        this.payloadType = payloadType;
        this.ssrc = (int) ssrc;
        this.sequence = initialSequence & 0xFFFF;
        this.buffer = new byte[maxPacketSize];
    }

    @Override
    public final int maxPacketSize() {
        return buffer.length;
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

    /** @return the largest payload one packet can carry (packet budget minus the RTP header) */
    protected final int maxPayloadSize() {
        return buffer.length - HEADER_SIZE;
    }

    /**
     * Writes the RTP header in front of the payload already in {@link #buffer}, hands the packet to
     * the sink and advances the sequence number.
     *
     * @param payloadLength bytes of payload at {@code buffer[HEADER_SIZE..]}
     * @param rtpTimestamp  the access unit's timestamp
     * @param marker        true for the last packet of the access unit
     * @param sink          the receiver
     */
    protected final void emit(int payloadLength, long rtpTimestamp, boolean marker, PacketSink sink) {
        byte[] b = buffer;
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        b[2] = (byte) (sequence >>> 8);
        b[3] = (byte) sequence;
        b[4] = (byte) (rtpTimestamp >>> 24);
        b[5] = (byte) (rtpTimestamp >>> 16);
        b[6] = (byte) (rtpTimestamp >>> 8);
        b[7] = (byte) rtpTimestamp;
        b[8] = (byte) (ssrc >>> 24);
        b[9] = (byte) (ssrc >>> 16);
        b[10] = (byte) (ssrc >>> 8);
        b[11] = (byte) ssrc;
        sequence = (sequence + 1) & 0xFFFF;
        sink.accept(b, HEADER_SIZE + payloadLength, marker);
    }
}
