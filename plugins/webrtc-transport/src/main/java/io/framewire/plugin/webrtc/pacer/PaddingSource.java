package io.framewire.plugin.webrtc.pacer;

/**
 * Makes the packets that fill a bandwidth probe when no media waits ({@link PacedSender#startProbe}).
 * Called on the pacer thread; must not block.
 */
@FunctionalInterface
public interface PaddingSource {
    /**
     * @return an unprotected {@link QueuedPacket.Kind#PADDING} packet the receiver may discard (e.g.
     *         an RTX copy of a recent media packet), or null when there is none to make
     */
    QueuedPacket padding();
}
