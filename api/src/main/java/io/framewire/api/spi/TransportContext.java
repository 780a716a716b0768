package io.framewire.api.spi;

import io.framewire.api.HealthReport;
import io.framewire.api.ServerConfig;

/** What the runtime offers a {@link Transport}. All methods return at once. */
public interface TransportContext {
    /** @return the session's settings */
    ServerConfig config();

    /** Hands an incoming app message to the runtime; it is handled off the caller's (network) thread. */
    void onMessage(String peerId, String json);

    /** Asks the encoder for a key frame (a peer joined, PLI/FIR). */
    void requestKeyframe();

    /** @return the server's health, for a transport that serves {@code /health} */
    HealthReport health();
}
