package io.framewire.plugin.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 5769 test vectors and round trips. */
class StunMessageTest {
    private static final byte[] PWD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    // RFC 5769 §2.1
    static final byte[] SAMPLE_REQUEST = hex("""
            00010058 2112a442 b7e7a701 bc34d686 fa87dfae
            80220010 5354554e 20746573 7420636c 69656e74
            00240004 6e0001ff
            80290008 932ff9b1 51263b36
            00060009 6576746a 3a683676 59202020
            00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
            80280004 e57a3bcf""");
    // RFC 5769 §2.2
    static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
            8022000b 74657374 20766563 746f7220
            00200008 0001a147 e112a643
            00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
            80280004 c07d4c96""");
    // RFC 5769 §2.3
    static final byte[] SAMPLE_IPV6_RESPONSE = hex("""
            01010048 2112a442 b7e7a701 bc34d686 fa87dfae
            8022000b 74657374 20766563 746f7220
            00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
            00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
            80280004 c8fb0b4c""");
    // RFC 5769 §2.4 (long-term credentials)
    static final byte[] SAMPLE_LONG_TERM_REQUEST = hex("""
            00010060 2112a442 78ad3433 c6ad72c0 29da412e
            00060012 e3839ee3 8388e383 aae38383 e382afe3 82b90000
            0015001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341
            0014000b 6578616d 706c652e 6f726700
            00080014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666""");

    @Test
    void rfc5769SampleRequest() {
        StunMessage m = StunMessage.decode(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length);
        assertEquals(StunMessage.BINDING_REQUEST, m.type());
        assertEquals("evtj:h6vY", m.username());
        assertEquals(0x6e0001ffL, m.priority());
        assertTrue(m.checkIntegrity(PWD));
        assertTrue(m.checkFingerprint());
        assertFalse(m.checkIntegrity("wrong".getBytes(StandardCharsets.UTF_8)));

        byte[] tampered = SAMPLE_REQUEST.clone();
        tampered[30] ^= 1; // inside SOFTWARE
        StunMessage t = StunMessage.decode(tampered, 0, tampered.length);
        assertFalse(t.checkIntegrity(PWD));
        assertFalse(t.checkFingerprint());
    }

    @Test
    void rfc5769IPv4Response() throws Exception {
        StunMessage m = StunMessage.decode(SAMPLE_IPV4_RESPONSE, 0, SAMPLE_IPV4_RESPONSE.length);
        assertEquals(StunMessage.BINDING_SUCCESS, m.type());
        assertTrue(m.checkIntegrity(PWD));
        assertTrue(m.checkFingerprint());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), m.xorMappedAddress());
    }

    @Test
    void rfc5769IPv6Response() throws Exception {
        StunMessage m = StunMessage.decode(SAMPLE_IPV6_RESPONSE, 0, SAMPLE_IPV6_RESPONSE.length);
        assertTrue(m.checkIntegrity(PWD));
        assertTrue(m.checkFingerprint());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                m.xorMappedAddress());
    }

    @Test
    void rfc5769LongTermCredentials() {
        StunMessage m = StunMessage.decode(SAMPLE_LONG_TERM_REQUEST, 0, SAMPLE_LONG_TERM_REQUEST.length);
        String user = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        assertEquals(user, m.username());
        assertFalse(m.hasFingerprint());
        // password after SASLprep: "TheMatrIX"
        assertTrue(m.checkIntegrity(StunMessage.longTermKey(user, "example.org", "TheMatrIX")));
        assertFalse(m.checkIntegrity(StunMessage.longTermKey(user, "example.org", "TheMatrix")));
    }

    @Test
    void reEncodingTheSampleRequestReproducesItsIntegrityAndFingerprint() {
        StunMessage d = StunMessage.decode(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length);
        StunMessage m = new StunMessage(StunMessage.BINDING_REQUEST, d.transactionId());
        for (StunMessage.Attribute a : d.attributes()) {
            m.add(a.type(), a.value());
        }
        byte[] enc = m.encode(PWD, true);
        // The RFC pads USERNAME with spaces, we pad with zeros (RFC 5389): compare all but those 3 bytes.
        byte[] expected = SAMPLE_REQUEST.clone();
        expected[73] = expected[74] = expected[75] = 0;
        assertEquals(expected.length, enc.length);
        StunMessage again = StunMessage.decode(enc, 0, enc.length);
        assertTrue(again.checkIntegrity(PWD));
        assertTrue(again.checkFingerprint());
        assertArrayEquals(java.util.Arrays.copyOf(expected, 76), java.util.Arrays.copyOf(enc, 76));
    }

    @Test
    void roundTripWithIceAttributesAndXorMappedAddresses() throws Exception {
        byte[] tid = StunMessage.newTransactionId();
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 50000);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 1);
        byte[] key = "secretpassword-abcdefghij".getBytes(StandardCharsets.UTF_8);
        byte[] enc = new StunMessage(StunMessage.BINDING_REQUEST, tid)
                .addUsername("abcd:efghi")
                .addPriority(0xFFFFFFFFL)
                .addIceControlling(0x0102030405060708L)
                .addUseCandidate()
                .addXorMappedAddress(v4)
                .encode(key, true);
        StunMessage m = StunMessage.decode(enc, 0, enc.length);
        assertArrayEquals(tid, m.transactionId());
        assertEquals("abcd:efghi", m.username());
        assertEquals(0xFFFFFFFFL, m.priority());
        assertTrue(m.useCandidate());
        assertArrayEquals(hex("0102030405060708"), m.attribute(StunMessage.ATTR_ICE_CONTROLLING));
        assertEquals(v4, m.xorMappedAddress());
        assertTrue(m.checkIntegrity(key));
        assertTrue(m.checkFingerprint());

        byte[] enc6 = new StunMessage(StunMessage.BINDING_SUCCESS, tid).addXorMappedAddress(v6).encode(null, false);
        StunMessage m6 = StunMessage.decode(enc6, 0, enc6.length);
        assertEquals(v6, m6.xorMappedAddress());
        assertFalse(m6.hasIntegrity());
        assertFalse(m6.checkFingerprint());
        // the address is really XORed on the wire
        assertFalse(new String(enc6, StandardCharsets.ISO_8859_1).contains(
                new String(v6.getAddress().getAddress(), StandardCharsets.ISO_8859_1)));

        byte[] err = new StunMessage(StunMessage.BINDING_ERROR, tid).addErrorCode(401, "Unauthorized").encode(null, true);
        StunMessage e = StunMessage.decode(err, 0, err.length);
        assertEquals(401, e.errorCode());
        assertEquals("Unauthorized", e.errorReason());
        assertTrue(e.checkFingerprint());
        assertNull(e.username());
    }

    @Test
    void rejectsNonStun() {
        byte[] dtls = new byte[40];
        dtls[0] = 22;
        assertFalse(StunMessage.isStun(dtls, 0, dtls.length));
        assertThrows(IllegalArgumentException.class, () -> StunMessage.decode(dtls, 0, dtls.length));
        byte[] truncated = java.util.Arrays.copyOf(SAMPLE_REQUEST, SAMPLE_REQUEST.length - 4);
        assertThrows(IllegalArgumentException.class, () -> StunMessage.decode(truncated, 0, truncated.length));
    }
}
