package io.framewire.plugin.webrtc.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A STUN message (RFC 5389): the Binding method with the attributes ICE needs. Test code: the
 * tests play the browser's side with it, so the agent's ice4j codec is checked against an
 * independent encoder that is itself checked against the RFC 5769 vectors ({@code StunMessageTest}).
 *
 * <p>Build one with {@link #StunMessage(int, byte[])} and the {@code add*} methods, then
 * {@link #encode(byte[], boolean)} it, which appends MESSAGE-INTEGRITY (HMAC-SHA1 over the message
 * with the length adjusted to end after MESSAGE-INTEGRITY) and FINGERPRINT (CRC-32 XOR
 * 0x5354554e) as asked. {@link #decode(byte[], int, int)} parses one and keeps the raw bytes so
 * {@link #checkIntegrity(byte[])} and {@link #checkFingerprint()} can verify them.
 *
 * <p>Instances are not thread-safe while being built; decoded instances are effectively immutable.
 */
public final class StunMessage {
    /** Magic cookie (RFC 5389 §6). */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** Header length. */
    public static final int HEADER_LENGTH = 20;

    /** Binding request. */
    public static final int BINDING_REQUEST = 0x0001;
    /** Binding indication (ICE keepalive). */
    public static final int BINDING_INDICATION = 0x0011;
    /** Binding success response. */
    public static final int BINDING_SUCCESS = 0x0101;
    /** Binding error response. */
    public static final int BINDING_ERROR = 0x0111;

    /** MAPPED-ADDRESS. */
    public static final int ATTR_MAPPED_ADDRESS = 0x0001;
    /** USERNAME. */
    public static final int ATTR_USERNAME = 0x0006;
    /** MESSAGE-INTEGRITY. */
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    /** ERROR-CODE. */
    public static final int ATTR_ERROR_CODE = 0x0009;
    /** REALM. */
    public static final int ATTR_REALM = 0x0014;
    /** NONCE. */
    public static final int ATTR_NONCE = 0x0015;
    /** XOR-MAPPED-ADDRESS. */
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    /** PRIORITY (RFC 8445). */
    public static final int ATTR_PRIORITY = 0x0024;
    /** USE-CANDIDATE (RFC 8445). */
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    /** SOFTWARE. */
    public static final int ATTR_SOFTWARE = 0x8022;
    /** FINGERPRINT. */
    public static final int ATTR_FINGERPRINT = 0x8028;
    /** ICE-CONTROLLED (RFC 8445). */
    public static final int ATTR_ICE_CONTROLLED = 0x8029;
    /** ICE-CONTROLLING (RFC 8445). */
    public static final int ATTR_ICE_CONTROLLING = 0x802A;

    private static final int FINGERPRINT_XOR = 0x5354554e;
    private static final int INTEGRITY_LENGTH = 20;

    /** One attribute: its type and raw value (without padding). */
    public record Attribute(int type, byte[] value) {
    }

    private final int type;
    private final byte[] transactionId;
    private final List<Attribute> attributes = new ArrayList<>();
    // Set only on decoded messages:
    private final byte[] raw;
    private final int integrityOffset;
    private final int fingerprintOffset;

    /**
     * Starts a message to encode.
     *
     * @param type          message type, e.g. {@link #BINDING_REQUEST}
     * @param transactionId 12 bytes (copied)
     */
    public StunMessage(int type, byte[] transactionId) {
        if (transactionId.length != 12 || (type & 0xC000) != 0) {
            throw new IllegalArgumentException("bad type or transaction id");
        }
        this.type = type;
        this.transactionId = transactionId.clone();
        this.raw = null;
        this.integrityOffset = -1;
        this.fingerprintOffset = -1;
    }

    private StunMessage(int type, byte[] transactionId, byte[] raw, int integrityOffset, int fingerprintOffset) {
        this.type = type;
        this.transactionId = transactionId;
        this.raw = raw;
        this.integrityOffset = integrityOffset;
        this.fingerprintOffset = fingerprintOffset;
    }

    /** @return a new random 12-byte transaction id */
    public static byte[] newTransactionId() {
        byte[] id = new byte[12];
        IceLiteAgent.RANDOM.nextBytes(id);
        return id;
    }

    // ------------------------------------------------------------------ building

    /**
     * Adds an attribute as is. MESSAGE-INTEGRITY and FINGERPRINT are added by {@link #encode}.
     *
     * @param attrType attribute type
     * @param value    attribute value (copied; padding is added on encoding)
     * @return this
     */
    public StunMessage add(int attrType, byte[] value) {
        if (raw != null) {
            throw new IllegalStateException("decoded messages are read-only");
        }
        if (attrType == ATTR_MESSAGE_INTEGRITY || attrType == ATTR_FINGERPRINT) {
            throw new IllegalArgumentException("MESSAGE-INTEGRITY/FINGERPRINT are added by encode()");
        }
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("attribute too long");
        }
        attributes.add(new Attribute(attrType, value.clone()));
        return this;
    }

    /** @param username USERNAME, UTF-8 @return this */
    public StunMessage addUsername(String username) {
        return add(ATTR_USERNAME, username.getBytes(StandardCharsets.UTF_8));
    }

    /** @param priority PRIORITY (32-bit unsigned) @return this */
    public StunMessage addPriority(long priority) {
        return add(ATTR_PRIORITY, int32(priority));
    }

    /** @param tieBreaker ICE-CONTROLLING tie breaker @return this */
    public StunMessage addIceControlling(long tieBreaker) {
        return add(ATTR_ICE_CONTROLLING, int64(tieBreaker));
    }

    /** @param tieBreaker ICE-CONTROLLED tie breaker @return this */
    public StunMessage addIceControlled(long tieBreaker) {
        return add(ATTR_ICE_CONTROLLED, int64(tieBreaker));
    }

    /** @return this, with an empty USE-CANDIDATE */
    public StunMessage addUseCandidate() {
        return add(ATTR_USE_CANDIDATE, new byte[0]);
    }

    /** @param software SOFTWARE, UTF-8 @return this */
    public StunMessage addSoftware(String software) {
        return add(ATTR_SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param code   300..699
     * @param reason reason phrase
     * @return this, with ERROR-CODE
     */
    public StunMessage addErrorCode(int code, String reason) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code " + code);
        }
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] v = new byte[4 + r.length];
        v[2] = (byte) (code / 100);
        v[3] = (byte) (code % 100);
        System.arraycopy(r, 0, v, 4, r.length);
        return add(ATTR_ERROR_CODE, v);
    }

    /**
     * @param address the mapped address (IPv4 or IPv6)
     * @return this, with XOR-MAPPED-ADDRESS
     */
    public StunMessage addXorMappedAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        byte[] v = new byte[4 + ip.length];
        v[1] = (byte) (ip.length == 4 ? 1 : 2);
        int port = address.getPort() ^ (MAGIC_COOKIE >>> 16);
        v[2] = (byte) (port >>> 8);
        v[3] = (byte) port;
        byte[] mask = xorMask();
        for (int i = 0; i < ip.length; i++) {
            v[4 + i] = (byte) (ip[i] ^ mask[i]);
        }
        return add(ATTR_XOR_MAPPED_ADDRESS, v);
    }

    /**
     * Encodes the message.
     *
     * @param integrityKey if not null, appends MESSAGE-INTEGRITY keyed with it (short-term: the
     *                     password's UTF-8 bytes; long-term: {@link #longTermKey})
     * @param fingerprint  whether to append FINGERPRINT
     * @return the datagram
     */
    public byte[] encode(byte[] integrityKey, boolean fingerprint) {
        int bodyLen = 0;
        for (Attribute a : attributes) {
            bodyLen += 4 + pad4(a.value().length);
        }
        int total = HEADER_LENGTH + bodyLen + (integrityKey != null ? 4 + INTEGRITY_LENGTH : 0) + (fingerprint ? 8 : 0);
        byte[] out = new byte[total];
        putU16(out, 0, type);
        putI32(out, 4, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, out, 8, 12);
        int p = HEADER_LENGTH;
        for (Attribute a : attributes) {
            putU16(out, p, a.type());
            putU16(out, p + 2, a.value().length);
            System.arraycopy(a.value(), 0, out, p + 4, a.value().length);
            p += 4 + pad4(a.value().length);
        }
        if (integrityKey != null) {
            putU16(out, 2, p + 4 + INTEGRITY_LENGTH - HEADER_LENGTH);
            byte[] hmac = hmacSha1(integrityKey, out, 0, p);
            putU16(out, p, ATTR_MESSAGE_INTEGRITY);
            putU16(out, p + 2, INTEGRITY_LENGTH);
            System.arraycopy(hmac, 0, out, p + 4, INTEGRITY_LENGTH);
            p += 4 + INTEGRITY_LENGTH;
        }
        if (fingerprint) {
            putU16(out, 2, p + 8 - HEADER_LENGTH);
            putU16(out, p, ATTR_FINGERPRINT);
            putU16(out, p + 2, 4);
            putI32(out, p + 4, crc32(out, 0, p) ^ FINGERPRINT_XOR);
            p += 8;
        }
        putU16(out, 2, p - HEADER_LENGTH);
        return out;
    }

    // ------------------------------------------------------------------ parsing

    /**
     * Quick RFC 7983 / RFC 5389 check: first two bits zero, length a multiple of 4 matching the
     * datagram, and the magic cookie.
     *
     * @param buf datagram
     * @param off offset
     * @param len length
     * @return whether it looks like a STUN message
     */
    public static boolean isStun(byte[] buf, int off, int len) {
        return len >= HEADER_LENGTH && (buf[off] & 0xC0) == 0
                && getI32(buf, off + 4) == MAGIC_COOKIE
                && (getU16(buf, off + 2) & 3) == 0
                && getU16(buf, off + 2) + HEADER_LENGTH == len;
    }

    /**
     * Parses a STUN message. Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored
     * (RFC 5389 §15.4); nothing may follow FINGERPRINT.
     *
     * @param buf datagram
     * @param off offset
     * @param len length
     * @return the message (keeps a copy of the bytes for integrity checks)
     * @throws IllegalArgumentException if it is not a well-formed STUN message
     */
    public static StunMessage decode(byte[] buf, int off, int len) {
        if (!isStun(buf, off, len)) {
            throw new IllegalArgumentException("not a STUN message");
        }
        byte[] raw = java.util.Arrays.copyOfRange(buf, off, off + len);
        byte[] tid = java.util.Arrays.copyOfRange(raw, 8, 20);
        int integrity = -1;
        int fingerprint = -1;
        List<Attribute> attrs = new ArrayList<>();
        int p = HEADER_LENGTH;
        while (p < len) {
            if (fingerprint >= 0) {
                throw new IllegalArgumentException("attribute after FINGERPRINT");
            }
            if (p + 4 > len) {
                throw new IllegalArgumentException("truncated attribute header");
            }
            int t = getU16(raw, p);
            int l = getU16(raw, p + 2);
            if (p + 4 + l > len) {
                throw new IllegalArgumentException("truncated attribute 0x" + Integer.toHexString(t));
            }
            if (t == ATTR_FINGERPRINT) {
                if (l != 4) {
                    throw new IllegalArgumentException("bad FINGERPRINT length");
                }
                fingerprint = p;
            } else if (t == ATTR_MESSAGE_INTEGRITY && integrity < 0) {
                if (l != INTEGRITY_LENGTH) {
                    throw new IllegalArgumentException("bad MESSAGE-INTEGRITY length");
                }
                integrity = p;
            } else if (integrity < 0) {
                attrs.add(new Attribute(t, java.util.Arrays.copyOfRange(raw, p + 4, p + 4 + l)));
            }
            p += 4 + pad4(l);
        }
        if (p != len) {
            throw new IllegalArgumentException("attribute padding overruns message");
        }
        StunMessage m = new StunMessage(getU16(raw, 0), tid, raw, integrity, fingerprint);
        m.attributes.addAll(attrs);
        return m;
    }

    /**
     * Verifies MESSAGE-INTEGRITY of a decoded message.
     *
     * @param key short-term: the password's UTF-8 bytes; long-term: {@link #longTermKey}
     * @return true if present and valid
     */
    public boolean checkIntegrity(byte[] key) {
        if (raw == null || integrityOffset < 0) {
            return false;
        }
        byte[] copy = java.util.Arrays.copyOf(raw, integrityOffset);
        putU16(copy, 2, integrityOffset + 4 + INTEGRITY_LENGTH - HEADER_LENGTH);
        byte[] expected = hmacSha1(key, copy, 0, copy.length);
        byte[] actual = java.util.Arrays.copyOfRange(raw, integrityOffset + 4, integrityOffset + 4 + INTEGRITY_LENGTH);
        return MessageDigest.isEqual(expected, actual);
    }

    /** @return true if FINGERPRINT is present and matches */
    public boolean checkFingerprint() {
        return raw != null && fingerprintOffset >= 0
                && getI32(raw, fingerprintOffset + 4) == (crc32(raw, 0, fingerprintOffset) ^ FINGERPRINT_XOR);
    }

    /** @return whether the decoded message carried MESSAGE-INTEGRITY */
    public boolean hasIntegrity() { return integrityOffset >= 0; }

    /** @return whether the decoded message carried FINGERPRINT */
    public boolean hasFingerprint() { return fingerprintOffset >= 0; }

    // ------------------------------------------------------------------ accessors

    /** @return the message type, e.g. {@link #BINDING_REQUEST} */
    public int type() { return type; }

    /** @return a copy of the transaction id */
    public byte[] transactionId() { return transactionId.clone(); }

    /** @return the attributes (before MESSAGE-INTEGRITY), unmodifiable */
    public List<Attribute> attributes() { return Collections.unmodifiableList(attributes); }

    /**
     * @param attrType attribute type
     * @return the first attribute value of that type, or null
     */
    public byte[] attribute(int attrType) {
        for (Attribute a : attributes) {
            if (a.type() == attrType) {
                return a.value().clone();
            }
        }
        return null;
    }

    /** @param attrType attribute type @return whether present */
    public boolean has(int attrType) {
        for (Attribute a : attributes) {
            if (a.type() == attrType) {
                return true;
            }
        }
        return false;
    }

    /** @return USERNAME or null */
    public String username() {
        byte[] v = attribute(ATTR_USERNAME);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** @return PRIORITY or -1 */
    public long priority() {
        byte[] v = attribute(ATTR_PRIORITY);
        return v == null || v.length != 4 ? -1 : getI32(v, 0) & 0xffffffffL;
    }

    /** @return whether USE-CANDIDATE is present */
    public boolean useCandidate() { return has(ATTR_USE_CANDIDATE); }

    /** @return the ERROR-CODE number (e.g. 401) or -1 */
    public int errorCode() {
        byte[] v = attribute(ATTR_ERROR_CODE);
        return v == null || v.length < 4 ? -1 : (v[2] & 7) * 100 + (v[3] & 0xff);
    }

    /** @return the ERROR-CODE reason phrase or null */
    public String errorReason() {
        byte[] v = attribute(ATTR_ERROR_CODE);
        return v == null || v.length < 4 ? null : new String(v, 4, v.length - 4, StandardCharsets.UTF_8);
    }

    /** @return the decoded XOR-MAPPED-ADDRESS or null */
    public InetSocketAddress xorMappedAddress() {
        byte[] v = attribute(ATTR_XOR_MAPPED_ADDRESS);
        if (v == null || v.length < 8) {
            return null;
        }
        int ipLen = v[1] == 1 ? 4 : v[1] == 2 ? 16 : -1;
        if (ipLen < 0 || v.length != 4 + ipLen) {
            return null;
        }
        byte[] mask = xorMask();
        byte[] ip = new byte[ipLen];
        for (int i = 0; i < ipLen; i++) {
            ip[i] = (byte) (v[4 + i] ^ mask[i]);
        }
        int port = getU16(v, 2) ^ (MAGIC_COOKIE >>> 16);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4/16-byte arrays
        }
    }

    /**
     * Long-term credential key: MD5(username ":" realm ":" password). The caller is responsible for
     * SASLprep/OpaqueString processing of the inputs.
     *
     * @param username user name
     * @param realm    realm
     * @param password password
     * @return the 16-byte key
     */
    public static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private byte[] xorMask() {
        byte[] mask = new byte[16];
        putI32(mask, 0, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, mask, 4, 12);
        return mask;
    }

    private static byte[] hmacSha1(byte[] key, byte[] buf, int off, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(buf, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int crc32(byte[] buf, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(buf, off, len);
        return (int) crc.getValue();
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private static byte[] int32(long v) {
        byte[] b = new byte[4];
        putI32(b, 0, (int) v);
        return b;
    }

    private static byte[] int64(long v) {
        byte[] b = new byte[8];
        putI32(b, 0, (int) (v >>> 32));
        putI32(b, 4, (int) v);
        return b;
    }

    static int getU16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    static int getI32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    static void putU16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void putI32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
