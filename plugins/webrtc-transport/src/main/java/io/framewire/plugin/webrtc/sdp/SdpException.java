package io.framewire.plugin.webrtc.sdp;

/** An SDP that cannot be parsed, or an offer that cannot be answered. */
public class SdpException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the offending line or values */
    public SdpException(String message) {
        super(message);
    }
}
