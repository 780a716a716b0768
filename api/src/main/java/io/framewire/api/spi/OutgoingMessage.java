package io.framewire.api.spi;

/**
 * What the runtime sends to peers through {@link Transport#sendMessage}: an application message, a
 * stage-load announcement, or an error reply. The transport turns it into its wire form (the
 * signaling protocol's JSON) at its edge; nothing before it writes or inspects JSON.
 */
public sealed interface OutgoingMessage permits AppMessage, StageEvent, ErrorMessage {
}
