package io.framewire.plugin.webrtc.rtp;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * RFC 7798 packetizer (no DONL: sprop-max-don-diff=0); the loop is {@link NalUnitPacketizer}'s.
 *
 * <p>Aggregation packets (AP, type 48) have a payload header with F = OR of the F bits, LayerId and
 * TID = the lowest of the aggregated NALs; fragmentation units (FU, type 49) have the NAL header with
 * type 49 as payload header, then the FU header with S, E and the NAL type. NAL units shorter than
 * their 2-byte header are refused.
 */
public final class H265Packetizer extends NalUnitPacketizer {

    private static final int AP = 48;
    private static final int FU = 49;

    /**
     * Creates a packetizer with the {@linkplain #DEFAULT_MAX_PACKET_SIZE default packet budget}.
     *
     * @param payloadType     negotiated RTP payload type
     * @param ssrc            our SSRC
     * @param initialSequence first sequence number (use a random one)
     */
    public H265Packetizer(int payloadType, long ssrc, int initialSequence) {
        this(payloadType, ssrc, initialSequence, DEFAULT_MAX_PACKET_SIZE);
    }

    /**
     * @param payloadType     negotiated RTP payload type
     * @param ssrc            our SSRC
     * @param initialSequence first sequence number (use a random one)
     * @param maxPacketSize   largest RTP packet, header included
     */
    public H265Packetizer(int payloadType, long ssrc, int initialSequence, int maxPacketSize) {
        this(payloadType, ssrc, initialSequence, maxPacketSize, RtpHeaderExtensions.NONE);
    }

    /**
     * @param payloadType     negotiated RTP payload type
     * @param ssrc            our SSRC
     * @param initialSequence first sequence number (use a random one)
     * @param maxPacketSize   largest RTP packet, header and header extensions included
     * @param extensions      header extensions written into every packet
     */
    public H265Packetizer(int payloadType, long ssrc, int initialSequence, int maxPacketSize,
                          RtpHeaderExtensions extensions) {
        super(2, payloadType, ssrc, initialSequence, maxPacketSize, extensions);
    }

    @Override
    int nalType(ByteBuffer nal) {
        return (nal.get(0) >>> 1) & 0x3F;
    }

    @Override
    void writeAggregationHeader(List<ByteBuffer> nals, byte[] out, int at) {
        int f = 0;
        int layerId = 63;
        int tid = 7;
        for (ByteBuffer nal : nals) {
            int h0 = nal.get(0) & 0xFF;
            int h1 = nal.get(1) & 0xFF;
            f |= h0 & 0x80;
            layerId = Math.min(layerId, ((h0 & 0x01) << 5) | (h1 >>> 3));
            tid = Math.min(tid, h1 & 0x07);
        }
        out[at] = (byte) (f | (AP << 1) | (layerId >>> 5));
        out[at + 1] = (byte) (((layerId & 0x1F) << 3) | tid);
    }

    @Override
    void writeFragmentationHeader(ByteBuffer nal, byte[] out, int at) {
        out[at] = (byte) ((nal.get(0) & 0x81) | (FU << 1));
        out[at + 1] = nal.get(1);
    }
}
