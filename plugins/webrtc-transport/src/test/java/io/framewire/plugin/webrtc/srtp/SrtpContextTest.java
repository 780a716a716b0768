package io.framewire.plugin.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.plugin.webrtc.rtp.Bytes;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SrtpContextTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SrtpProfile P = SrtpProfile.AES_CM_128_HMAC_SHA1_80;

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    /** Master key and salt of RFC 3711 Appendix B.3, also used by libsrtp's {@code srtp_validate}. */
    private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    /**
     * Known answer for RTP: libsrtp's {@code srtp_validate} vector (AES_CM_128_HMAC_SHA1_80, SSRC
     * 0xCAFEBABE, SEQ 0x1234, ROC 0, the RFC 3711 B.3 master key), protected at an offset in a larger array.
     */
    @Test
    void knownAnswerRtpFromLibsrtp() throws Exception {
        byte[] plain = hex("800F1234DECAFBADCAFEBABE ABABABABABABABABABABABABABABABAB");
        byte[] expected = hex("800F1234DECAFBADCAFEBABE 4E55DC4CE79978D88CA4D215949D2402 B78D6ACC99EA179B8DBB");
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            byte[] buf = new byte[7 + plain.length + tx.maxOverhead()];
            System.arraycopy(plain, 0, buf, 7, plain.length);
            assertEquals(expected.length, tx.protectRtp(buf, 7, plain.length));
            assertArrayEquals(expected, Arrays.copyOfRange(buf, 7, 7 + expected.length));
            assertEquals(plain.length, rx.unprotectRtp(buf, 7, expected.length));
            assertArrayEquals(plain, Arrays.copyOfRange(buf, 7, 7 + plain.length));
        }
    }

    /** Known answer for SRTCP: libsrtp's {@code srtp_validate} vector, which carries SRTCP index 1. */
    @Test
    void knownAnswerSrtcpFromLibsrtp() throws Exception {
        byte[] plain = hex("81C8000BCAFEBABE ABABABABABABABABABABABABABABABAB");
        byte[] expected = hex("81C8000BCAFEBABE 7128035BE487B9BDBEF89041F977A5A8 80000001 993E08CD54D6C1230798");
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            byte[] first = tx.protectRtcp(plain); // index 0
            assertArrayEquals(expected, tx.protectRtcp(plain));
            assertArrayEquals(plain, rx.unprotectRtcp(first));
            assertArrayEquals(plain, rx.unprotectRtcp(expected));
        }
    }

    /**
     * RFC 3711 Appendix B.3 (key derivation, kdr = 0), checked through a protected packet: the SRTP
     * packet must be what AES-CM and HMAC-SHA1 with the B.3 session keys give (computed here with
     * plain JCE), i.e. the library derived exactly the B.3 session encryption key, salt and auth key.
     */
    @Test
    void rfc3711KeyDerivationVectorsAreUsed() throws Exception {
        byte[] sessionKey = hex("C61E7A93744F39EE10734AFE3FF7A087");
        byte[] sessionSalt = hex("30CBBC08863D8C85D49DB34A9AE1");
        byte[] authKey = hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"); // first 160 bits of the B.3 auth key
        int seq = 0xBEEF;
        int ssrc = 0x01020304;
        byte[] plain = rtp(seq, ssrc, 100);

        byte[] iv = Arrays.copyOf(sessionSalt, 16); // RFC 3711 4.1.1, ROC 0
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        iv[12] ^= (byte) (seq >>> 8);
        iv[13] ^= (byte) seq;
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"), new IvParameterSpec(iv));
        byte[] expected = Arrays.copyOf(plain, plain.length + 10);
        ctr.doFinal(plain, 12, plain.length - 12, expected, 12);
        Mac hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        hmac.update(expected, 0, plain.length);
        byte[] tag = hmac.doFinal(new byte[4]); // ROC 0
        System.arraycopy(tag, 0, expected, plain.length, 10);

        try (SrtpContext tx = ctx()) {
            assertArrayEquals(expected, tx.protectRtp(plain));
        }
    }

    private static void putI32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static byte[] rtp(int seq, int ssrc, int payloadLen) {
        byte[] p = new byte[12 + payloadLen];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[4] = 1;
        putI32(p, 8, ssrc);
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    static byte[] rtcpSenderReport(int ssrc) {
        byte[] p = new byte[28];
        p[0] = (byte) 0x80;
        p[1] = (byte) 200;
        p[3] = 6;
        putI32(p, 4, ssrc);
        for (int i = 8; i < p.length; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    private static SrtpContext ctx() {
        return new SrtpContext(P, MASTER_KEY, MASTER_SALT);
    }

    @Test
    void rtpRoundTripAcrossSequenceWrapAndTamperDetection() throws Exception {
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            for (int seq : new int[] {65533, 65534, 65535, 0, 1, 2}) {
                byte[] plain = rtp(seq, 0xCAFEBABE, 100);
                byte[] prot = tx.protectRtp(plain);
                assertEquals(plain.length + 10, prot.length);
                assertFalse(Arrays.equals(Arrays.copyOfRange(plain, 12, 112), Arrays.copyOfRange(prot, 12, 112)),
                        "payload must be encrypted");
                assertArrayEquals(plain, rx.unprotectRtp(prot), "seq " + seq);
            }
            byte[] prot = tx.protectRtp(rtp(3, 0xCAFEBABE, 50));
            byte[] bad = prot.clone();
            bad[20] ^= 1;
            SrtpException e = assertThrows(SrtpException.class, () -> rx.unprotectRtp(bad));
            assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
            rx.unprotectRtp(prot);
            SrtpException replay = assertThrows(SrtpException.class, () -> rx.unprotectRtp(prot));
            assertTrue(replay.getMessage().contains("replay"), replay.getMessage());
        }
    }

    @Test
    void rocIsPartOfTheTag() throws Exception {
        // A receiver that never saw the wrap must not accept a post-wrap packet as ROC 0.
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            tx.protectRtp(rtp(65535, 1, 10));
            byte[] afterWrap = tx.protectRtp(rtp(5, 1, 10)); // ROC = 1
            assertThrows(SrtpException.class, () -> rx.unprotectRtp(afterWrap));
        }
    }

    @Test
    void rtcpRoundTripTamperAndReplay() throws Exception {
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            byte[] plain = rtcpSenderReport(0x11223344);
            byte[] p1 = tx.protectRtcp(plain);
            assertEquals(plain.length + 14, p1.length);
            assertTrue((p1[plain.length] & 0x80) != 0, "E flag");
            assertEquals(0, Bytes.i32(p1, plain.length) & 0x7fffffff, "first SRTCP index");
            assertFalse(Arrays.equals(Arrays.copyOfRange(plain, 8, 28), Arrays.copyOfRange(p1, 8, 28)));
            byte[] p2 = tx.protectRtcp(plain);
            assertEquals(1, Bytes.i32(p2, plain.length) & 0x7fffffff, "second SRTCP index");

            assertArrayEquals(plain, rx.unprotectRtcp(p1));
            for (int i : new int[] {0, 9, plain.length, p2.length - 1}) {
                byte[] bad = p2.clone();
                bad[i] ^= 0x40;
                SrtpException e = assertThrows(SrtpException.class, () -> rx.unprotectRtcp(bad), "byte " + i);
                assertTrue(e.getMessage().contains("SRTCP"), e.getMessage());
            }
            assertArrayEquals(plain, rx.unprotectRtcp(p2));
            SrtpException replay = assertThrows(SrtpException.class, () -> rx.unprotectRtcp(p1));
            assertTrue(replay.getMessage().contains("replay"), replay.getMessage());
        }
    }

    @Test
    void wrongKeyFailsAndCloseZeroes() {
        SrtpContext tx = ctx();
        SrtpContext other = new SrtpContext(P, new byte[16], new byte[14]);
        byte[] prot = tx.protectRtcp(rtcpSenderReport(5));
        assertThrows(SrtpException.class, () -> other.unprotectRtcp(prot));
        tx.close();
        assertThrows(IllegalStateException.class, () -> tx.protectRtp(rtp(1, 1, 1)));
        other.close();
    }

    @Test
    void keyMaterialSplitsClientServerKeysAndSalts() throws Exception {
        byte[] exported = new byte[SrtpKeyMaterial.exportLength(P)];
        for (int i = 0; i < exported.length; i++) {
            exported[i] = (byte) i;
        }
        try (SrtpKeyMaterial km = SrtpKeyMaterial.fromDtlsExport(P, exported)) {
            assertEquals(60, exported.length);
            assertArrayEquals(Arrays.copyOfRange(exported, 0, 16), km.clientMasterKey());
            assertArrayEquals(Arrays.copyOfRange(exported, 16, 32), km.serverMasterKey());
            assertArrayEquals(Arrays.copyOfRange(exported, 32, 46), km.clientMasterSalt());
            assertArrayEquals(Arrays.copyOfRange(exported, 46, 60), km.serverMasterSalt());
            try (SrtpContext serverOut = km.outboundContext(true); SrtpContext clientIn = km.inboundContext(false);
                 SrtpContext clientOut = km.outboundContext(false)) {
                byte[] pkt = rtp(7, 9, 20);
                assertArrayEquals(pkt, clientIn.unprotectRtp(serverOut.protectRtp(pkt)));
                assertThrows(SrtpException.class, () -> clientIn.unprotectRtp(clientOut.protectRtp(rtp(8, 9, 20))));
            }
            km.close();
            assertArrayEquals(new byte[16], km.serverMasterKey(), "close() zeroes");
        }
    }

    @Test
    void rtpWithCsrcAndExtensionKeepsHeaderInClear() throws Exception {
        byte[] p = rtp(10, 77, 40);
        p[0] = (byte) 0x91; // X=1, CC=1: header = 12 + 4 + (4 + 4*1) = 24
        p[16] = (byte) 0xBE;
        p[17] = (byte) 0xDE;
        p[18] = 0;
        p[19] = 1;
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            byte[] prot = tx.protectRtp(p);
            assertArrayEquals(Arrays.copyOf(p, 24), Arrays.copyOf(prot, 24));
            assertArrayEquals(p, rx.unprotectRtp(prot));
        }
    }

    @Test
    void tooLittleSpareCapacityIsRejectedBeforeAnythingChanges() throws Exception {
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            byte[] plain = rtp(100, 42, 60);
            byte[] tight = Arrays.copyOf(plain, plain.length + 9); // tag needs 10
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tx.protectRtp(tight, 0, plain.length));
            assertTrue(e.getMessage().contains("spare"), e.getMessage());
            assertArrayEquals(Arrays.copyOf(plain, tight.length), tight, "packet left untouched");

            byte[] sr = rtcpSenderReport(42);
            byte[] tightRtcp = Arrays.copyOf(sr, sr.length + tx.maxOverhead() - 1);
            assertThrows(IllegalArgumentException.class, () -> tx.protectRtcp(tightRtcp, 0, sr.length));
            assertArrayEquals(Arrays.copyOf(sr, tightRtcp.length), tightRtcp, "packet left untouched");

            // the failed calls consumed nothing: the next packets protect and unprotect normally
            assertArrayEquals(plain, rx.unprotectRtp(tx.protectRtp(plain)));
            byte[] srtcp = tx.protectRtcp(sr);
            assertEquals(0, Bytes.i32(srtcp, sr.length) & 0x7fffffff, "SRTCP index not consumed");
            assertArrayEquals(sr, rx.unprotectRtcp(srtcp));
        }
    }

    @Test
    void malformedPacketsAreRejected() {
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            assertThrows(IllegalArgumentException.class, () -> tx.protectRtp(new byte[11]));
            byte[] v1 = rtp(1, 1, 10);
            v1[0] = 0x40;
            assertThrows(IllegalArgumentException.class, () -> tx.protectRtp(v1));
            assertThrows(IllegalArgumentException.class, () -> tx.protectRtcp(new byte[7]));
            SrtpException e = assertThrows(SrtpException.class, () -> rx.unprotectRtp(new byte[21]));
            assertTrue(e.getMessage().contains("shorter than the 12-byte fixed header"), e.getMessage());
            assertThrows(SrtpException.class, () -> rx.unprotectRtcp(new byte[8 + 4 + 9]));
        }
    }

    @Test
    void atMostMaxStreamsSsrcsPerDirection() throws Exception {
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            for (int ssrc = 1; ssrc <= SrtpContext.MAX_STREAMS; ssrc++) {
                assertArrayEquals(rtp(1, ssrc, 8), rx.unprotectRtp(tx.protectRtp(rtp(1, ssrc, 8))));
            }
            assertThrows(IllegalStateException.class, () -> tx.protectRtp(rtp(1, 1000, 8)));
            try (SrtpContext tx2 = ctx()) {
                byte[] extra = tx2.protectRtp(rtp(1, 1000, 8));
                SrtpException e = assertThrows(SrtpException.class, () -> rx.unprotectRtp(extra));
                assertTrue(e.getMessage().contains("SSRC"), e.getMessage());
            }
            // known SSRCs keep working
            assertArrayEquals(rtp(2, 7, 8), rx.unprotectRtp(tx.protectRtp(rtp(2, 7, 8))));
        }
    }

    @Test
    void failedUnprotectOfNewSsrcDoesNotTakeASlot() throws Exception {
        try (SrtpContext tx = ctx(); SrtpContext rx = ctx()) {
            for (int ssrc = 1; ssrc <= 2 * SrtpContext.MAX_STREAMS; ssrc++) {
                try (SrtpContext stranger = new SrtpContext(P, new byte[16], new byte[14])) {
                    byte[] forged = stranger.protectRtp(rtp(1, 5000 + ssrc, 8));
                    assertThrows(SrtpException.class, () -> rx.unprotectRtp(forged));
                }
            }
            assertArrayEquals(rtp(1, 1, 8), rx.unprotectRtp(tx.protectRtp(rtp(1, 1, 8))));
        }
    }

    @Test
    void closeIsIdempotentAndFinal() throws Exception {
        SrtpContext rx = ctx();
        byte[] prot = ctx().protectRtp(rtp(1, 1, 8));
        rx.close();
        rx.close();
        assertThrows(IllegalStateException.class, () -> rx.unprotectRtp(prot));
        assertThrows(IllegalStateException.class, () -> rx.protectRtcp(rtcpSenderReport(1)));
    }
}
