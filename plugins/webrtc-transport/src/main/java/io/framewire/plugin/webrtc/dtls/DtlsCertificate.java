package io.framewire.plugin.webrtc.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * A self-signed ECDSA P-256 certificate for DTLS-SRTP, generated in memory with BouncyCastle's
 * lightweight API (no JCA provider is registered), valid from one day ago for 30 days.
 * {@link #fingerprint()} gives the SDP {@code a=fingerprint} value.
 *
 * <p>Immutable and thread-safe; one certificate may serve many sessions.
 */
public final class DtlsCertificate {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprint;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = fingerprint("sha-256", der);
    }

    /**
     * Generates a new key pair and self-signed certificate.
     *
     * @param commonName subject/issuer CN, e.g. "framewire"
     * @return the certificate
     */
    public static DtlsCertificate generate(String commonName) {
        X9ECParameters x9 = ECNamedCurveTable.getByName("P-256");
        ECNamedDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, x9);
        ECKeyPairGenerator gen = new ECKeyPairGenerator();
        gen.init(new ECKeyGenerationParameters(domain, RANDOM));
        AsymmetricCipherKeyPair kp = gen.generateKeyPair();
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(kp.getPublic());
            X500Name name = new X500Name("CN=" + commonName);
            long now = System.currentTimeMillis();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), new Date(now - 86_400_000L),
                    new Date(now + 30L * 86_400_000L), name, spki);
            AlgorithmIdentifier sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
            ContentSigner signer = new BcECContentSignerBuilder(sigAlg, digAlg).build(kp.getPrivate());
            X509CertificateHolder holder = builder.build(signer);
            return new DtlsCertificate(holder.getEncoded(), kp.getPrivate());
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create DTLS certificate", e);
        }
    }

    /** @return a freshly generated certificate with CN "framewire" */
    public static DtlsCertificate generate() {
        return generate("framewire");
    }

    /** @return the SDP fingerprint, e.g. {@code "sha-256 AB:CD:..."} */
    public String fingerprint() { return fingerprint; }

    /** @return a copy of the DER-encoded certificate */
    public byte[] encoded() { return der.clone(); }

    /** @return the private key (BouncyCastle lightweight parameters) */
    AsymmetricKeyParameter privateKey() { return privateKey; }

    /**
     * @param crypto the TLS crypto to wrap the certificate with
     * @return the certificate as a one-element bctls chain
     * @throws IOException if bctls cannot parse it
     */
    public Certificate tlsCertificate(TlsCrypto crypto) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
    }

    /**
     * Formats a certificate fingerprint as in SDP (RFC 8122): hash name, space, upper-case hex
     * bytes separated by colons.
     *
     * @param hashName SDP hash function name: sha-1, sha-256, sha-384 or sha-512
     * @param der      DER-encoded certificate
     * @return e.g. {@code "sha-256 AB:CD:..."}
     */
    public static String fingerprint(String hashName, byte[] der) {
        String h = hashName.toLowerCase(Locale.ROOT);
        String jca = switch (h) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported fingerprint hash " + hashName);
        };
        try {
            byte[] digest = MessageDigest.getInstance(jca).digest(der);
            return h + " " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks a certificate against an SDP fingerprint (hash name and hex compared case-insensitively).
     *
     * @param sdpFingerprint e.g. {@code "sha-256 AB:CD:..."}
     * @param der            DER-encoded certificate
     * @return whether it matches
     */
    public static boolean matches(String sdpFingerprint, byte[] der) {
        String s = sdpFingerprint.trim();
        int sp = s.indexOf(' ');
        if (sp < 0) {
            return false;
        }
        try {
            String actual = fingerprint(s.substring(0, sp), der);
            return MessageDigest.isEqual(actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    (s.substring(0, sp).toLowerCase(Locale.ROOT) + " " + s.substring(sp + 1).trim().toUpperCase(Locale.ROOT))
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
