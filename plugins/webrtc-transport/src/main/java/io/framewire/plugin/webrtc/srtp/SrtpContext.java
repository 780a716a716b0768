package io.framewire.plugin.webrtc.srtp;

import io.framewire.plugin.webrtc.rtp.Bytes;
import io.framewire.plugin.webrtc.rtp.RtpPacket;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * One SRTP/SRTCP crypto context (RFC 3711) for one master key/salt, i.e. one direction of a
 * DTLS-SRTP session: use it either to protect what we send or to unprotect what we receive.
 *
 * <p>The cryptography is done by <a href="https://github.com/jitsi/jitsi-srtp">jitsi-srtp</a>:
 * session-key derivation, AES counter mode, HMAC-SHA1, the rollover counter and the replay windows.
 * It is maintained, runs in production in Jitsi Videobridge, and uses OpenSSL through a bundled
 * native library where that loads, with a pure Java (JCE) fallback. This class adapts it to
 * Framewire's in-place {@code byte[]} API: it creates jitsi's sender and receiver
 * {@link SrtpContextFactory} on first use and keeps one jitsi crypto context per SSRC.
 *
 * <p>Profiles: those of {@link SrtpProfile}, key derivation rate 0, no MKI. The rollover counter
 * (ROC) and a 64-packet replay window are kept per SSRC, for up to {@value #MAX_STREAMS} SSRCs per
 * direction and for RTP and RTCP each; more are refused (a new SSRC whose first packet fails to
 * unprotect does not take a slot). SRTCP packets are always encrypted (E flag set) with a 31-bit
 * index per SSRC that starts at 0. Only received packets are checked for replay.
 *
 * <p>Packets are transformed in place: {@code protect*} needs {@link #maxOverhead()} spare bytes
 * after the packet in the array and throws {@link IllegalArgumentException}, before changing
 * anything, when they are missing.
 *
 * <p>Threading: thread-safe. RTP and RTCP have separate locks, so an encoder thread protecting RTP
 * and a network thread handling RTCP do not contend. {@link #close()} zeroes the master key copies
 * held here and by jitsi's factories (derived session keys stay in jitsi's contexts until garbage
 * collected).
 */
public final class SrtpContext implements AutoCloseable {
    /** Maximum number of SSRCs tracked per context and direction. */
    public static final int MAX_STREAMS = 64;
    private static final int SRTCP_INDEX_LENGTH = 4;
    private static final Logger LOGGER = new LoggerImpl(SrtpContext.class.getName());
    /**
     * jitsi-srtp first tries its native OpenSSL glue, which the OSGi bundle deliberately leaves out
     * (it grew native memory by about 8 MiB per session there; docs/protocol.md), and then uses the
     * JDK's AES and HMAC. Its failed attempt would log a warning with a stack trace: keep that out.
     * Held strongly, because java.util.logging keeps only weak references to its loggers.
     */
    private static final java.util.logging.Logger OPENSSL_PROBE_LOG = quietOpenSslProbe();

    private static java.util.logging.Logger quietOpenSslProbe() {
        java.util.logging.Logger probe =
                java.util.logging.Logger.getLogger("org.jitsi.srtp.crypto.JitsiOpenSslProvider");
        probe.setLevel(java.util.logging.Level.SEVERE);
        // AES from the JDK, chosen up front: without a choice jitsi-srtp warns that the "null"
        // factory does not work and times every provider it finds at the first packet.
        org.jitsi.srtp.crypto.Aes.setFactoryClassName("org.jitsi.srtp.crypto.Aes$SunJCECipherFactory");
        return probe;
    }

    private final SrtpProfile profile;
    private final byte[] masterKey;
    private final byte[] masterSalt;
    private final Object rtpLock = new Object();
    private final Object rtcpLock = new Object();
    // guarded by rtpLock
    private final PacketBuffer rtpPacket = new PacketBuffer();
    private final Streams<SrtpCryptoContext> txRtp = new Streams<>();
    private final Streams<SrtpCryptoContext> rxRtp = new Streams<>();
    // guarded by rtcpLock
    private final PacketBuffer rtcpPacket = new PacketBuffer();
    private final Streams<SrtcpCryptoContext> txRtcp = new Streams<>();
    private final Streams<SrtcpCryptoContext> rxRtcp = new Streams<>();
    // guarded by this (taken after rtpLock/rtcpLock)
    private SrtpContextFactory senderFactory;
    private SrtpContextFactory receiverFactory;
    private volatile boolean closed;

    /**
     * Creates a context; jitsi-srtp derives the session keys on first use.
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
        this.masterKey = masterKey.clone();
        this.masterSalt = masterSalt.clone();
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
     * @throws IllegalStateException    if closed, or a new SSRC would exceed {@value #MAX_STREAMS}
     */
    public int protectRtp(byte[] buf, int off, int len) {
        RtpPacket packet = RtpPacket.wrap(buf, off, len);
        checkRoom(buf, off, len, profile.tagLength());
        int ssrc = (int) packet.ssrc();
        synchronized (rtpLock) {
            ensureOpen();
            SrtpCryptoContext context = txRtp.find(ssrc);
            try {
                if (context == null) {
                    if (txRtp.isFull()) {
                        throw new IllegalStateException(tooManySsrcs(ssrc));
                    }
                    context = factory(true).deriveContext(ssrc, 0);
                    txRtp.add(ssrc, context);
                }
                SrtpErrorStatus status = context.transformPacket(rtpPacket.wrap(buf, off, len));
                int result = rtpPacket.finish(buf, off);
                if (status != SrtpErrorStatus.OK) {
                    throw new IllegalStateException(
                            failure("SRTP protect", status, ssrc) + " seq " + packet.sequenceNumber());
                }
                return result;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SRTP protect failed: ssrc " + Integer.toUnsignedString(ssrc), e);
            }
        }
    }

    /**
     * Unprotects an SRTP packet in place: checks the replay window and the tag, then decrypts.
     *
     * @param buf array holding the packet
     * @param off packet offset
     * @param len SRTP packet length
     * @return the RTP packet length ({@code len - tagLength})
     * @throws SrtpException if the packet is malformed, fails authentication, is a replay, or comes
     *                       from an SSRC beyond {@value #MAX_STREAMS}
     */
    public int unprotectRtp(byte[] buf, int off, int len) throws SrtpException {
        RtpPacket packet;
        try {
            packet = RtpPacket.wrap(buf, off, len - profile.tagLength());
        } catch (IllegalArgumentException e) {
            throw new SrtpException("malformed SRTP packet (" + len + " bytes): " + e.getMessage());
        }
        int ssrc = (int) packet.ssrc();
        synchronized (rtpLock) {
            ensureOpen();
            SrtpCryptoContext context = rxRtp.find(ssrc);
            boolean isNew = context == null;
            try {
                if (isNew) {
                    if (rxRtp.isFull()) {
                        throw new SrtpException("SRTP packet dropped: " + tooManySsrcs(ssrc));
                    }
                    context = factory(false).deriveContext(ssrc, 0);
                }
                SrtpErrorStatus status = context.reverseTransformPacket(rtpPacket.wrap(buf, off, len), false);
                int result = rtpPacket.finish(buf, off);
                if (status != SrtpErrorStatus.OK) {
                    throw new SrtpException(failure("SRTP", status, ssrc) + " seq " + packet.sequenceNumber());
                }
                if (isNew) {
                    rxRtp.add(ssrc, context);
                }
                return result;
            } catch (GeneralSecurityException e) {
                throw new SrtpException("SRTP unprotect failed: ssrc " + Integer.toUnsignedString(ssrc), e);
            }
        }
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
     * @throws IllegalArgumentException if the packet is not RTCP version 2 or the array is too short
     * @throws IllegalStateException    if closed, or a new SSRC would exceed {@value #MAX_STREAMS}
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        if (off < 0 || len < 8 || off + len > buf.length || ((buf[off] & 0xff) >> 6) != 2) {
            throw new IllegalArgumentException("not a valid RTCP packet");
        }
        checkRoom(buf, off, len, maxOverhead());
        int ssrc = Bytes.i32(buf, off + 4);
        synchronized (rtcpLock) {
            ensureOpen();
            SrtcpCryptoContext context = txRtcp.find(ssrc);
            try {
                if (context == null) {
                    if (txRtcp.isFull()) {
                        throw new IllegalStateException(tooManySsrcs(ssrc));
                    }
                    context = factory(true).deriveControlContext(ssrc);
                    txRtcp.add(ssrc, context);
                }
                SrtpErrorStatus status = context.transformPacket(rtcpPacket.wrap(buf, off, len));
                int result = rtcpPacket.finish(buf, off);
                if (status != SrtpErrorStatus.OK) {
                    throw new IllegalStateException(failure("SRTCP protect", status, ssrc));
                }
                return result;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SRTCP protect failed: ssrc " + Integer.toUnsignedString(ssrc), e);
            }
        }
    }

    /**
     * Unprotects an SRTCP packet in place: checks the replay window and the tag, decrypts if the E
     * flag is set.
     *
     * @param buf array holding the packet
     * @param off packet offset
     * @param len SRTCP packet length
     * @return the RTCP packet length
     * @throws SrtpException if the packet is malformed, fails authentication, is a replay, or comes
     *                       from an SSRC beyond {@value #MAX_STREAMS}
     */
    public int unprotectRtcp(byte[] buf, int off, int len) throws SrtpException {
        int authLen = len - profile.tagLength();
        if (off < 0 || authLen < 8 + SRTCP_INDEX_LENGTH || off + len > buf.length || ((buf[off] & 0xff) >> 6) != 2) {
            throw new SrtpException("malformed SRTCP packet (" + len + " bytes)");
        }
        int ssrc = Bytes.i32(buf, off + 4);
        int index = Bytes.i32(buf, off + authLen - SRTCP_INDEX_LENGTH) & 0x7fffffff;
        synchronized (rtcpLock) {
            ensureOpen();
            SrtcpCryptoContext context = rxRtcp.find(ssrc);
            boolean isNew = context == null;
            try {
                if (isNew) {
                    if (rxRtcp.isFull()) {
                        throw new SrtpException("SRTCP packet dropped: " + tooManySsrcs(ssrc));
                    }
                    context = factory(false).deriveControlContext(ssrc);
                }
                SrtpErrorStatus status = context.reverseTransformPacket(rtcpPacket.wrap(buf, off, len));
                int result = rtcpPacket.finish(buf, off);
                if (status != SrtpErrorStatus.OK) {
                    throw new SrtpException(failure("SRTCP", status, ssrc) + " index " + index);
                }
                if (isNew) {
                    rxRtcp.add(ssrc, context);
                }
                return result;
            } catch (GeneralSecurityException e) {
                throw new SrtpException("SRTCP unprotect failed: ssrc " + Integer.toUnsignedString(ssrc), e);
            }
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

    /**
     * Closes jitsi's factories and zeroes the master key copies; later calls throw
     * {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (rtpLock) {
            synchronized (rtcpLock) {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    if (senderFactory != null) {
                        senderFactory.close();
                    }
                    if (receiverFactory != null) {
                        receiverFactory.close();
                    }
                    senderFactory = null;
                    receiverFactory = null;
                    Arrays.fill(masterKey, (byte) 0);
                    Arrays.fill(masterSalt, (byte) 0);
                    txRtp.clear();
                    rxRtp.clear();
                    txRtcp.clear();
                    rxRtcp.clear();
                }
            }
        }
    }

    // ------------------------------------------------------------------ internals

    /** The jitsi-srtp factory for one direction, created on first use. */
    private synchronized SrtpContextFactory factory(boolean sender) {
        SrtpContextFactory factory = sender ? senderFactory : receiverFactory;
        if (factory == null) {
            factory = new SrtpContextFactory(sender, masterKey, masterSalt, policy(profile), policy(profile), LOGGER);
            if (sender) {
                senderFactory = factory;
            } else {
                receiverFactory = factory;
            }
        }
        return factory;
    }

    /** The jitsi-srtp policy of a profile (same for SRTP and SRTCP). */
    static SrtpPolicy policy(SrtpProfile profile) {
        SrtpPolicy policy = switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.keyLength(),
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, profile.authKeyLength(), profile.tagLength(),
                    profile.saltLength());
        };
        // Sequence numbers are ours to choose when sending: no replay check on our own packets.
        policy.setSendReplayEnabled(false);
        policy.setReceiveReplayEnabled(true);
        return policy;
    }

    private static String failure(String what, SrtpErrorStatus status, int ssrc) {
        String reason = switch (status) {
            case AUTH_FAIL -> "authentication failed";
            case REPLAY_FAIL, REPLAY_OLD -> "replay or too old";
            case INVALID_PACKET -> "invalid packet";
            default -> "failed";
        };
        return what + " " + reason + " (" + status + "): ssrc " + Integer.toUnsignedString(ssrc);
    }

    private static String tooManySsrcs(int ssrc) {
        return "more than " + MAX_STREAMS + " SSRCs in one SRTP context (new SSRC "
                + Integer.toUnsignedString(ssrc) + ")";
    }

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

    /** A small SSRC → jitsi crypto context table (linear scan; WebRTC sessions carry a handful of SSRCs). */
    private static final class Streams<T> {
        private final int[] ssrcs = new int[MAX_STREAMS];
        private final Object[] contexts = new Object[MAX_STREAMS];
        private int size;

        @SuppressWarnings("unchecked")
        T find(int ssrc) {
            for (int i = 0; i < size; i++) {
                if (ssrcs[i] == ssrc) {
                    return (T) contexts[i];
                }
            }
            return null;
        }

        boolean isFull() {
            return size == MAX_STREAMS;
        }

        void add(int ssrc, T context) {
            ssrcs[size] = ssrc;
            contexts[size++] = context;
        }

        void clear() {
            Arrays.fill(contexts, null);
            size = 0;
        }
    }
}
