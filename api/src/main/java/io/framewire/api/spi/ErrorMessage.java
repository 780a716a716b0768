package io.framewire.api.spi;

/**
 * An error reply to one peer about a request it sent (a stage load that cannot start, a message
 * the runtime cannot take). The connection stays open.
 *
 * @param text what was wrong, naming the field and the value
 */
public record ErrorMessage(String text) implements OutgoingMessage {
    /** @throws IllegalArgumentException when text is null */
    public ErrorMessage {
        if (text == null) {
            throw new IllegalArgumentException("text=null: an error message needs a text");
        }
    }
}
