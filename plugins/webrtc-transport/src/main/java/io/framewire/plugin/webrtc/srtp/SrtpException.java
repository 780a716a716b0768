package io.framewire.plugin.webrtc.srtp;

/** A packet could not be unprotected: malformed, failed authentication, or replayed. */
public class SrtpException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong with the packet */
    public SrtpException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the packet
     * @param cause   the underlying failure
     */
    public SrtpException(String message, Throwable cause) {
        super(message, cause);
    }
}
