package io.framewire.plugin.webrtc.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A browser-like DTLS 1.2 client for the tests and the test receiver: offers use_srtp with the given
 * profiles, presents its own self-signed certificate, checks the server's against the SDP fingerprint
 * and exports the DTLS-SRTP keying material (RFC 5764) when the handshake completes.
 */
public final class DtlsSrtpClient extends DefaultTlsClient {

    private final DtlsCertificate cert;
    private final String expectedServerFingerprint;
    private final int[] srtpProfiles;
    /** Handshake timeout; change before connecting. */
    public int timeoutMillis = 15_000;

    public DtlsSrtpClient(DtlsCertificate cert, String expectedServerFingerprint, int... srtpProfiles) {
        super(new BcTlsCrypto(new SecureRandom()));
        this.cert = cert;
        this.expectedServerFingerprint = expectedServerFingerprint;
        this.srtpProfiles = srtpProfiles;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(),
                new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256});
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return timeoutMillis;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable ext = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(srtpProfiles, TlsUtils.EMPTY_BYTES));
        return ext;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate sc) throws IOException {
                byte[] der = sc.getCertificate().getCertificateAt(0).getEncoded();
                if (!DtlsCertificate.matches(expectedServerFingerprint, der)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate);
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        cert.privateKey(), cert.tlsCertificate(crypto),
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    private byte[] exported;

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 60);
    }

    /**
     * @param length the export length the SRTP profile needs (RFC 5764: 2 * (key + salt))
     * @return the keying material exported at the end of the handshake
     */
    public byte[] exportSrtp(int length) {
        if (exported == null || exported.length != length) {
            throw new IllegalStateException("exported " + (exported == null ? "nothing" : exported.length + " bytes")
                    + ", asked for " + length);
        }
        return exported.clone();
    }
}
