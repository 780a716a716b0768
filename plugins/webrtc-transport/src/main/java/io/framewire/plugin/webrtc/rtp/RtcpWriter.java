package io.framewire.plugin.webrtc.rtp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes the RTCP a sender needs: sender reports, SDES CNAME, and the compound of both.
 */
public final class RtcpWriter {

    private RtcpWriter() {
    }

    /**
     * A sender report without report blocks (we receive no media).
     *
     * @param ssrc         our SSRC
     * @param ntpTimestamp 64-bit NTP time of the report (see {@link NtpTime})
     * @param rtpTimestamp RTP timestamp of the same instant
     * @param packetCount  RTP packets sent so far
     * @param octetCount   RTP payload octets sent so far
     * @return the 28-byte packet
     */
    public static byte[] senderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount,
                                      long octetCount) {
        byte[] b = new byte[28];
        b[0] = (byte) 0x80;
        b[1] = (byte) Rtcp.SR;
        b[3] = 6; // length in 32-bit words minus one
        Bytes.put32(b, 4, ssrc);
        Bytes.put32(b, 8, ntpTimestamp >>> 32);
        Bytes.put32(b, 12, ntpTimestamp);
        Bytes.put32(b, 16, rtpTimestamp);
        Bytes.put32(b, 20, packetCount);
        Bytes.put32(b, 24, octetCount);
        return b;
    }

    /**
     * A source description with one chunk holding a CNAME item.
     *
     * @param ssrc  our SSRC
     * @param cname the canonical name, at most 255 UTF-8 bytes
     * @return the packet
     */
    public static byte[] sourceDescription(long ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.UTF_8);
        if (text.length > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes: " + text.length);
        }
        int chunk = 4 + 2 + text.length + 1; // SSRC, item header, text, END
        chunk = (chunk + 3) & ~3;
        byte[] b = new byte[4 + chunk];
        b[0] = (byte) 0x81; // V=2, SC=1
        b[1] = (byte) Rtcp.SDES;
        Bytes.put16(b, 2, b.length / 4 - 1); // length in 32-bit words minus one
        Bytes.put32(b, 4, ssrc);
        b[8] = 1; // CNAME
        b[9] = (byte) text.length;
        System.arraycopy(text, 0, b, 10, text.length);
        return b;
    }

    /** @return the packets concatenated into one compound packet */
    public static byte[] compound(byte[]... packets) {
        int total = 0;
        for (byte[] p : packets) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (byte[] p : packets) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /**
     * The compound packet sent periodically: SR (NTP time from the given wall clock) + SDES CNAME.
     *
     * @param ssrc         our SSRC
     * @param wallClock    the instant of the report
     * @param rtpTimestamp RTP timestamp corresponding to {@code wallClock}
     * @param packetCount  RTP packets sent so far
     * @param octetCount   RTP payload octets sent so far
     * @param cname        our CNAME
     * @return the compound packet
     */
    public static byte[] senderReportWithCname(long ssrc, Instant wallClock, long rtpTimestamp, long packetCount,
                                               long octetCount, String cname) {
        return compound(senderReport(ssrc, NtpTime.fromInstant(wallClock), rtpTimestamp, packetCount, octetCount),
                sourceDescription(ssrc, cname));
    }
}
