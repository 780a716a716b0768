package io.framewire.plugin.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtcpTest {

    /** Hand-built RTCP packets. */
    static final class Builder {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Builder header(int count, int type, int words) {
            out.write(0x80 | count);
            out.write(type);
            return u16(words);
        }

        Builder u8(int v) {
            out.write(v);
            return this;
        }

        Builder u16(int v) {
            out.write(v >> 8);
            out.write(v);
            return this;
        }

        Builder u32(long v) {
            return u16((int) (v >>> 16) & 0xFFFF).u16((int) v & 0xFFFF);
        }

        Builder reportBlock(long ssrc, int fraction, int cumulative, long highest, long jitter, long lsr, long dlsr) {
            u32(ssrc).u8(fraction).u8(cumulative >> 16 & 0xFF).u8(cumulative >> 8 & 0xFF).u8(cumulative & 0xFF);
            return u32(highest).u32(jitter).u32(lsr).u32(dlsr);
        }

        Builder bytes(byte... b) {
            out.writeBytes(b);
            return this;
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    @Test
    void compoundReceiverReportAndPli() {
        long lsr = 0x1234_5678L;
        long dlsr = 0x0002_0000L; // 2 s
        byte[] data = new Builder()
                .header(1, 201, 7).u32(0x1111).reportBlock(0xAAAA, 64, -5, 0x0001_0010L, 321, lsr, dlsr)
                .header(1, 206, 2).u32(0x1111).u32(0xAAAA)
                .build();
        List<Rtcp.Packet> packets = Rtcp.parse(data);
        assertEquals(2, packets.size());
        Rtcp.ReceiverReport rr = assertInstanceOf(Rtcp.ReceiverReport.class, packets.get(0));
        assertEquals(0x1111, rr.ssrc());
        Rtcp.ReportBlock b = rr.reports().get(0);
        assertEquals(0xAAAA, b.ssrc());
        assertEquals(64, b.fractionLost());
        assertEquals(0.25, b.fractionLostRatio());
        assertEquals(-5, b.cumulativeLost(), "24-bit sign extension");
        assertEquals(0x0001_0010L, b.extendedHighestSequence());
        assertEquals(321, b.jitter());
        assertEquals(lsr, b.lastSenderReport());
        assertEquals(dlsr, b.delaySinceLastSenderReport());
        // arrival 2.25 s after the SR was sent -> RTT 250 ms
        long now = (lsr + dlsr + 0x4000) << 16 | 0x1234L;
        assertEquals(250_000, b.roundTripMicros(now).getAsLong());
        assertTrue(new Rtcp.ReportBlock(1, 0, 0, 0, 0, 0, 0).roundTripMicros(now).isEmpty(), "LSR 0: no RTT");
        Rtcp.PictureLossIndication pli = assertInstanceOf(Rtcp.PictureLossIndication.class, packets.get(1));
        assertEquals(0xAAAA, pli.mediaSsrc());
        assertEquals(0x1111, pli.senderSsrc());
    }

    @Test
    void roundTripAcrossNtpWrapOfTheMiddleBits() {
        long lsr = 0xFFFF_F000L;
        Rtcp.ReportBlock b = new Rtcp.ReportBlock(1, 0, 0, 0, 0, lsr, 0x800);
        long now = ((lsr + 0x800 + 0x1000) & 0xFFFF_FFFFL) << 16; // 0x1000/65536 s = 62.5 ms later
        assertEquals(62_500, b.roundTripMicros(now).getAsLong());
    }

    @Test
    void genericNackExpandsPidAndBlp() {
        byte[] data = new Builder().header(1, 205, 4).u32(1).u32(2)
                .u16(100).u16(0b1000_0000_0000_0101)
                .u16(65534).u16(0b11)
                .build();
        Rtcp.Nack nack = assertInstanceOf(Rtcp.Nack.class, Rtcp.parse(data).get(0));
        assertEquals(2, nack.mediaSsrc());
        assertEquals(List.of(100, 101, 103, 116, 65534, 65535, 0), nack.lostSequences());
    }

    @Test
    void firAndRemb() {
        byte[] data = new Builder()
                .header(4, 206, 4).u32(7).u32(0).u32(0xBEEF).u8(9).u8(0).u16(0)
                .header(15, 206, 5).u32(7).u32(0).bytes((byte) 'R', (byte) 'E', (byte) 'M', (byte) 'B')
                .u8(1).u8(3 << 2 | (187_500 >> 16)).u16(187_500 & 0xFFFF).u32(0xBEEF)
                .build();
        List<Rtcp.Packet> packets = Rtcp.parse(data);
        Rtcp.FullIntraRequest fir = assertInstanceOf(Rtcp.FullIntraRequest.class, packets.get(0));
        assertEquals(List.of(new Rtcp.FirEntry(0xBEEF, 9)), fir.entries());
        Rtcp.Remb remb = assertInstanceOf(Rtcp.Remb.class, packets.get(1));
        assertEquals(1_500_000, remb.bitrateBps());
        assertEquals(List.of(0xBEEFL), remb.ssrcs());
    }

    @Test
    void rembWithHugeExponentSaturates() {
        byte[] data = new Builder().header(15, 206, 4).u32(7).u32(0)
                .bytes((byte) 'R', (byte) 'E', (byte) 'M', (byte) 'B').u8(0).u8(63 << 2 | 3).u16(0xFFFF).build();
        assertEquals(Long.MAX_VALUE, ((Rtcp.Remb) Rtcp.parse(data).get(0)).bitrateBps());
    }

    @Test
    void unknownPacketsAreSkipped() {
        byte[] data = new Builder()
                .header(0, 204, 2).u32(1).bytes((byte) 'n', (byte) 'a', (byte) 'm', (byte) 'e') // APP
                .header(3, 205, 3).u32(1).u32(2).u32(0x12345678)                                // TMMBR
                .header(1, 203, 1).u32(1)                                                       // BYE
                .header(15, 206, 3).u32(1).u32(0).bytes((byte) 'X', (byte) 'Y', (byte) 'Z', (byte) 'W')
                .header(1, 206, 2).u32(1).u32(2)                                                // PLI
                .build();
        List<Rtcp.Packet> packets = Rtcp.parse(data);
        assertEquals(1, packets.size());
        assertInstanceOf(Rtcp.PictureLossIndication.class, packets.get(0));
    }

    @Test
    void transportCcFeedbackInACompoundWithAReceiverReport() {
        byte[] data = new Builder()
                .header(1, 201, 7).u32(0x1111).reportBlock(0xAAAA, 3, 1, 0x0001_0010L, 0, 0, 0)
                // base 0xFFFF, 3 packets, reference 2 (128 ms), fb count 9; two-bit vector 1,0,2;
                // deltas 4 ticks, then -8 ticks; one byte of padding via the P bit
                .bytes((byte) 0xAF, (byte) 205).u16(6).u32(0x1111).u32(0xAAAA).u16(0xFFFF).u16(3)
                .u8(0).u8(0).u8(2).u8(9).u16(0b11_01_00_10_00_00_00_00).u8(4).u16(0xFFF8).u8(0).u8(0).u8(2)
                .build();
        List<Rtcp.Packet> packets = Rtcp.parse(data);
        assertEquals(2, packets.size());
        assertInstanceOf(Rtcp.ReceiverReport.class, packets.get(0));
        io.framewire.plugin.webrtc.cc.TransportFeedback fb =
                assertInstanceOf(io.framewire.plugin.webrtc.cc.TransportFeedback.class, packets.get(1));
        assertEquals(0x1111, fb.senderSsrc());
        assertEquals(0xFFFF, fb.baseSequence());
        assertEquals(9, fb.feedbackCount());
        assertEquals(128_000, fb.referenceTimeMicros());
        assertEquals(List.of(
                new io.framewire.plugin.webrtc.cc.TransportFeedback.PacketStatus(0xFFFF, true, 129_000),
                new io.framewire.plugin.webrtc.cc.TransportFeedback.PacketStatus(0, false, -1),
                new io.framewire.plugin.webrtc.cc.TransportFeedback.PacketStatus(1, true, 127_000)), fb.packets());
        // the same with its status count raised past its chunks: a clear error naming the packet
        byte[] bad = data.clone();
        bad[32 + 15] = 20;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rtcp.parse(bad));
        assertTrue(e.getMessage().startsWith("RTCP: packet type 205/15 at offset 32: transport-cc: "),
                e.getMessage());
    }

    @Test
    void paddingIsHonoured() {
        byte[] data = new Builder().bytes((byte) 0xA1, (byte) 206).u16(3).u32(1).u32(2).u32(4).build();
        assertInstanceOf(Rtcp.PictureLossIndication.class, Rtcp.parse(data).get(0));
        byte[] bad = new Builder().bytes((byte) 0xA1, (byte) 206).u16(3).u32(1).u32(2).u32(40).build();
        assertThrows(IllegalArgumentException.class, () -> Rtcp.parse(bad));
    }

    @Test
    void malformedInputGivesClearIllegalArgumentException() {
        byte[] valid = new Builder().header(1, 201, 7).u32(1).reportBlock(2, 0, 0, 0, 0, 0, 0)
                .header(1, 205, 3).u32(1).u32(2).u16(5).u16(0).build();
        for (int len = 0; len < valid.length; len++) {
            if (len == 32) {
                continue; // the RR alone is a complete compound
            }
            byte[] cut = Arrays.copyOf(valid, len);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rtcp.parse(cut),
                    "truncated to " + len);
            assertTrue(e.getMessage().startsWith("RTCP"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rtcp.parse(new byte[] {0x40, (byte) 201, 0, 0}));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
        // RR claiming 3 report blocks in a packet with room for one
        byte[] lying = new Builder().header(3, 201, 7).u32(1).reportBlock(2, 0, 0, 0, 0, 0, 0).build();
        e = assertThrows(IllegalArgumentException.class, () -> Rtcp.parse(lying));
        assertTrue(e.getMessage().contains("report blocks"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rtcp.parse(valid, 40, 10));
    }

    @Test
    void randomGarbageNeverThrowsAnythingButIllegalArgument() {
        Random rnd = new Random(3550);
        byte[] valid = new Builder().header(1, 201, 7).u32(1).reportBlock(2, 0, 0, 0, 0, 0, 0)
                .header(1, 205, 3).u32(1).u32(2).u16(5).u16(0)
                .header(15, 206, 5).u32(7).u32(0).bytes((byte) 'R', (byte) 'E', (byte) 'M', (byte) 'B')
                .u8(1).u8(3).u16(7).u32(0xBEEF)
                .header(1, 202, 3).u32(9).u8(1).u8(2).u8('a').u8('b').u32(0).build();
        for (int i = 0; i < 20_000; i++) {
            byte[] data;
            if (i % 2 == 0) {
                data = new byte[rnd.nextInt(64)];
                rnd.nextBytes(data);
                if (data.length > 0 && rnd.nextBoolean()) {
                    data[0] = (byte) (0x80 | data[0] & 0x3F); // version 2 to get further
                }
            } else {
                data = valid.clone();
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    data[rnd.nextInt(data.length)] = (byte) rnd.nextInt(256);
                }
            }
            byte[] input = data;
            try {
                Rtcp.parse(input);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            } catch (RuntimeException other) {
                throw new AssertionError("unexpected " + other + " for " + Arrays.toString(input), other);
            }
        }
    }

    @Test
    void senderReportWriterRoundTrip() {
        Instant wall = Instant.parse("2024-05-01T12:34:56.789Z");
        byte[] compound = RtcpWriter.senderReportWithCname(0xDEADBEEFL, wall, 0xFFFF_0000L, 12_345, 9_876_543,
                "framewire-cname");
        assertEquals(0, compound.length % 4);
        List<Rtcp.Packet> packets = Rtcp.parse(compound);
        assertEquals(2, packets.size());
        Rtcp.SenderReport sr = assertInstanceOf(Rtcp.SenderReport.class, packets.get(0));
        assertEquals(0xDEADBEEFL, sr.ssrc());
        assertEquals(NtpTime.fromInstant(wall), sr.ntpTimestamp());
        assertEquals(wall.getEpochSecond() + NtpTime.UNIX_EPOCH_OFFSET_SECONDS, sr.ntpTimestamp() >>> 32);
        assertEquals(wall.toEpochMilli(), NtpTime.toInstant(sr.ntpTimestamp()).toEpochMilli(), 1);
        assertEquals(0xFFFF_0000L, sr.rtpTimestamp());
        assertEquals(12_345, sr.packetCount());
        assertEquals(9_876_543, sr.octetCount());
        assertTrue(sr.reports().isEmpty());
        Rtcp.SourceDescription sdes = assertInstanceOf(Rtcp.SourceDescription.class, packets.get(1));
        assertEquals(List.of(new Rtcp.Cname(0xDEADBEEFL, "framewire-cname")), sdes.cnames());
    }

    @Test
    void sdesPaddingForEveryCnameLength() {
        for (int n = 1; n < 20; n++) {
            String cname = "x".repeat(n);
            byte[] sdes = RtcpWriter.sourceDescription(5, cname);
            assertEquals(0, sdes.length % 4);
            byte[] two = RtcpWriter.compound(sdes, RtcpWriter.senderReport(5, 1L << 32, 0, 0, 0));
            List<Rtcp.Packet> packets = Rtcp.parse(two);
            assertEquals(cname, ((Rtcp.SourceDescription) packets.get(0)).cnames().get(0).cname());
            assertInstanceOf(Rtcp.SenderReport.class, packets.get(1));
        }
    }
}
