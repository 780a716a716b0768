package io.framewire.plugin.webrtc.cc;

/**
 * Groups packets and measures how the spacing of groups changed on the way (libwebrtc's
 * {@code InterArrivalDelta}). A group is the packets sent within {@value #GROUP_MICROS} µs of its
 * first one (a paced frame, typically); packets that arrive in a burst right after the group's last
 * one (less than 5 ms apart and ahead of their send spacing, within 100 ms of the group's first
 * arrival) also join it, since a burst says nothing about queueing. For two complete, consecutive
 * groups it reports the send-time delta (between their last send times) and the arrival-time delta
 * (between their last arrivals).
 *
 * <p>A packet sent before the current group began (reordered) is ignored. When arrival deltas are
 * negative {@value #REORDER_RESET} groups in a row, or the arrival clock jumps
 * {@value #ARRIVAL_JUMP_MICROS} µs further than the feedback clock, the grouping starts over
 * ({@link #wasReset()}), so the trend does not learn from a receiver clock reset.
 */
final class InterArrival {

    static final long GROUP_MICROS = 5_000;
    static final long BURST_MICROS = 5_000;
    static final long MAX_BURST_MICROS = 100_000;
    static final long ARRIVAL_JUMP_MICROS = 3_000_000;
    static final int REORDER_RESET = 3;

    /** Deltas between the last two complete groups in µs, and the later group's last arrival. */
    record Deltas(long sendDeltaMicros, long arrivalDeltaMicros, long arrivalMicros) {
    }

    private static final class Group {
        long firstSend = Long.MIN_VALUE;
        long lastSend;
        long firstArrival;
        long lastArrival;
        long lastSystem;

        boolean started() {
            return firstSend != Long.MIN_VALUE;
        }

        void start(long send, long arrival) {
            firstSend = send;
            lastSend = send;
            firstArrival = arrival;
        }
    }

    private Group current = new Group();
    private Group previous = new Group();
    private int reordered;
    private boolean reset;

    /**
     * Adds a received packet, in arrival order.
     *
     * @param sendMicros    send time, sender's clock
     * @param arrivalMicros arrival time, receiver's clock
     * @param systemMicros  when the feedback arrived, sender's clock (to spot receiver clock jumps)
     * @return the deltas when this packet completed a group, else null
     */
    Deltas add(long sendMicros, long arrivalMicros, long systemMicros) {
        reset = false;
        Deltas deltas = null;
        if (!current.started()) {
            current.start(sendMicros, arrivalMicros);
        } else if (sendMicros < current.firstSend) {
            return null; // reordered from an earlier group
        } else if (startsNewGroup(sendMicros, arrivalMicros)) {
            if (previous.started()) {
                deltas = deltas(sendMicros, arrivalMicros);
            }
            if (!reset) { // (a reset already started a fresh group with this packet)
                Group spare = previous;
                previous = current;
                current = spare;
                current.start(sendMicros, arrivalMicros);
            }
        } else {
            current.lastSend = Math.max(current.lastSend, sendMicros);
        }
        current.lastArrival = arrivalMicros;
        current.lastSystem = systemMicros;
        return deltas;
    }

    /** @return true if the last {@link #add} started over (clock jump or persistent reordering) */
    boolean wasReset() {
        return reset;
    }

    private Deltas deltas(long sendMicros, long arrivalMicros) {
        long sendDelta = current.lastSend - previous.lastSend;
        long arrivalDelta = current.lastArrival - previous.lastArrival;
        long systemDelta = current.lastSystem - previous.lastSystem;
        if (arrivalDelta - systemDelta >= ARRIVAL_JUMP_MICROS) {
            startOver(sendMicros, arrivalMicros);
            return null;
        }
        if (arrivalDelta < 0) {
            // groups arriving out of order: skip, and start over if the receiver clock went back
            if (++reordered >= REORDER_RESET) {
                startOver(sendMicros, arrivalMicros);
            }
            return null;
        }
        reordered = 0;
        return new Deltas(sendDelta, arrivalDelta, current.lastArrival);
    }

    private void startOver(long sendMicros, long arrivalMicros) {
        reset = true;
        reordered = 0;
        previous = new Group();
        current = new Group();
        current.start(sendMicros, arrivalMicros);
    }

    private boolean startsNewGroup(long sendMicros, long arrivalMicros) {
        if (belongsToBurst(sendMicros, arrivalMicros)) {
            return false;
        }
        return sendMicros - current.firstSend > GROUP_MICROS;
    }

    private boolean belongsToBurst(long sendMicros, long arrivalMicros) {
        long arrivalDelta = arrivalMicros - current.lastArrival;
        long sendDelta = sendMicros - current.lastSend;
        if (sendDelta == 0) {
            return true;
        }
        long propagationDelta = arrivalDelta - sendDelta;
        return propagationDelta < 0 && arrivalDelta <= BURST_MICROS
                && arrivalMicros - current.firstArrival < MAX_BURST_MICROS;
    }
}
