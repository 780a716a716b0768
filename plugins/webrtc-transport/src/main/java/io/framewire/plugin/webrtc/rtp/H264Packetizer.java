package io.framewire.plugin.webrtc.rtp;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * RFC 6184 packetizer, packetization-mode=1 (non-interleaved); the loop is {@link NalUnitPacketizer}'s.
 *
 * <p>Aggregation packets are STAP-A (type 24) whose one-byte header has F = OR of the F bits and
 * NRI = the highest NRI of the aggregated NALs; fragments are FU-A (type 28) whose FU indicator
 * carries the NAL's F and NRI bits and whose FU header carries S, E and the NAL type.
 */
public final class H264Packetizer extends NalUnitPacketizer {

    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    /**
     * Creates a packetizer with the {@linkplain #DEFAULT_MAX_PACKET_SIZE default packet budget}.
     *
     * @param payloadType     negotiated RTP payload type
     * @param ssrc            our SSRC
     * @param initialSequence first sequence number (use a random one)
     */
    public H264Packetizer(int payloadType, long ssrc, int initialSequence) {
        this(payloadType, ssrc, initialSequence, DEFAULT_MAX_PACKET_SIZE);
    }

    /**
     * @param payloadType     negotiated RTP payload type
     * @param ssrc            our SSRC
     * @param initialSequence first sequence number (use a random one)
     * @param maxPacketSize   largest RTP packet, header included
     */
    public H264Packetizer(int payloadType, long ssrc, int initialSequence, int maxPacketSize) {
        this(payloadType, ssrc, initialSequence, maxPacketSize, RtpHeaderExtensions.NONE);
    }

    /**
     * @param payloadType     negotiated RTP payload type
     * @param ssrc            our SSRC
     * @param initialSequence first sequence number (use a random one)
     * @param maxPacketSize   largest RTP packet, header and header extensions included
     * @param extensions      header extensions written into every packet
     */
    public H264Packetizer(int payloadType, long ssrc, int initialSequence, int maxPacketSize,
                          RtpHeaderExtensions extensions) {
        super(1, payloadType, ssrc, initialSequence, maxPacketSize, extensions);
    }

    @Override
    int nalType(ByteBuffer nal) {
        return nal.get(0) & 0x1F;
    }

    @Override
    void writeAggregationHeader(List<ByteBuffer> nals, byte[] out, int at) {
        int f = 0;
        int nri = 0;
        for (ByteBuffer nal : nals) {
            int h = nal.get(0) & 0xFF;
            f |= h & 0x80;
            nri = Math.max(nri, h & 0x60);
        }
        out[at] = (byte) (f | nri | STAP_A);
    }

    @Override
    void writeFragmentationHeader(ByteBuffer nal, byte[] out, int at) {
        out[at] = (byte) ((nal.get(0) & 0xE0) | FU_A);
    }
}
