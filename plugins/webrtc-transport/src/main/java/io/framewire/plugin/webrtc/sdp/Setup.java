package io.framewire.plugin.webrtc.sdp;

import java.util.Locale;

/** The {@code a=setup} DTLS role attribute (RFC 4145 / RFC 5763). */
public enum Setup {
    /** Offerer can be client or server. */
    ACTPASS,
    /** The writer is the DTLS client. */
    ACTIVE,
    /** The writer is the DTLS server. */
    PASSIVE,
    /** No connection now. */
    HOLDCONN;

    /** @return the attribute value, e.g. {@code passive} */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value the attribute value
     * @return the role
     * @throws SdpException if the value is unknown
     */
    public static Setup parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SdpException("unknown a=setup value '" + value + "'");
        }
    }
}
