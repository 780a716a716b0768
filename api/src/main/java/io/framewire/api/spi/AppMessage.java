package io.framewire.api.spi;

/**
 * An application message, in either direction: one JSON object as text. From a peer, the
 * transport has parsed and checked it (an object, within the size limit) before the runtime sees
 * it; to peers, the transport checks it when it writes its wire form and drops (and logs) one that
 * is not a JSON object.
 *
 * @param json the JSON object's text
 */
public record AppMessage(String json) implements OutgoingMessage {
    /** @throws IllegalArgumentException when json is null */
    public AppMessage {
        if (json == null) {
            throw new IllegalArgumentException("json=null: an app message is a JSON object's text");
        }
    }
}
