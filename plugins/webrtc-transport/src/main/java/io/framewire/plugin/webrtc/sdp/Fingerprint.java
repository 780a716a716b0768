package io.framewire.plugin.webrtc.sdp;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A DTLS certificate fingerprint ({@code a=fingerprint:sha-256 AB:CD:...}).
 *
 * @param algorithm hash function name, lower case (e.g. {@code sha-256})
 * @param hex       the digest as upper-case hex bytes separated by colons
 */
public record Fingerprint(String algorithm, String hex) {

    /**
     * Normalises both parts: lower-case algorithm, upper-case colon-separated hex.
     *
     * @param algorithm hash function name
     * @param hex       digest, with or without colons
     */
    public Fingerprint {
        algorithm = algorithm.trim().toLowerCase(Locale.ROOT);
        String digits = hex.trim().replace(":", "");
        if (algorithm.isEmpty() || digits.isEmpty() || digits.length() % 2 != 0
                || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new SdpException("bad fingerprint '" + algorithm + " " + hex + "'");
        }
        hex = HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(digits));
    }

    /**
     * @param value the attribute value, {@code <algorithm> <hex>}
     * @return the fingerprint
     */
    public static Fingerprint parse(String value) {
        String[] parts = value.trim().split("\\s+");
        if (parts.length != 2) {
            throw new SdpException("a=fingerprint needs '<algorithm> <hex>', got '" + value + "'");
        }
        return new Fingerprint(parts[0], parts[1]);
    }

    /** @return the digest bytes */
    public byte[] bytes() {
        return HexFormat.ofDelimiter(":").parseHex(hex);
    }

    /** @return the attribute value, {@code <algorithm> <hex>} */
    @Override
    public String toString() {
        return algorithm + " " + hex;
    }
}
