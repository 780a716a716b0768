package io.framewire.api.spi;

/**
 * Where encoded frames and app messages go (WebRTC to browsers; a counting null transport for
 * tests). Register as a service with {@link Plugins#NAME}; the runtime's {@code transport} setting
 * picks one.
 */
public interface Transport {
    /** Starts serving the session. */
    void start(TransportContext context) throws Exception;

    /**
     * Sends one encoded frame to every connected peer. Called on the pacer thread once per tick:
     * must not block on the network.
     */
    void send(EncodedFrame frame);

    /**
     * Sends an app message (JSON object text). Must not block.
     *
     * @param peerId the peer to send to, or null for every connected peer
     */
    void sendMessage(String peerId, String json);

    /** @return how many peers are connected */
    int peerCount();

    /** Stops serving and releases resources. Idempotent. */
    void stop();
}
