package io.framewire.plugin.webrtc.pacer;

import java.util.Objects;

/**
 * One packet waiting in the pacer: an UNPROTECTED RTP packet (the {@link Transmitter} stamps the
 * transport-wide sequence number and SRTP-protects it when it leaves). The pacer takes ownership of
 * {@code data}: the caller must not touch the array after handing it over.
 *
 * @param data          the packet, starting at index 0
 * @param length        how many bytes of {@code data} are the packet
 * @param kind          retransmissions leave before media
 * @param enqueuedNanos when the caller made the packet ({@link System#nanoTime()} scale); kept for
 *                      the transmitter's use. The pacer measures queue time from its own clock at
 *                      enqueue and does not read this value.
 */
public record QueuedPacket(byte[] data, int length, Kind kind, long enqueuedNanos) {

    /** What the packet is; decides its queue. */
    public enum Kind {
        /** A resend answering a NACK: queued ahead of media, FIFO among retransmissions. */
        RETRANSMISSION,
        /** A packet of an encoded frame. */
        MEDIA
    }

    /** Checks the packet's fields. */
    public QueuedPacket {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(kind, "kind");
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + data.length);
        }
    }
}
