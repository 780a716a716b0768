package io.framewire.plugin.webrtc.pacer;

import java.io.IOException;

/** Puts one paced packet on the wire. */
@FunctionalInterface
public interface Transmitter {
    /**
     * Called on the pacer thread (or the thread calling {@link PacedSender#process}) for each packet
     * when the pacing budget lets it leave.
     *
     * @return the bytes put on the wire (after SRTP protection), charged to the pacing budget;
     *         0 when the packet was dropped without sending
     * @throws IOException counted as a send error; the packet's length is charged to the budget
     */
    int transmit(QueuedPacket packet) throws IOException;
}
