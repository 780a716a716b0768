package io.framewire.plugin.webrtc.sdp;

/** Media direction attribute of an m-section, from the point of view of the side that wrote it. */
public enum Direction {
    /** {@code a=sendrecv} (the default). */
    SENDRECV,
    /** {@code a=sendonly}. */
    SENDONLY,
    /** {@code a=recvonly}. */
    RECVONLY,
    /** {@code a=inactive}. */
    INACTIVE;

    /** @return the attribute name, e.g. {@code recvonly} */
    public String attribute() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return true if the writer of the SDP wants to receive media */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }
}
