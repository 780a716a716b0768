package io.framewire.api.spi;

/**
 * Where encoded frames and control messages go (WebRTC to browsers; a counting null transport for
 * tests). Register as a service with {@link Plugins#NAME}; the runtime's {@code transport} setting
 * picks one. A transport owns its network settings (address, port) in its own configuration.
 */
public interface Transport {
    /**
     * Starts serving the session. {@link TransportContext#stream()} already names the codec, so a
     * peer can negotiate before the first frame. A codec change (another encoder) restarts the
     * transport.
     */
    void start(TransportContext context) throws Exception;

    /**
     * Sends one encoded frame to every connected peer. Called on the pacer thread once per tick:
     * must not block on the network.
     */
    void send(EncodedFrame frame);

    /**
     * Sends a control message. Must not block.
     *
     * @param peerId the peer to send to, or null for every connected peer
     */
    void sendMessage(String peerId, OutgoingMessage message);

    /** @return how many peers are connected */
    int peerCount();

    /**
     * @return each connected peer's counts, for the metrics endpoint (default: none known)
     * @since 2.2
     */
    default java.util.List<PeerStats> peerStats() {
        return java.util.List.of();
    }

    /**
     * @return the page a viewer opens (with any access token it needs), or null when this transport
     *         serves none or is not started
     * @since 2.3
     */
    default String url() {
        return null;
    }

    /** Stops serving and releases resources. Idempotent. */
    void stop();
}
