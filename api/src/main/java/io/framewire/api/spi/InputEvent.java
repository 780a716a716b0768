package io.framewire.api.spi;

import java.util.Map;

/**
 * Input from a peer, already mapped by the transport to stream pixels. The runtime hands it to the
 * application's message listeners as an {@code input.pointer} or {@code input.key} JSON message.
 */
public sealed interface InputEvent permits PointerInput, KeyInput {
    /** @return the fields of the listener's JSON message, {@code type} first */
    Map<String, Object> toMap();
}
