package io.framewire.plugin.webrtc.dtls;

import java.io.IOException;

/** The DTLS-SRTP handshake failed, timed out, or was aborted by {@code close()}. */
public class DtlsHandshakeException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed (e.g. a certificate fingerprint mismatch)
     * @param cause   the underlying error, may be null
     */
    public DtlsHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
