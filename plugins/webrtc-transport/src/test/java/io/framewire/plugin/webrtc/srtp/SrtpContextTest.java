package io.framewire.plugin.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SrtpContextTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SrtpProfile P = SrtpProfile.AES_CM_128_HMAC_SHA1_80;

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    /** RFC 3711 Appendix B.2: AES-CM keystream. */
    @Test
    void rfc3711AesCmKeystream() throws Exception {
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hex("2B7E151628AED2A6ABF7158809CF4F3C"), "AES"));
        byte[] iv = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] ks = new byte[0xFF02 * 16];
        new SrtpContext.KeyStream(ecb).xor(iv, ks, 0, ks.length);
        assertArrayEquals(hex("E03EAD0935C95E80E166B16DD92B4EB4"), Arrays.copyOfRange(ks, 0, 16));
        assertArrayEquals(hex("D23513162B02D0F72A43A2FE4A5F97AB"), Arrays.copyOfRange(ks, 16, 32));
        assertArrayEquals(hex("41E95B3BB0A2E8DD477901E4FCA894C0"), Arrays.copyOfRange(ks, 32, 48));
        assertArrayEquals(hex("EC8CDF7398607CB0F2D21675EA9EA1E4"), Arrays.copyOfRange(ks, 0xFEFF * 16, 0xFF00 * 16));
        assertArrayEquals(hex("362B7C3C6773516318A077D7FC5073AE"), Arrays.copyOfRange(ks, 0xFF00 * 16, 0xFF01 * 16));
        assertArrayEquals(hex("6A2CC3787889374FBEB4C81B17BA6C44"), Arrays.copyOfRange(ks, 0xFF01 * 16, 0xFF02 * 16));
    }

    /** RFC 3711 Appendix B.3: key derivation with kdr = 0. */
    @Test
    void rfc3711KeyDerivation() {
        byte[] mk = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] ms = hex("0EC675AD498AFEEBB6960B3AABE6");
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"), SrtpContext.deriveSessionKey(mk, ms, 0, 16));
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"), SrtpContext.deriveSessionKey(mk, ms, 2, 14));
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"),
                SrtpContext.deriveSessionKey(mk, ms, 1, 94));
    }

    static byte[] rtp(int seq, int ssrc, int payloadLen) {
        byte[] p = new byte[12 + payloadLen];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[4] = 1;
        SrtpContext.putI32(p, 8, ssrc);
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
        SrtpContext.putI32(p, 4, ssrc);
        for (int i = 8; i < p.length; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    private static SrtpContext ctx() {
        return new SrtpContext(P, hex("E1F97A0D3E018BE0D64FA32C06DE4139"), hex("0EC675AD498AFEEBB6960B3AABE6"));
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
            assertEquals(0, SrtpContext.i32(p1, plain.length) & 0x7fffffff, "first SRTCP index");
            assertFalse(Arrays.equals(Arrays.copyOfRange(plain, 8, 28), Arrays.copyOfRange(p1, 8, 28)));
            byte[] p2 = tx.protectRtcp(plain);
            assertEquals(1, SrtpContext.i32(p2, plain.length) & 0x7fffffff, "second SRTCP index");

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
}
