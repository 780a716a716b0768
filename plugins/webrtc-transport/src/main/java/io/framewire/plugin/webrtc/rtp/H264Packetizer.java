package io.framewire.plugin.webrtc.rtp;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * RFC 6184 packetizer, packetization-mode=1 (non-interleaved).
 *
 * <p>NAL units are taken from the Annex B access unit in order. A run of consecutive NAL units that
 * fits one packet (typically SPS + PPS, or SPS + PPS + a small slice) goes into one STAP-A (type 24);
 * a NAL unit that fits alone goes into a single NAL unit packet; a larger one is split into FU-A
 * fragments (type 28) whose FU indicator carries the NAL's F and NRI bits and whose FU header
 * carries S (first), E (last) and the NAL type.
 */
public final class H264Packetizer extends AbstractRtpPacketizer {

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
        super(payloadType, ssrc, initialSequence, maxPacketSize);
    }

    @Override
    public void packetize(ByteBuffer accessUnit, long rtpTimestamp, PacketSink sink) {
        List<ByteBuffer> nals = AnnexB.split(accessUnit);
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
            int size = 1 + 2 + len; // STAP-A header + size field + NAL
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

    /** Writes NAL units {@code [from, to)} as one STAP-A packet. */
    private void aggregate(List<ByteBuffer> nals, int from, int to, long ts, boolean last, PacketSink sink) {
        int f = 0;
        int nri = 0;
        int pos = HEADER_SIZE + 1;
        for (int k = from; k < to; k++) {
            ByteBuffer nal = nals.get(k);
            int len = nal.remaining();
            int h = nal.get(0) & 0xFF;
            f |= h & 0x80;
            nri = Math.max(nri, h & 0x60);
            buffer[pos++] = (byte) (len >>> 8);
            buffer[pos++] = (byte) len;
            nal.get(0, buffer, pos, len);
            pos += len;
        }
        buffer[HEADER_SIZE] = (byte) (f | nri | STAP_A);
        emit(pos - HEADER_SIZE, ts, last, sink);
    }

    /** Writes one NAL unit as FU-A fragments. */
    private void fragment(ByteBuffer nal, long ts, boolean lastNal, PacketSink sink) {
        int header = nal.get(0) & 0xFF;
        int indicator = (header & 0xE0) | FU_A;
        int type = header & 0x1F;
        int chunk = maxPayloadSize() - 2;
        int offset = 1; // the NAL header travels in the FU indicator/header
        int end = nal.remaining();
        while (offset < end) {
            int len = Math.min(chunk, end - offset);
            boolean start = offset == 1;
            boolean stop = offset + len == end;
            buffer[HEADER_SIZE] = (byte) indicator;
            buffer[HEADER_SIZE + 1] = (byte) ((start ? 0x80 : 0) | (stop ? 0x40 : 0) | type);
            nal.get(offset, buffer, HEADER_SIZE + 2, len);
            emit(len + 2, ts, lastNal && stop, sink);
            offset += len;
        }
    }
}
