package io.framewire.plugin.webrtc.rtp;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * RFC 7798 packetizer (no DONL: sprop-max-don-diff=0).
 *
 * <p>NAL units are taken from the Annex B access unit in order. A run of consecutive NAL units that
 * fits one packet (typically VPS + SPS + PPS) goes into an aggregation packet (AP, type 48) whose
 * payload header has F = OR of the F bits, LayerId and TID = the lowest of the aggregated NALs; a
 * NAL unit that fits alone goes into a single NAL unit packet; a larger one is split into
 * fragmentation units (FU, type 49): payload header = the NAL header with type 49, then the FU
 * header with S, E and the NAL type, then a piece of the NAL payload (without its 2-byte header).
 */
public final class H265Packetizer extends AbstractRtpPacketizer {

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
        super(payloadType, ssrc, initialSequence, maxPacketSize);
    }

    @Override
    public void packetize(ByteBuffer accessUnit, long rtpTimestamp, PacketSink sink) {
        List<ByteBuffer> nals = AnnexB.split(accessUnit);
        for (ByteBuffer nal : nals) {
            if (nal.remaining() < 2) {
                throw new IllegalArgumentException("H.265 NAL unit of " + nal.remaining()
                        + " byte(s) is shorter than its 2-byte header");
            }
        }
        int max = maxPayloadSize();
        int n = nals.size();
        int i = 0;
        while (i < n) {
            ByteBuffer nal = nals.get(i);
            int len = nal.remaining();
            if (len > max) {
                fragment(nal, rtpTimestamp, i == n - 1, sink);
                i++;
                continue;
            }
            int size = 2 + 2 + len; // AP payload header + size field + NAL
            int j = i + 1;
            while (j < n && size + 2 + nals.get(j).remaining() <= max) {
                size += 2 + nals.get(j).remaining();
                j++;
            }
            if (j - i >= 2) {
                aggregate(nals, i, j, rtpTimestamp, j == n, sink);
            } else {
                nal.get(0, buffer, HEADER_SIZE, len);
                emit(len, rtpTimestamp, i == n - 1, sink);
            }
            i = j;
        }
    }

    /** Writes NAL units {@code [from, to)} as one aggregation packet. */
    private void aggregate(List<ByteBuffer> nals, int from, int to, long ts, boolean last, PacketSink sink) {
        int f = 0;
        int layerId = 63;
        int tid = 7;
        int pos = HEADER_SIZE + 2;
        for (int k = from; k < to; k++) {
            ByteBuffer nal = nals.get(k);
            int len = nal.remaining();
            int h0 = nal.get(0) & 0xFF;
            int h1 = nal.get(1) & 0xFF;
            f |= h0 & 0x80;
            layerId = Math.min(layerId, ((h0 & 0x01) << 5) | (h1 >>> 3));
            tid = Math.min(tid, h1 & 0x07);
            buffer[pos++] = (byte) (len >>> 8);
            buffer[pos++] = (byte) len;
            nal.get(0, buffer, pos, len);
            pos += len;
        }
        buffer[HEADER_SIZE] = (byte) (f | (AP << 1) | (layerId >>> 5));
        buffer[HEADER_SIZE + 1] = (byte) (((layerId & 0x1F) << 3) | tid);
        emit(pos - HEADER_SIZE, ts, last, sink);
    }

    /** Writes one NAL unit as fragmentation units. */
    private void fragment(ByteBuffer nal, long ts, boolean lastNal, PacketSink sink) {
        int h0 = nal.get(0) & 0xFF;
        int h1 = nal.get(1) & 0xFF;
        int type = (h0 >>> 1) & 0x3F;
        int chunk = maxPayloadSize() - 3;
        int offset = 2; // the NAL header is rebuilt from the payload header and FU header
        int end = nal.remaining();
        while (offset < end) {
            int len = Math.min(chunk, end - offset);
            boolean start = offset == 2;
            boolean stop = offset + len == end;
            buffer[HEADER_SIZE] = (byte) ((h0 & 0x81) | (FU << 1));
            buffer[HEADER_SIZE + 1] = (byte) h1;
            buffer[HEADER_SIZE + 2] = (byte) ((start ? 0x80 : 0) | (stop ? 0x40 : 0) | type);
            nal.get(offset, buffer, HEADER_SIZE + 3, len);
            emit(len + 3, ts, lastNal && stop, sink);
            offset += len;
        }
    }
}
