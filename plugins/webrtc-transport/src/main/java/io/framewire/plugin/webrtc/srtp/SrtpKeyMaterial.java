package io.framewire.plugin.webrtc.srtp;

import java.util.Arrays;

/**
 * The SRTP master keys and salts of both directions, as exported by DTLS-SRTP (RFC 5764 §4.2):
 * {@code client_write_key | server_write_key | client_write_salt | server_write_salt}.
 * Creates the {@link SrtpContext}s for each direction; {@link #close()} zeroes the secrets.
 */
public final class SrtpKeyMaterial implements AutoCloseable {
    private final SrtpProfile profile;
    private final byte[] clientKey;
    private final byte[] serverKey;
    private final byte[] clientSalt;
    private final byte[] serverSalt;

    private SrtpKeyMaterial(SrtpProfile profile, byte[] clientKey, byte[] serverKey, byte[] clientSalt,
                            byte[] serverSalt) {
        this.profile = profile;
        this.clientKey = clientKey;
        this.serverKey = serverKey;
        this.clientSalt = clientSalt;
        this.serverSalt = serverSalt;
    }

    /**
     * Splits exported keying material ("EXTRACTOR-dtls_srtp" output).
     *
     * @param profile  the negotiated profile
     * @param exported exactly {@link #exportLength(SrtpProfile)} bytes; not retained (copied)
     * @return the split key material
     */
    public static SrtpKeyMaterial fromDtlsExport(SrtpProfile profile, byte[] exported) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (exported.length != exportLength(profile)) {
            throw new IllegalArgumentException("expected " + exportLength(profile) + " bytes, got " + exported.length);
        }
        return new SrtpKeyMaterial(profile,
                Arrays.copyOfRange(exported, 0, k),
                Arrays.copyOfRange(exported, k, 2 * k),
                Arrays.copyOfRange(exported, 2 * k, 2 * k + s),
                Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s));
    }

    /**
     * @param profile the negotiated profile
     * @return how many bytes to export from the DTLS session: 2 * (key + salt)
     */
    public static int exportLength(SrtpProfile profile) {
        return 2 * (profile.keyLength() + profile.saltLength());
    }

    /** @return the negotiated profile */
    public SrtpProfile profile() { return profile; }

    /** @return a copy of the DTLS client's master key */
    public byte[] clientMasterKey() { return clientKey.clone(); }

    /** @return a copy of the DTLS server's master key */
    public byte[] serverMasterKey() { return serverKey.clone(); }

    /** @return a copy of the DTLS client's master salt */
    public byte[] clientMasterSalt() { return clientSalt.clone(); }

    /** @return a copy of the DTLS server's master salt */
    public byte[] serverMasterSalt() { return serverSalt.clone(); }

    /**
     * Context for packets we send: the DTLS server sends with the server write key, the client with
     * the client write key.
     *
     * @param weAreDtlsServer our DTLS role
     * @return a new context (owned by the caller; close it)
     */
    public SrtpContext outboundContext(boolean weAreDtlsServer) {
        return weAreDtlsServer ? new SrtpContext(profile, serverKey, serverSalt)
                               : new SrtpContext(profile, clientKey, clientSalt);
    }

    /**
     * Context for packets we receive (the peer's write key).
     *
     * @param weAreDtlsServer our DTLS role
     * @return a new context (owned by the caller; close it)
     */
    public SrtpContext inboundContext(boolean weAreDtlsServer) {
        return outboundContext(!weAreDtlsServer);
    }

    /** Zeroes all master keys and salts. */
    @Override
    public void close() {
        Arrays.fill(clientKey, (byte) 0);
        Arrays.fill(serverKey, (byte) 0);
        Arrays.fill(clientSalt, (byte) 0);
        Arrays.fill(serverSalt, (byte) 0);
    }
}
