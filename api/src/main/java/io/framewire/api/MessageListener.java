package io.framewire.api;

/**
 * Receives app messages (JSON text) from connected peers. Called on the server's message thread,
 * never on a network thread; a slow listener delays only later messages, never the video.
 */
@FunctionalInterface
public interface MessageListener {
    /**
     * @param peerId the peer that sent it
     * @param json   the message, a JSON object as text
     */
    void onMessage(String peerId, String json);
}
