package io.framewire.plugin.webrtc.rtp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Packetizer for the AV1 RTP payload format (AOM "RTP Payload Format For AV1", v1.0).
 *
 * <p>The temporal unit (low-overhead bitstream: OBUs with {@code obu_has_size_field}) is turned into
 * OBU elements: temporal delimiters, tile lists and padding OBUs are dropped, as the format requires
 * or recommends, and every remaining OBU loses its size field ({@code obu_has_size_field} cleared,
 * the LEB128 size removed). The elements are then packed in order, each packet starting with the
 * one-byte aggregation header {@code Z Y W W N 0 0 0}:
 * <ul>
 * <li><b>W = 0 always</b>: every OBU element (or fragment) in a packet is preceded by its LEB128
 *     length, the last one included. That costs a byte or two per packet and keeps the format
 *     uniform; receivers must accept any W.</li>
 * <li>Z = the first element continues a fragment from the previous packet; Y = the last element is
 *     a fragment continued in the next packet. Elements are split wherever the packet is full.</li>
 * <li>N = 1 on the first packet of a temporal unit that starts a new coded video sequence: it has a
 *     sequence header OBU and its first frame is a key frame (or the sequence uses
 *     {@code reduced_still_picture_header}).</li>
 * </ul>
 * A temporal unit that holds nothing but dropped OBUs produces no packet.
 */
public final class Av1Packetizer extends AbstractRtpPacketizer {

    static final int OBU_SEQUENCE_HEADER = 1;
    static final int OBU_TEMPORAL_DELIMITER = 2;
    static final int OBU_FRAME_HEADER = 3;
    static final int OBU_FRAME = 6;
    static final int OBU_TILE_LIST = 8;
    static final int OBU_PADDING = 15;

    /**
     * Creates a packetizer with the {@linkplain #DEFAULT_MAX_PACKET_SIZE default packet budget}.
     *
     * @param payloadType     negotiated RTP payload type
     * @param ssrc            our SSRC
     * @param initialSequence first sequence number (use a random one)
     */
    public Av1Packetizer(int payloadType, long ssrc, int initialSequence) {
        this(payloadType, ssrc, initialSequence, DEFAULT_MAX_PACKET_SIZE);
    }

    /**
     * @param payloadType     negotiated RTP payload type
     * @param ssrc            our SSRC
     * @param initialSequence first sequence number (use a random one)
     * @param maxPacketSize   largest RTP packet, header included
     */
    public Av1Packetizer(int payloadType, long ssrc, int initialSequence, int maxPacketSize) {
        this(payloadType, ssrc, initialSequence, maxPacketSize, RtpHeaderExtensions.NONE);
    }

    /**
     * @param payloadType     negotiated RTP payload type
     * @param ssrc            our SSRC
     * @param initialSequence first sequence number (use a random one)
     * @param maxPacketSize   largest RTP packet, header and header extensions included
     * @param extensions      header extensions written into every packet
     */
    public Av1Packetizer(int payloadType, long ssrc, int initialSequence, int maxPacketSize,
                          RtpHeaderExtensions extensions) {
        super(payloadType, ssrc, initialSequence, maxPacketSize, extensions);
    }

    @Override
    public void packetize(ByteBuffer temporalUnit, long rtpTimestamp, PacketSink sink) {
        List<byte[]> elements = new ArrayList<>();
        boolean newSequence = parse(temporalUnit, elements);
        int limit = maxPacketSize();
        int element = 0;
        int offset = 0; // bytes of elements[element] already sent
        boolean firstPacket = true;
        while (element < elements.size()) {
            boolean z = offset > 0;
            boolean y = false;
            int pos = payloadOffset + 1;
            while (element < elements.size()) {
                byte[] e = elements.get(element);
                int remaining = e.length - offset;
                int avail = limit - pos;
                int len = Math.min(remaining, avail - 1);
                while (len > 0 && Leb128.size(len) + len > avail) {
                    len--;
                }
                if (len <= 0) {
                    break;
                }
                pos += Leb128.write(len, buffer, pos);
                System.arraycopy(e, offset, buffer, pos, len);
                pos += len;
                if (len < remaining) {
                    offset += len;
                    y = true;
                    break;
                }
                element++;
                offset = 0;
            }
            buffer[payloadOffset] = (byte) ((z ? 0x80 : 0) | (y ? 0x40 : 0) | (firstPacket && newSequence ? 0x08 : 0));
            emit(pos - payloadOffset, rtpTimestamp, element == elements.size(), sink);
            firstPacket = false;
        }
    }

    /**
     * Splits the temporal unit into OBU elements (size field removed, dropped types left out).
     *
     * @return true if the unit starts a new coded video sequence
     */
    private static boolean parse(ByteBuffer tu, List<byte[]> out) {
        int end = tu.limit();
        int p = tu.position();
        boolean sequenceHeader = false;
        boolean reducedStill = false;
        Boolean keyFrame = null;
        while (p < end) {
            int h0 = tu.get(p) & 0xFF;
            if ((h0 & 0x80) != 0) {
                throw new IllegalArgumentException("AV1 OBU at offset " + (p - tu.position())
                        + " has obu_forbidden_bit set: not a low-overhead OBU stream");
            }
            int type = (h0 >>> 3) & 0x0F;
            boolean extension = (h0 & 0x04) != 0;
            boolean hasSize = (h0 & 0x02) != 0;
            int headerLength = extension ? 2 : 1;
            if (p + headerLength > end) {
                throw new IllegalArgumentException("AV1 OBU header truncated at offset " + (p - tu.position()));
            }
            int q = p + headerLength;
            long size;
            if (hasSize) {
                long v = Leb128.read(tu, q, end);
                q += (int) (v & 0xFF);
                size = v >>> 8;
            } else {
                size = end - q; // the last OBU may omit its size
            }
            if (size > end - q) {
                throw new IllegalArgumentException("AV1 OBU of type " + type + " at offset "
                        + (p - tu.position()) + " claims " + size + " bytes but only " + (end - q) + " remain");
            }
            int payload = (int) size;
            if (type == OBU_SEQUENCE_HEADER) {
                sequenceHeader = true;
                // seq_profile(3) still_picture(1) reduced_still_picture_header(1)
                reducedStill = payload > 0 && (tu.get(q) & 0x08) != 0;
            } else if ((type == OBU_FRAME || type == OBU_FRAME_HEADER) && keyFrame == null && payload > 0) {
                int b = tu.get(q) & 0xFF;
                // show_existing_frame(1) frame_type(2); KEY_FRAME = 0
                keyFrame = reducedStill || ((b & 0x80) == 0 && ((b >>> 5) & 0x03) == 0);
            }
            if (type != OBU_TEMPORAL_DELIMITER && type != OBU_TILE_LIST && type != OBU_PADDING) {
                byte[] e = new byte[headerLength + payload];
                e[0] = (byte) (h0 & ~0x02);
                if (extension) {
                    e[1] = tu.get(p + 1);
                }
                tu.get(q, e, headerLength, payload);
                out.add(e);
            }
            p = q + payload;
        }
        return sequenceHeader && Boolean.TRUE.equals(keyFrame);
    }
}
