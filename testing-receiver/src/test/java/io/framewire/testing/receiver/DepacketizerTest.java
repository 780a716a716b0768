package io.framewire.testing.receiver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Codec;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.plugin.webrtc.rtp.AnnexB;
import io.framewire.plugin.webrtc.rtp.Av1Packetizer;
import io.framewire.plugin.webrtc.rtp.H264Packetizer;
import io.framewire.plugin.webrtc.rtp.H265Packetizer;
import io.framewire.plugin.webrtc.rtp.RtpPacket;
import io.framewire.plugin.webrtc.rtp.RtpPacketizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The depacketizers against the project's packetizers: real encoder output and synthetic units, byte-exact. */
class DepacketizerTest {

    private static RtpPacketizer packetizer(Codec codec, int maxPacketSize) {
        return switch (codec) {
            case H264 -> new H264Packetizer(102, 0x1234, 100, maxPacketSize);
            case H265 -> new H265Packetizer(49, 0x1234, 100, maxPacketSize);
            case AV1 -> new Av1Packetizer(45, 0x1234, 100, maxPacketSize);
            default -> throw new IllegalArgumentException();
        };
    }

    /** Packetizes one unit and feeds every payload to the depacketizer; @return the reassembled unit */
    private static byte[] roundTrip(RtpPacketizer packetizer, Depacketizer depacketizer, byte[] unit, int[] packets) {
        List<byte[]> out = new ArrayList<>();
        List<Boolean> markers = new ArrayList<>();
        packetizer.packetize(ByteBuffer.wrap(unit).asReadOnlyBuffer(), 9000, (p, len, marker) -> {
            out.add(java.util.Arrays.copyOf(p, len));
            markers.add(marker);
        });
        packets[0] += out.size();
        for (int i = 0; i < out.size(); i++) {
            RtpPacket rtp = RtpPacket.wrap(out.get(i));
            assertEquals(i == out.size() - 1, rtp.marker());
            depacketizer.payload(out.get(i), rtp.headerLength(), rtp.payloadLength());
        }
        return depacketizer.finish();
    }

    /** Annex B with every NAL unit behind a 4-byte start code, as the depacketizer writes it. */
    static byte[] normalizedAnnexB(byte[] unit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer nal : AnnexB.split(ByteBuffer.wrap(unit))) {
            out.writeBytes(new byte[] {0, 0, 0, 1});
            byte[] b = new byte[nal.remaining()];
            nal.get(b);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** A temporal delimiter, then the OBUs the packetizer keeps, each with a minimal LEB128 size. */
    static byte[] normalizedTemporalUnit(byte[] tu) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x12, 0x00});
        int pos = 0;
        while (pos < tu.length) {
            int header = tu[pos] & 0xFF;
            int type = (header >> 3) & 0xF;
            int h = (header & 0x04) != 0 ? 2 : 1;
            assertTrue((header & 0x02) != 0, "encoder output has size fields");
            long[] size = Av1Depacketizer.readLeb128(tu, pos + h, tu.length);
            int payload = pos + h + (int) size[1];
            if (type != 2 && type != 8 && type != 15) {
                out.write(tu, pos, h);
                Av1Depacketizer.writeLeb128(size[0], out);
                out.write(tu, payload, (int) size[0]);
            }
            pos = payload + (int) size[0];
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}, packets of at most {1} bytes")
    @CsvSource({"H264, 1200", "H264, 100", "H265, 1200", "H265, 100", "AV1, 1200", "AV1, 100"})
    void realEncoderOutputRoundTripsByteExact(Codec codec, int maxPacketSize) throws Exception {
        List<EncodedFrame> frames = TestStreams.get(codec);
        RtpPacketizer packetizer = packetizer(codec, maxPacketSize);
        Depacketizer depacketizer = Depacketizer.forCodec(codec);
        int[] packets = {0};
        for (int i = 0; i < frames.size(); i++) {
            byte[] unit = TestStreams.bytes(frames.get(i));
            byte[] expected = codec == Codec.AV1 ? normalizedTemporalUnit(unit) : normalizedAnnexB(unit);
            byte[] actual = roundTrip(packetizer, depacketizer, unit, packets);
            assertArrayEquals(expected, actual, codec + " frame " + i);
            assertEquals(frames.get(i).keyframe(), depacketizer.isKeyframe(actual), codec + " frame " + i + " keyframe");
        }
        assertTrue(packets[0] > frames.size(), "the key frame needs several packets: " + packets[0]);
    }

    @Test
    void theRealKeyFrameIsFragmentedAndParameterSetsAggregated() throws Exception {
        byte[] idr = TestStreams.bytes(TestStreams.get(Codec.H264).get(0));
        List<Integer> types = new ArrayList<>();
        new H264Packetizer(102, 1, 0, 1200).packetize(ByteBuffer.wrap(idr), 0,
                (p, len, m) -> types.add(p[RtpPacket.FIXED_HEADER_SIZE] & 0x1F));
        assertTrue(types.contains(24), "STAP-A (SPS, PPS): " + types);
        assertTrue(types.contains(28), "FU-A: " + types);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"H264", "H265"})
    void syntheticNalUnitsOfEverySizeRoundTrip(Codec codec) {
        Random rnd = new Random(7);
        int headerSize = codec == Codec.H264 ? 1 : 2;
        for (int max : new int[] {40, 64, 300, 1200}) {
            RtpPacketizer packetizer = packetizer(codec, max);
            Depacketizer depacketizer = Depacketizer.forCodec(codec);
            for (int round = 0; round < 20; round++) {
                ByteArrayOutputStream unit = new ByteArrayOutputStream();
                int n = 1 + rnd.nextInt(6);
                for (int k = 0; k < n; k++) {
                    int size = headerSize + 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3000) : rnd.nextInt(30));
                    unit.writeBytes(new byte[] {0, 0, 0, 1});
                    unit.writeBytes(nal(rnd, size, codec));
                }
                byte[] u = unit.toByteArray();
                assertArrayEquals(u, roundTrip(packetizer, depacketizer, u, new int[1]), "max " + max + " round " + round);
            }
        }
    }

    /** A NAL unit with a valid header (F = 0, a non-aggregation type) and no start code emulation. */
    private static byte[] nal(Random rnd, int size, Codec codec) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            int v = rnd.nextInt(256);
            if (i >= 2 && b[i - 1] == 0 && b[i - 2] == 0 && v <= 3) {
                v = 4;
            }
            b[i] = (byte) v;
        }
        if (codec == Codec.H264) {
            b[0] = (byte) (0x60 | (1 + rnd.nextInt(23))); // types 1..23
        } else {
            b[0] = (byte) ((rnd.nextInt(40) << 1)); // types 0..39, LayerId 0
            b[1] = 1; // TID 1
        }
        if (b[size - 1] == 0) {
            b[size - 1] = (byte) 0x80;
        }
        return b;
    }

    @Test
    void av1AnyWAndFragmentsAcrossPackets() {
        Av1Depacketizer d = new Av1Depacketizer();
        // W = 2: an OBU element with its length, then the last one without; a frame OBU (type 6) header 0x30
        d.payload(new byte[] {0x20, 3, 0x08, 0x01, 0x02, 0x30, 0x55, 0x66}, 0, 8); // sequence header 0x08, no size field
        assertArrayEquals(new byte[] {0x12, 0, 0x0A, 2, 0x01, 0x02, 0x32, 2, 0x55, 0x66}, d.finish());
        // W = 1, Y: a fragment continued (Z) in the next packet, with W = 0 there
        d.payload(new byte[] {0x50, 0x30, 1, 2}, 0, 4);
        d.payload(new byte[] {(byte) 0x80, 2, 3, 4}, 0, 4);
        assertArrayEquals(new byte[] {0x12, 0, 0x32, 4, 1, 2, 3, 4}, d.finish());
        assertFalse(d.isKeyframe(new byte[] {0x12, 0, 0x32, 1, 0}));
        assertTrue(d.isKeyframe(new byte[] {0x12, 0, 0x0A, 1, 0}));
    }

    @Test
    void malformedPayloadsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new H264Depacketizer().payload(new byte[] {0x7C, 0x05, 1}, 0, 3),
                "FU-A continuation without its start");
        assertThrows(IllegalArgumentException.class, () -> new H264Depacketizer().payload(new byte[] {0x78, 0, 9, 1}, 0, 4),
                "STAP-A size past the end");
        H265Depacketizer h265 = new H265Depacketizer();
        h265.payload(new byte[] {0x62, 0x01, (byte) 0x93, 1, 2}, 0, 5); // FU start, no end
        assertThrows(IllegalArgumentException.class, h265::finish, "unit ends inside a fragment");
        assertThrows(IllegalArgumentException.class, () -> new Av1Depacketizer().payload(new byte[] {(byte) 0x80, 1, 0}, 0, 3),
                "Z without a fragment before");
        assertThrows(IllegalArgumentException.class, () -> new Av1Depacketizer().payload(new byte[] {0, 9, 0x30}, 0, 3),
                "element longer than the payload");
    }
}
