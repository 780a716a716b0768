package io.framewire.plugin.webrtc.rtp;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The packetization shared by H.264 (RFC 6184, packetization-mode=1) and H.265 (RFC 7798, no DONL).
 *
 * <p>NAL units are taken from the Annex B access unit in order. A run of consecutive NAL units that
 * fits one packet (typically the parameter sets, or those plus a small slice) goes into one
 * aggregation packet: a payload header, then a 16-bit size and the NAL unit for each. A NAL unit
 * that fits alone goes into a single NAL unit packet; a larger one is split into fragmentation
 * units: a payload header, a one-byte FU header {@code S E type}, then a piece of the NAL unit
 * without its own header (the receiver rebuilds it from the two headers).
 *
 * <p>The codecs differ only in the NAL header size and in how the payload headers are derived from
 * the NAL headers: the subclasses write those.
 */
abstract class NalUnitPacketizer extends AbstractRtpPacketizer {

    private final int nalHeaderSize;

    /**
     * @param nalHeaderSize bytes of the codec's NAL unit header, which is also the size of the
     *                      aggregation and fragmentation payload headers
     */
    NalUnitPacketizer(int nalHeaderSize, int payloadType, long ssrc, int initialSequence, int maxPacketSize,
                      RtpHeaderExtensions extensions) {
        super(payloadType, ssrc, initialSequence, maxPacketSize, extensions);
        this.nalHeaderSize = nalHeaderSize;
    }

    /** @return the NAL unit type written into the FU header */
    abstract int nalType(ByteBuffer nal);

    /** Writes the payload header of an aggregation packet holding {@code nals} at {@code out[at..]}. */
    abstract void writeAggregationHeader(List<ByteBuffer> nals, byte[] out, int at);

    /** Writes the payload header of the fragmentation units of {@code nal} at {@code out[at..]}. */
    abstract void writeFragmentationHeader(ByteBuffer nal, byte[] out, int at);

    @Override
    public final void packetize(ByteBuffer accessUnit, long rtpTimestamp, PacketSink sink) {
        List<ByteBuffer> nals = AnnexB.split(accessUnit);
        for (ByteBuffer nal : nals) {
            if (nal.remaining() < nalHeaderSize) {
                throw new IllegalArgumentException("NAL unit of " + nal.remaining()
                        + " byte(s) is shorter than its " + nalHeaderSize + "-byte header");
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
            int size = nalHeaderSize + 2 + len; // payload header + size field + NAL
            int j = i + 1;
            while (j < n && size + 2 + nals.get(j).remaining() <= max) {
                size += 2 + nals.get(j).remaining();
                j++;
            }
            if (j - i >= 2) {
                aggregate(nals.subList(i, j), rtpTimestamp, j == n, sink);
            } else {
                nal.get(0, buffer, payloadOffset, len);
                emit(len, rtpTimestamp, i == n - 1, sink);
            }
            i = j;
        }
    }

    /** Writes the NAL units as one aggregation packet. */
    private void aggregate(List<ByteBuffer> nals, long ts, boolean last, PacketSink sink) {
        int pos = payloadOffset + nalHeaderSize;
        for (ByteBuffer nal : nals) {
            int len = nal.remaining();
            Bytes.put16(buffer, pos, len);
            pos += 2;
            nal.get(0, buffer, pos, len);
            pos += len;
        }
        writeAggregationHeader(nals, buffer, payloadOffset);
        emit(pos - payloadOffset, ts, last, sink);
    }

    /** Writes one NAL unit as fragmentation units. */
    private void fragment(ByteBuffer nal, long ts, boolean lastNal, PacketSink sink) {
        int type = nalType(nal);
        int fuHeader = payloadOffset + nalHeaderSize;
        int chunk = maxPayloadSize() - nalHeaderSize - 1;
        int offset = nalHeaderSize; // the NAL header travels in the payload header and FU header
        int end = nal.remaining();
        while (offset < end) {
            int len = Math.min(chunk, end - offset);
            boolean start = offset == nalHeaderSize;
            boolean stop = offset + len == end;
            writeFragmentationHeader(nal, buffer, payloadOffset);
            buffer[fuHeader] = (byte) ((start ? 0x80 : 0) | (stop ? 0x40 : 0) | type);
            nal.get(offset, buffer, fuHeader + 1, len);
            emit(nalHeaderSize + 1 + len, ts, lastNal && stop, sink);
            offset += len;
        }
    }
}
