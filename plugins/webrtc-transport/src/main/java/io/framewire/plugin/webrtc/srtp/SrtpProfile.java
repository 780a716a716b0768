package io.framewire.plugin.webrtc.srtp;

/**
 * SRTP protection profiles this package implements, with their DTLS-SRTP identifiers
 * (RFC 5764 §4.1.2) and key sizes.
 */
public enum SrtpProfile {
    /** AES-128 counter mode, HMAC-SHA1 with an 80-bit tag (RFC 3711 mandatory profile). */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 20, 10);

    private final int dtlsId;
    private final int keyLength;
    private final int saltLength;
    private final int authKeyLength;
    private final int tagLength;

    SrtpProfile(int dtlsId, int keyLength, int saltLength, int authKeyLength, int tagLength) {
        this.dtlsId = dtlsId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.authKeyLength = authKeyLength;
        this.tagLength = tagLength;
    }

    /** @return the SRTPProtectionProfile value used in the DTLS {@code use_srtp} extension */
    public int dtlsId() { return dtlsId; }

    /** @return master (and session) key length in bytes */
    public int keyLength() { return keyLength; }

    /** @return master (and session) salt length in bytes */
    public int saltLength() { return saltLength; }

    /** @return session authentication key length in bytes */
    public int authKeyLength() { return authKeyLength; }

    /** @return authentication tag length appended to each packet, in bytes */
    public int tagLength() { return tagLength; }

    /**
     * @param dtlsId a {@code use_srtp} profile identifier
     * @return the matching profile, or {@code null} if this package does not implement it
     */
    public static SrtpProfile fromDtlsId(int dtlsId) {
        for (SrtpProfile p : values()) {
            if (p.dtlsId == dtlsId) {
                return p;
            }
        }
        return null;
    }
}
