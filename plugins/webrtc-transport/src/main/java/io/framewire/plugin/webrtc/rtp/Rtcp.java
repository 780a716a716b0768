package io.framewire.plugin.webrtc.rtp;

import io.framewire.plugin.webrtc.cc.TransportFeedback;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Parser for compound RTCP packets (RFC 3550, RFC 4585 feedback, RFC 5104 FIR, REMB).
 *
 * <p>Understood: SR (200), RR (201), SDES CNAME items (202), generic NACK (205/1), transport-wide
 * congestion control feedback (205/15, parsed by {@link TransportFeedback#parse}), PLI (206/1),
 * FIR (206/4) and REMB (206/15 with the {@code REMB} identifier). Other packet types and formats
 * (BYE, APP, XR, ...) are skipped by their length field. Malformed input (wrong
 * version, a length running past the data, a packet too short for what it declares, bad padding)
 * raises an {@link IllegalArgumentException} that says what is wrong and where.
 */
public final class Rtcp {

    /** RTCP packet type: sender report. */
    public static final int SR = 200;
    /** RTCP packet type: receiver report. */
    public static final int RR = 201;
    /** RTCP packet type: source description. */
    public static final int SDES = 202;
    /** RTCP packet type: transport-layer feedback. */
    public static final int RTPFB = 205;
    /** RTCP packet type: payload-specific feedback. */
    public static final int PSFB = 206;

    private Rtcp() {
    }

    /**
     * One parsed RTCP packet of a compound packet: one of the records here or a
     * {@link TransportFeedback}.
     *
     * <p>Not sealed: a sealed interface in the unnamed module (this bundle has no module-info) may
     * only permit classes of its own package, and transport-cc feedback lives with the congestion
     * controller in {@code io.framewire.plugin.webrtc.cc}.
     */
    public interface Packet {
    }

    /**
     * A report block of an SR or RR.
     *
     * @param ssrc                      the source reported on
     * @param fractionLost              fraction lost since the last report, in 1/256
     * @param cumulativeLost            total packets lost (signed 24-bit)
     * @param extendedHighestSequence   extended highest sequence number received
     * @param jitter                    interarrival jitter in timestamp units
     * @param lastSenderReport          LSR: middle 32 bits of the NTP time of the last SR received, 0 if none
     * @param delaySinceLastSenderReport DLSR in units of 1/65536 s
     */
    public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
                              long jitter, long lastSenderReport, long delaySinceLastSenderReport) {

        /**
         * Round-trip time per RFC 3550 6.4.1: {@code now - LSR - DLSR}.
         *
         * @param ntpNow the 64-bit NTP time at which this report arrived
         * @return the RTT in microseconds (0 if clocks make it negative), or empty when LSR is 0
         */
        public OptionalLong roundTripMicros(long ntpNow) {
            if (lastSenderReport == 0) {
                return OptionalLong.empty();
            }
            int rtt = (int) (NtpTime.middle32(ntpNow) - lastSenderReport - delaySinceLastSenderReport);
            return OptionalLong.of(rtt <= 0 ? 0 : (rtt * 1_000_000L) >>> 16);
        }

        /** @return fraction lost as a ratio 0..1 */
        public double fractionLostRatio() {
            return fractionLost / 256.0;
        }
    }

    /**
     * Sender report.
     *
     * @param ssrc         sender SSRC
     * @param ntpTimestamp 64-bit NTP wall clock time
     * @param rtpTimestamp RTP timestamp of the same instant
     * @param packetCount  packets sent
     * @param octetCount   payload octets sent
     * @param reports      report blocks
     */
    public record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                               List<ReportBlock> reports) implements Packet {
    }

    /**
     * Receiver report.
     *
     * @param ssrc    reporter SSRC
     * @param reports report blocks
     */
    public record ReceiverReport(long ssrc, List<ReportBlock> reports) implements Packet {
    }

    /**
     * Source description; only CNAME items are kept.
     *
     * @param cnames one entry per chunk that had a CNAME
     */
    public record SourceDescription(List<Cname> cnames) implements Packet {
    }

    /**
     * A CNAME item.
     *
     * @param ssrc  the source
     * @param cname its canonical name
     */
    public record Cname(long ssrc, String cname) {
    }

    /**
     * Generic NACK, with the PID/BLP pairs expanded.
     *
     * @param senderSsrc sender of the feedback
     * @param mediaSsrc  source of the lost packets
     * @param lostSequences the sequence numbers reported lost, in packet order
     */
    public record Nack(long senderSsrc, long mediaSsrc, List<Integer> lostSequences) implements Packet {
    }

    /**
     * Picture loss indication.
     *
     * @param senderSsrc sender of the feedback
     * @param mediaSsrc  source that should send a key frame
     */
    public record PictureLossIndication(long senderSsrc, long mediaSsrc) implements Packet {
    }

    /**
     * Full intra request.
     *
     * @param senderSsrc sender of the feedback
     * @param entries    the requests
     */
    public record FullIntraRequest(long senderSsrc, List<FirEntry> entries) implements Packet {
    }

    /**
     * One FIR FCI entry.
     *
     * @param ssrc           source that should send a key frame
     * @param sequenceNumber command sequence number (0..255), for detecting repeats
     */
    public record FirEntry(long ssrc, int sequenceNumber) {
    }

    /**
     * Receiver estimated maximum bitrate.
     *
     * @param senderSsrc sender of the feedback
     * @param bitrateBps the estimate in bits per second (saturates at {@link Long#MAX_VALUE})
     * @param ssrcs      the sources the estimate applies to
     */
    public record Remb(long senderSsrc, long bitrateBps, List<Long> ssrcs) implements Packet {
    }

    /** Same as {@code parse(data, 0, data.length)}. */
    public static List<Packet> parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    /**
     * Parses a compound RTCP packet.
     *
     * @param data   the buffer
     * @param offset start of the compound packet
     * @param length its length
     * @return the understood packets in order (unknown ones left out)
     * @throws IllegalArgumentException if the data is malformed
     */
    public static List<Packet> parse(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("RTCP range [" + offset + ", +" + length + ") outside a "
                    + data.length + "-byte buffer");
        }
        if (length < 4) {
            throw new IllegalArgumentException("RTCP data of " + length + " bytes is shorter than a header");
        }
        List<Packet> out = new ArrayList<>();
        int p = offset;
        int end = offset + length;
        while (p < end) {
            int at = p - offset;
            if (end - p < 4) {
                throw new IllegalArgumentException("RTCP: " + (end - p) + " stray bytes at offset " + at);
            }
            int b0 = data[p] & 0xFF;
            if ((b0 >>> 6) != 2) {
                throw new IllegalArgumentException("RTCP: version " + (b0 >>> 6) + " at offset " + at + ", expected 2");
            }
            int count = b0 & 0x1F;
            int type = data[p + 1] & 0xFF;
            int size = (Bytes.u16(data, p + 2) + 1) * 4;
            if (size > end - p) {
                throw new IllegalArgumentException("RTCP: packet type " + type + " at offset " + at + " declares "
                        + size + " bytes but only " + (end - p) + " remain (truncated)");
            }
            int contentEnd = p + size;
            if ((b0 & 0x20) != 0) {
                int padding = data[p + size - 1] & 0xFF;
                if (padding == 0 || padding > size - 4) {
                    throw new IllegalArgumentException("RTCP: bad padding length " + padding + " in packet type "
                            + type + " at offset " + at);
                }
                contentEnd -= padding;
            }
            Packet packet = parseOne(data, p, contentEnd, type, count, at);
            if (packet != null) {
                out.add(packet);
            }
            p += size;
        }
        return out;
    }

    private static Packet parseOne(byte[] d, int p, int end, int type, int count, int at) {
        int len = end - p;
        switch (type) {
            case SR -> {
                need(len, 28 + 24 * count, "SR with " + count + " report blocks", at);
                long ntp = (Bytes.u32(d, p + 8) << 32) | Bytes.u32(d, p + 12);
                return new SenderReport(Bytes.u32(d, p + 4), ntp, Bytes.u32(d, p + 16), Bytes.u32(d, p + 20),
                        Bytes.u32(d, p + 24), reportBlocks(d, p + 28, count));
            }
            case RR -> {
                need(len, 8 + 24 * count, "RR with " + count + " report blocks", at);
                return new ReceiverReport(Bytes.u32(d, p + 4), reportBlocks(d, p + 8, count));
            }
            case SDES -> {
                return sdes(d, p, end, count, at);
            }
            case RTPFB -> {
                if (count == TransportFeedback.FMT) {
                    try {
                        return TransportFeedback.parse(d, p, len);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("RTCP: packet type 205/15 at offset " + at + ": "
                                + e.getMessage(), e);
                    }
                }
                if (count != 1) {
                    return null; // other transport-layer feedback: not implemented
                }
                need(len, 12, "generic NACK", at);
                List<Integer> lost = new ArrayList<>();
                for (int q = p + 12; q + 4 <= end; q += 4) {
                    int pid = Bytes.u16(d, q);
                    int blp = Bytes.u16(d, q + 2);
                    lost.add(pid);
                    for (int bit = 0; bit < 16; bit++) {
                        if ((blp & (1 << bit)) != 0) {
                            lost.add((pid + bit + 1) & 0xFFFF);
                        }
                    }
                }
                return new Nack(Bytes.u32(d, p + 4), Bytes.u32(d, p + 8), List.copyOf(lost));
            }
            case PSFB -> {
                return switch (count) {
                    case 1 -> {
                        need(len, 12, "PLI", at);
                        yield new PictureLossIndication(Bytes.u32(d, p + 4), Bytes.u32(d, p + 8));
                    }
                    case 4 -> {
                        need(len, 12, "FIR", at);
                        List<FirEntry> entries = new ArrayList<>();
                        for (int q = p + 12; q + 8 <= end; q += 8) {
                            entries.add(new FirEntry(Bytes.u32(d, q), d[q + 4] & 0xFF));
                        }
                        yield new FullIntraRequest(Bytes.u32(d, p + 4), List.copyOf(entries));
                    }
                    case 15 -> remb(d, p, end, at);
                    default -> null;
                };
            }
            default -> {
                return null;
            }
        }
    }

    private static Packet remb(byte[] d, int p, int end, int at) {
        int len = end - p;
        if (len < 16 || d[p + 12] != 'R' || d[p + 13] != 'E' || d[p + 14] != 'M' || d[p + 15] != 'B') {
            return null; // another application-layer feedback
        }
        need(len, 20, "REMB", at);
        int n = d[p + 16] & 0xFF;
        need(len, 20 + 4 * n, "REMB with " + n + " SSRCs", at);
        int exp = (d[p + 17] & 0xFF) >>> 2;
        long mantissa = ((d[p + 17] & 0x03L) << 16) | ((d[p + 18] & 0xFFL) << 8) | (d[p + 19] & 0xFFL);
        long bitrate = mantissa == 0 ? 0
                : exp > Long.numberOfLeadingZeros(mantissa) - 1 ? Long.MAX_VALUE : mantissa << exp;
        List<Long> ssrcs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ssrcs.add(Bytes.u32(d, p + 20 + 4 * i));
        }
        return new Remb(Bytes.u32(d, p + 4), bitrate, List.copyOf(ssrcs));
    }

    private static Packet sdes(byte[] d, int p, int end, int chunks, int at) {
        List<Cname> cnames = new ArrayList<>();
        int q = p + 4;
        for (int c = 0; c < chunks; c++) {
            if (end - q < 4) {
                throw new IllegalArgumentException("RTCP: SDES at offset " + at + " ends inside chunk " + c);
            }
            long ssrc = Bytes.u32(d, q);
            q += 4;
            while (true) {
                if (q >= end) {
                    throw new IllegalArgumentException("RTCP: SDES chunk " + c + " at offset " + at
                            + " has no END item");
                }
                int itemType = d[q] & 0xFF;
                if (itemType == 0) {
                    q = p + ((q + 1 - p + 3) & ~3); // null octets up to the next 32-bit boundary
                    break;
                }
                if (end - q < 2 || end - q - 2 < (d[q + 1] & 0xFF)) {
                    throw new IllegalArgumentException("RTCP: SDES item at offset " + at + " runs past the packet");
                }
                int itemLength = d[q + 1] & 0xFF;
                if (itemType == 1) {
                    cnames.add(new Cname(ssrc, new String(d, q + 2, itemLength, StandardCharsets.UTF_8)));
                }
                q += 2 + itemLength;
            }
        }
        return new SourceDescription(List.copyOf(cnames));
    }

    private static List<ReportBlock> reportBlocks(byte[] d, int q, int count) {
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++, q += 24) {
            int lost = (Bytes.u24(d, q + 5) << 8) >> 8; // sign-extend 24 bits
            blocks.add(new ReportBlock(Bytes.u32(d, q), d[q + 4] & 0xFF, lost, Bytes.u32(d, q + 8),
                    Bytes.u32(d, q + 12), Bytes.u32(d, q + 16), Bytes.u32(d, q + 20)));
        }
        return List.copyOf(blocks);
    }

    private static void need(int have, int need, String what, int at) {
        if (have < need) {
            throw new IllegalArgumentException("RTCP: " + what + " at offset " + at + " needs " + need
                    + " bytes, packet has " + have);
        }
    }
}
