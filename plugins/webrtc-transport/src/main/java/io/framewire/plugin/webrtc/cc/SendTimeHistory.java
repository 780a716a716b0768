package io.framewire.plugin.webrtc.cc;

import java.util.ArrayList;
import java.util.List;

/**
 * Remembers when each transport-wide sequence number was sent and how big it was, so that feedback
 * can be matched to packets. A ring of {@value #CAPACITY} entries bounds it: a packet falls out
 * after that many newer ones (about 13 s at 10 Mbit/s of 1200-byte packets); feedback for it, for a
 * sequence never sent, or repeating a packet already reported received is ignored.
 */
final class SendTimeHistory {

    /** Ring size; a power of two. */
    static final int CAPACITY = 1 << 14;

    /** Feedback state of an entry. */
    private static final byte UNREPORTED = 0;
    private static final byte REPORTED_LOST = 1;
    private static final byte RECEIVED = 2;

    private final long[] sequences = new long[CAPACITY];
    private final long[] sendTimes = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    private final int[] clusters = new int[CAPACITY];
    private final byte[] states = new byte[CAPACITY];
    private long highest = -1;

    /**
     * A packet of a feedback message, matched to its send record.
     *
     * @param sequence       unwrapped 64-bit transport sequence
     * @param sendTimeMicros send time on the sender's clock
     * @param sizeBytes      bytes on the wire
     * @param arrivalMicros  arrival time on the receiver's clock, -1 if reported lost
     * @param firstReport    true the first time this packet appears in feedback (for loss counting)
     * @param probeCluster   the probe cluster it was sent in, 0 for none
     */
    record Result(long sequence, long sendTimeMicros, int sizeBytes, long arrivalMicros, boolean firstReport,
                  int probeCluster) {
        boolean received() {
            return arrivalMicros >= 0;
        }
    }

    SendTimeHistory() {
        java.util.Arrays.fill(sequences, -1);
    }

    /**
     * Records a sent packet; {@code sequence16} is the 16-bit transport-wide sequence number,
     * {@code probeCluster} the probe cluster it belongs to (0 for none).
     */
    void onSent(int sequence16, int sizeBytes, long sendTimeMicros, int probeCluster) {
        long sequence = unwrap(sequence16);
        int i = (int) (sequence & (CAPACITY - 1));
        sequences[i] = sequence;
        sendTimes[i] = sendTimeMicros;
        sizes[i] = sizeBytes;
        clusters[i] = probeCluster;
        states[i] = UNREPORTED;
        highest = Math.max(highest, sequence);
    }

    /** Matches the statuses of {@code feedback} to sent packets, in feedback order. */
    List<Result> onFeedback(TransportFeedback feedback) {
        List<Result> out = new ArrayList<>(feedback.packets().size());
        if (highest < 0) {
            return out;
        }
        for (TransportFeedback.PacketStatus status : feedback.packets()) {
            long sequence = unwrap(status.sequence());
            int i = (int) (sequence & (CAPACITY - 1));
            if (sequence > highest || sequences[i] != sequence || states[i] == RECEIVED) {
                continue; // never sent, fell out of the ring, or a duplicate report
            }
            boolean first = states[i] == UNREPORTED;
            if (status.received()) {
                states[i] = RECEIVED;
                out.add(new Result(sequence, sendTimes[i], sizes[i], status.arrivalMicros(), first, clusters[i]));
            } else if (first) {
                states[i] = REPORTED_LOST;
                out.add(new Result(sequence, sendTimes[i], sizes[i], -1, true, clusters[i]));
            }
        }
        return out;
    }

    /** The 64-bit sequence closest to the highest sent one that has these low 16 bits. */
    private long unwrap(int sequence16) {
        if (highest < 0) {
            return sequence16 & 0xFFFF;
        }
        long candidate = (highest & ~0xFFFFL) | (sequence16 & 0xFFFF);
        if (candidate - highest > 0x8000) {
            candidate -= 0x10000;
        } else if (highest - candidate > 0x8000) {
            candidate += 0x10000;
        }
        return candidate < 0 ? candidate + 0x10000 : candidate;
    }
}
