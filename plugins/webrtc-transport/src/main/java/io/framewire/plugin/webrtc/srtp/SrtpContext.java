package io.framewire.plugin.webrtc.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One SRTP/SRTCP crypto context (RFC 3711) for one master key/salt, i.e. one direction of a
 * DTLS-SRTP session: use it either to protect what we send or to unprotect what we receive.
 *
 * <p>Profile: AES_CM_128_HMAC_SHA1_80 — AES-128 counter mode, HMAC-SHA1 80-bit tag, key derivation
 * rate 0, no MKI. Session keys are derived once (labels 0..2 for SRTP, 3..5 for SRTCP). The
 * rollover counter (ROC) and a 64-packet replay window are kept per SSRC (up to
 * {@value #MAX_STREAMS} SSRCs); SRTCP packets are always encrypted (E flag set) with a 31-bit
 * index per SSRC.
 *
 * <p>Packets are transformed in place: {@code protect*} needs {@link #maxOverhead()} spare bytes
 * after the packet in the array. The {@link Cipher}/{@link Mac} instances and scratch buffers are
 * cached, so steady-state protection does not allocate.
 *
 * <p>Threading: thread-safe. RTP and RTCP have separate locks, so an encoder thread protecting RTP
 * and a network thread handling RTCP do not contend. {@link #close()} zeroes the key bytes held
 * here (JCE providers may keep internal copies until garbage collected).
 */
public final class SrtpContext implements AutoCloseable {
    /** Maximum number of SSRCs tracked per context and direction. */
    public static final int MAX_STREAMS = 64;
    private static final int SRTCP_INDEX_LENGTH = 4;

    private final SrtpProfile profile;
    private final SessionKeys rtp;
    private final SessionKeys rtcp;
    private final Streams txRtp = new Streams();
    private final Streams rxRtp = new Streams();
    private final Streams txRtcp = new Streams();
    private final Streams rxRtcp = new Streams();
    private volatile boolean closed;

    /**
     * Derives the session keys from a master key and salt.
     *
     * @param profile    the protection profile
     * @param masterKey  {@code profile.keyLength()} bytes (copied, not retained)
     * @param masterSalt {@code profile.saltLength()} bytes (copied, not retained)
     */
    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != profile.keyLength() || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException("master key/salt must be " + profile.keyLength() + "/"
                    + profile.saltLength() + " bytes for " + profile);
        }
        this.profile = profile;
        this.rtp = new SessionKeys(profile, masterKey, masterSalt, 0);
        this.rtcp = new SessionKeys(profile, masterKey, masterSalt, 3);
    }

    /** @return the profile */
    public SrtpProfile profile() { return profile; }

    /** @return the most bytes {@code protect*} adds to a packet (SRTCP: index + tag) */
    public int maxOverhead() { return SRTCP_INDEX_LENGTH + profile.tagLength(); }

    // ------------------------------------------------------------------ RTP

    /**
     * Protects an RTP packet in place: encrypts the payload and appends the authentication tag.
     *
     * @param buf array holding the packet, with at least {@code profile().tagLength()} spare bytes
     *            after it
     * @param off packet offset
     * @param len packet length
     * @return the SRTP packet length ({@code len + tagLength})
     * @throws IllegalArgumentException if the packet is not RTP version 2 or the array is too short
     */
    public int protectRtp(byte[] buf, int off, int len) {
        int hdr = rtpHeaderLength(buf, off, len);
        if (hdr < 0) {
            throw new IllegalArgumentException("not a valid RTP packet");
        }
        checkRoom(buf, off, len, profile.tagLength());
        int seq = u16(buf, off + 2);
        int ssrc = i32(buf, off + 8);
        synchronized (rtp) {
            ensureOpen();
            Stream st = txRtp.get(ssrc);
            long index = st.estimateIndex(seq);
            if (index < 0) {
                index = seq; // before the first packet of ROC 0: cannot go negative
            }
            st.update(index);
            rtp.crypt(ssrc, index, buf, off + hdr, len - hdr);
            rtp.tag(buf, off, len, (int) (index >>> 16), buf, off + len);
        }
        return len + profile.tagLength();
    }

    /**
     * Unprotects an SRTP packet in place: checks the replay window and the tag, then decrypts.
     *
     * @param buf array holding the packet
     * @param off packet offset
     * @param len SRTP packet length
     * @return the RTP packet length ({@code len - tagLength})
     * @throws SrtpException if the packet is malformed, fails authentication, or is a replay
     */
    public int unprotectRtp(byte[] buf, int off, int len) throws SrtpException {
        int tagLen = profile.tagLength();
        int plainLen = len - tagLen;
        int hdr = plainLen < 12 ? -1 : rtpHeaderLength(buf, off, plainLen);
        if (hdr < 0) {
            throw new SrtpException("malformed SRTP packet (" + len + " bytes)");
        }
        int seq = u16(buf, off + 2);
        int ssrc = i32(buf, off + 8);
        synchronized (rtp) {
            ensureOpen();
            Stream st = rxRtp.find(ssrc);
            long index = st == null ? seq : st.estimateIndex(seq);
            if (index < 0) {
                throw new SrtpException("SRTP packet index underflow (seq " + seq + ")");
            }
            if (st != null && !st.replayCheck(index)) {
                throw new SrtpException("SRTP replay or too old: ssrc " + Integer.toUnsignedString(ssrc)
                        + " seq " + seq);
            }
            if (!rtp.verify(buf, off, plainLen, (int) (index >>> 16), buf, off + plainLen)) {
                throw new SrtpException("SRTP authentication failed: ssrc " + Integer.toUnsignedString(ssrc)
                        + " seq " + seq);
            }
            if (st == null) {
                st = rxRtp.create(ssrc);
            }
            rtp.crypt(ssrc, index, buf, off + hdr, plainLen - hdr);
            st.update(index);
        }
        return plainLen;
    }

    /**
     * Convenience: protects a copy of an RTP packet.
     *
     * @param rtpPacket the RTP packet (not modified)
     * @return a new array with the SRTP packet
     */
    public byte[] protectRtp(byte[] rtpPacket) {
        byte[] out = Arrays.copyOf(rtpPacket, rtpPacket.length + profile.tagLength());
        protectRtp(out, 0, rtpPacket.length);
        return out;
    }

    /**
     * Convenience: unprotects a copy of an SRTP packet.
     *
     * @param srtpPacket the SRTP packet (not modified)
     * @return a new array with the RTP packet
     * @throws SrtpException see {@link #unprotectRtp(byte[], int, int)}
     */
    public byte[] unprotectRtp(byte[] srtpPacket) throws SrtpException {
        byte[] copy = srtpPacket.clone();
        return Arrays.copyOf(copy, unprotectRtp(copy, 0, copy.length));
    }

    // ------------------------------------------------------------------ RTCP

    /**
     * Protects a (compound) RTCP packet in place: encrypts everything after the first 8 bytes,
     * appends {@code E=1 | SRTCP index} and the authentication tag.
     *
     * @param buf array holding the packet, with at least {@link #maxOverhead()} spare bytes after it
     * @param off packet offset
     * @param len packet length
     * @return the SRTCP packet length ({@code len + 4 + tagLength})
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        if (len < 8 || ((buf[off] & 0xff) >> 6) != 2) {
            throw new IllegalArgumentException("not a valid RTCP packet");
        }
        checkRoom(buf, off, len, maxOverhead());
        int ssrc = i32(buf, off + 4);
        synchronized (rtcp) {
            ensureOpen();
            Stream st = txRtcp.get(ssrc);
            int index = st.nextRtcpIndex;
            st.nextRtcpIndex = (index + 1) & 0x7fffffff;
            rtcp.crypt(ssrc, index, buf, off + 8, len - 8);
            putI32(buf, off + len, 0x80000000 | index);
            rtcp.tag(buf, off, len + SRTCP_INDEX_LENGTH, -1, buf, off + len + SRTCP_INDEX_LENGTH);
        }
        return len + maxOverhead();
    }

    /**
     * Unprotects an SRTCP packet in place: verifies the tag, checks the replay window, decrypts if
     * the E flag is set.
     *
     * @param buf array holding the packet
     * @param off packet offset
     * @param len SRTCP packet length
     * @return the RTCP packet length
     * @throws SrtpException if the packet is malformed, fails authentication, or is a replay
     */
    public int unprotectRtcp(byte[] buf, int off, int len) throws SrtpException {
        int tagLen = profile.tagLength();
        if (len < 8 + SRTCP_INDEX_LENGTH + tagLen || ((buf[off] & 0xff) >> 6) != 2) {
            throw new SrtpException("malformed SRTCP packet (" + len + " bytes)");
        }
        int authLen = len - tagLen;
        int ssrc = i32(buf, off + 4);
        synchronized (rtcp) {
            ensureOpen();
            if (!rtcp.verify(buf, off, authLen, -1, buf, off + authLen)) {
                throw new SrtpException("SRTCP authentication failed: ssrc " + Integer.toUnsignedString(ssrc));
            }
            int eIndex = i32(buf, off + authLen - SRTCP_INDEX_LENGTH);
            int index = eIndex & 0x7fffffff;
            Stream st = rxRtcp.find(ssrc);
            if (st == null) {
                st = rxRtcp.create(ssrc);
            }
            if (!st.replayCheck(index)) {
                throw new SrtpException("SRTCP replay or too old: ssrc " + Integer.toUnsignedString(ssrc)
                        + " index " + index);
            }
            int plainLen = authLen - SRTCP_INDEX_LENGTH;
            if (eIndex < 0) {
                rtcp.crypt(ssrc, index, buf, off + 8, plainLen - 8);
            }
            st.update(index);
            return plainLen;
        }
    }

    /**
     * Convenience: protects a copy of an RTCP packet.
     *
     * @param rtcpPacket the RTCP packet (not modified)
     * @return a new array with the SRTCP packet
     */
    public byte[] protectRtcp(byte[] rtcpPacket) {
        byte[] out = Arrays.copyOf(rtcpPacket, rtcpPacket.length + maxOverhead());
        protectRtcp(out, 0, rtcpPacket.length);
        return out;
    }

    /**
     * Convenience: unprotects a copy of an SRTCP packet.
     *
     * @param srtcpPacket the SRTCP packet (not modified)
     * @return a new array with the RTCP packet
     * @throws SrtpException see {@link #unprotectRtcp(byte[], int, int)}
     */
    public byte[] unprotectRtcp(byte[] srtcpPacket) throws SrtpException {
        byte[] copy = srtcpPacket.clone();
        return Arrays.copyOf(copy, unprotectRtcp(copy, 0, copy.length));
    }

    /** Zeroes the session keys held by this context; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        synchronized (rtp) {
            synchronized (rtcp) {
                closed = true;
                rtp.destroy();
                rtcp.destroy();
            }
        }
    }

    // ------------------------------------------------------------------ internals

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("SrtpContext is closed");
        }
    }

    private static void checkRoom(byte[] buf, int off, int len, int extra) {
        if (off < 0 || len < 0 || off + len + extra > buf.length) {
            throw new IllegalArgumentException("need " + extra + " spare bytes after the packet");
        }
    }

    /** @return the RTP header length including CSRCs and extension, or -1 if malformed */
    static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < 12 || off < 0 || off + len > buf.length || ((buf[off] & 0xff) >> 6) != 2) {
            return -1;
        }
        int hdr = 12 + 4 * (buf[off] & 0x0f);
        if ((buf[off] & 0x10) != 0) {
            if (hdr + 4 > len) {
                return -1;
            }
            hdr += 4 + 4 * u16(buf, off + hdr + 2);
        }
        return hdr <= len ? hdr : -1;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    static int i32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    static void putI32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    /**
     * AES-CM PRF of RFC 3711 §4.3.1 with kdr = 0: {@code AES-CM(master_key, (master_salt XOR
     * label << 48) * 2^16)}.
     */
    static byte[] deriveSessionKey(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        byte[] out = new byte[length];
        try {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            new KeyStream(ecb).xor(iv, out, 0, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
        return out;
    }

    /** AES counter-mode keystream over a cached ECB cipher; low 16 bits of the IV are the block counter. */
    static final class KeyStream {
        private final Cipher ecb;
        private byte[] counters = new byte[1536];
        private byte[] stream = new byte[1536];

        KeyStream(Cipher ecb) {
            this.ecb = ecb;
        }

        /** XORs {@code len} keystream bytes (starting at counter {@code iv}) into {@code buf}. */
        void xor(byte[] iv, byte[] buf, int off, int len) {
            if (len == 0) {
                return;
            }
            int blocks = (len + 15) >>> 4;
            if (blocks > 0x10000) {
                throw new IllegalArgumentException("packet too large for AES-CM");
            }
            int n = blocks << 4;
            if (counters.length < n) {
                counters = new byte[n];
                stream = new byte[n];
            }
            int base = ((iv[14] & 0xff) << 8) | (iv[15] & 0xff);
            for (int j = 0; j < blocks; j++) {
                int p = j << 4;
                System.arraycopy(iv, 0, counters, p, 14);
                int c = base + j;
                if (c > 0xffff) { // carry into the upper bytes (only happens when base != 0)
                    int k = 13;
                    while (k >= 0 && ++counters[p + k] == 0) {
                        k--;
                    }
                }
                counters[p + 14] = (byte) (c >>> 8);
                counters[p + 15] = (byte) c;
            }
            try {
                ecb.doFinal(counters, 0, n, stream, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < len; i++) {
                buf[off + i] ^= stream[i];
            }
        }
    }

    /** Session encryption key, salt and auth key of SRTP (labels 0..2) or SRTCP (labels 3..5). */
    private static final class SessionKeys {
        private final byte[] salt;
        private final byte[] encKey;
        private final byte[] authKey;
        private final KeyStream keyStream;
        private final Mac mac;
        private final int tagLength;
        private final boolean srtp;
        private final byte[] iv = new byte[16];
        private final byte[] macOut = new byte[20];
        private final byte[] roc = new byte[4];

        SessionKeys(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int firstLabel) {
            encKey = deriveSessionKey(masterKey, masterSalt, firstLabel, profile.keyLength());
            authKey = deriveSessionKey(masterKey, masterSalt, firstLabel + 1, profile.authKeyLength());
            salt = deriveSessionKey(masterKey, masterSalt, firstLabel + 2, profile.saltLength());
            tagLength = profile.tagLength();
            srtp = firstLabel == 0;
            try {
                Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
                ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encKey, "AES"));
                keyStream = new KeyStream(ecb);
                mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(authKey, "HmacSHA1"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/HmacSHA1 unavailable", e);
            }
        }

        /** AES-CM with IV = salt*2^16 XOR ssrc*2^64 XOR index*2^16 (RFC 3711 §4.1.1). */
        void crypt(int ssrc, long index, byte[] buf, int off, int len) {
            Arrays.fill(iv, (byte) 0);
            System.arraycopy(salt, 0, iv, 0, salt.length);
            iv[4] ^= (byte) (ssrc >>> 24);
            iv[5] ^= (byte) (ssrc >>> 16);
            iv[6] ^= (byte) (ssrc >>> 8);
            iv[7] ^= (byte) ssrc;
            for (int i = 0; i < 6; i++) {
                iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
            }
            keyStream.xor(iv, buf, off, len);
        }

        /** Computes the tag over {@code buf[off, off+len)} (plus ROC for SRTP; {@code rocOrMinus1 == -1} for SRTCP). */
        private void computeMac(byte[] buf, int off, int len, int rocOrMinus1, boolean srtp) {
            mac.update(buf, off, len);
            if (srtp) {
                putI32(roc, 0, rocOrMinus1);
                mac.update(roc, 0, 4);
            }
            try {
                mac.doFinal(macOut, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        void tag(byte[] buf, int off, int len, int rocValue, byte[] out, int outOff) {
            computeMac(buf, off, len, rocValue, srtp);
            System.arraycopy(macOut, 0, out, outOff, tagLength);
        }

        boolean verify(byte[] buf, int off, int len, int rocValue, byte[] tag, int tagOff) {
            computeMac(buf, off, len, rocValue, srtp);
            int diff = 0;
            for (int i = 0; i < tagLength; i++) {
                diff |= macOut[i] ^ tag[tagOff + i];
            }
            return diff == 0;
        }

        void destroy() {
            Arrays.fill(encKey, (byte) 0);
            Arrays.fill(authKey, (byte) 0);
            Arrays.fill(salt, (byte) 0);
            Arrays.fill(macOut, (byte) 0);
            mac.reset();
        }
    }

    /** Per-SSRC state: ROC/highest sequence number and a 64-entry replay window. */
    private static final class Stream {
        final int ssrc;
        boolean initialized;
        long highest;     // highest authenticated index (48-bit SRTP index or 31-bit SRTCP index)
        long window;      // bit i set = index (highest - i) seen
        int nextRtcpIndex;

        Stream(int ssrc) {
            this.ssrc = ssrc;
        }

        /** RFC 3711 Appendix A: guess the ROC for {@code seq}; returns the 48-bit index (or -1). */
        long estimateIndex(int seq) {
            if (!initialized) {
                return seq;
            }
            long roc = highest >>> 16;
            int sl = (int) (highest & 0xffff);
            long v;
            if (sl < 32768) {
                v = (seq - sl > 32768) ? roc - 1 : roc;
            } else {
                v = (sl - 32768 > seq) ? roc + 1 : roc;
            }
            return v < 0 ? -1 : (v << 16) | seq;
        }

        boolean replayCheck(long index) {
            if (!initialized || index > highest) {
                return true;
            }
            long delta = highest - index;
            return delta < 64 && (window & (1L << delta)) == 0;
        }

        void update(long index) {
            if (!initialized) {
                initialized = true;
                highest = index;
                window = 1;
            } else if (index > highest) {
                long shift = index - highest;
                window = shift >= 64 ? 1 : (window << shift) | 1;
                highest = index;
            } else {
                long delta = highest - index;
                if (delta < 64) {
                    window |= 1L << delta;
                }
            }
        }
    }

    /** A small SSRC → state table (linear scan; WebRTC sessions carry a handful of SSRCs). */
    private static final class Streams {
        private Stream[] items = new Stream[4];
        private int size;

        Stream find(int ssrc) {
            for (int i = 0; i < size; i++) {
                if (items[i].ssrc == ssrc) {
                    return items[i];
                }
            }
            return null;
        }

        Stream get(int ssrc) {
            Stream s = find(ssrc);
            return s != null ? s : create(ssrc);
        }

        Stream create(int ssrc) {
            if (size == MAX_STREAMS) {
                throw new IllegalStateException("more than " + MAX_STREAMS + " SSRCs in one SRTP context");
            }
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            Stream s = new Stream(ssrc);
            items[size++] = s;
            return s;
        }
    }
}
