package io.framewire.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of the server's health, for readiness and liveness checks ({@code /health}).
 *
 * @param state          the readiness state
 * @param frameAgeMillis milliseconds since the last frame was sent to the transport, -1 before the first
 * @param stageLoading   the URI of the stage being loaded, or null
 * @param counters       what the runtime counted since the session started
 */
public record HealthReport(State state, long frameAgeMillis, String stageLoading, Counters counters) {

    /** Readiness states, in the words of Felix Health Checks. */
    public enum State {
        /** Started; no valid frame yet (the loading frame is being sent). */
        STARTING,
        /** The first valid frame was converted: browsers may connect. */
        READY,
        /** A stage load is running: the last good frame is repeated. */
        TEMPORARILY_UNAVAILABLE,
        /** Closed. */
        STOPPED
    }

    /**
     * The runtime's counters since the session started.
     *
     * @param framesSent      frames handed to the transport (repeats included)
     * @param framesRepeated  frames that repeated the last good picture (loads, stalls, no new frame)
     * @param framesRefused   frames refused by the session rules or an importer (bad size, kind, struct)
     * @param sourceErrors    ticks on which the frame source threw
     * @param stalledTicks    ticks the guard sent because the source had not returned in time
     * @param lockBusyTicks   ticks that skipped the source because a stage load held the stage lock
     * @param encodeErrors    ticks whose encode or send failed
     * @param skippedTicks    ticks the pacer skipped because it ran late
     * @param droppedMessages peer messages dropped because the message queue was full
     */
    public record Counters(long framesSent, long framesRepeated, long framesRefused, long sourceErrors,
                           long stalledTicks, long lockBusyTicks, long encodeErrors, long skippedTicks,
                           long droppedMessages) {
        /** No counts yet. */
        public static final Counters NONE = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** @return the counters by name, in declaration order */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("framesSent", framesSent);
            m.put("framesRepeated", framesRepeated);
            m.put("framesRefused", framesRefused);
            m.put("sourceErrors", sourceErrors);
            m.put("stalledTicks", stalledTicks);
            m.put("lockBusyTicks", lockBusyTicks);
            m.put("encodeErrors", encodeErrors);
            m.put("skippedTicks", skippedTicks);
            m.put("droppedMessages", droppedMessages);
            return m;
        }
    }

    /**
     * @param stream what the session streams (size, fps and codec are reported too)
     * @return the body of {@code GET /health}, field by field, in a stable order
     */
    public Map<String, Object> toMap(StreamDescription stream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", state.name());
        body.put("ready", ready());
        body.put("frameAgeMillis", frameAgeMillis);
        body.put("stageLoading", stageLoading);
        body.put("width", stream.width());
        body.put("height", stream.height());
        body.put("fps", stream.fps());
        body.put("codec", stream.codec().name());
        body.putAll(counters.toMap());
        return body;
    }

    /** @return true for READY and TEMPORARILY_UNAVAILABLE: the stream is alive and has had a real frame */
    public boolean ready() {
        return state == State.READY || state == State.TEMPORARILY_UNAVAILABLE;
    }
}
