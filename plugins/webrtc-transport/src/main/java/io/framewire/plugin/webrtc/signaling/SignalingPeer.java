package io.framewire.plugin.webrtc.signaling;

import java.net.SocketAddress;

/** One connected signaling client (a browser tab). Thread-safe. */
public interface SignalingPeer {
    /** @return the server-generated id, unique within the server ({@code hello.peerId}) */
    String peerId();

    /**
     * Queues a JSON text message to the client; never blocks. When the client reads too slowly
     * (too many messages or bytes not yet written) or the connection is closed, the message is
     * dropped and counted in {@link #droppedMessages()}.
     *
     * @param json one JSON object (see {@link SignalingProtocol} for builders)
     * @return true when queued, false when dropped
     */
    boolean send(String json);

    /** Closes the connection normally (1000); {@code onDisconnect} follows. Idempotent. */
    void close();

    /** Closes the connection with a WebSocket status code and a short reason. Idempotent. */
    void close(int statusCode, String reason);

    /** @return true while the WebSocket is open */
    boolean isOpen();

    /** @return how many outgoing messages were dropped because the client was too slow or gone */
    long droppedMessages();

    /** @return the client's address, or null when unknown */
    SocketAddress remoteAddress();
}
