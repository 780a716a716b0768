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
 * @param probeCluster  the bandwidth probe the pacer sent it in ({@link PacedSender#startProbe}),
 *                      {@link #NO_PROBE} otherwise; set by the pacer as it leaves
 */
public record QueuedPacket(byte[] data, int length, Kind kind, long enqueuedNanos, int probeCluster) {

    /** {@link #probeCluster} of a packet not sent as part of a probe. */
    public static final int NO_PROBE = 0;

    /** What the packet is; decides its queue. */
    public enum Kind {
        /** A resend answering a NACK: queued ahead of media, FIFO among retransmissions. */
        RETRANSMISSION,
        /** A packet of an encoded frame. */
        MEDIA,
        /** Filler that only makes a probe's rate ({@link PaddingSource}); the receiver needs none of it. */
        PADDING
    }

    /** A packet outside any probe. */
    public QueuedPacket(byte[] data, int length, Kind kind, long enqueuedNanos) {
        this(data, length, kind, enqueuedNanos, NO_PROBE);
    }

    /** @return this packet as part of probe cluster {@code id} */
    public QueuedPacket inProbe(int id) {
        return new QueuedPacket(data, length, kind, enqueuedNanos, id);
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
