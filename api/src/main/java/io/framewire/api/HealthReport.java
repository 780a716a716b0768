package io.framewire.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the server's health, for readiness and liveness checks ({@code /health}).
 *
 * @param state               the readiness state
 * @param frameAgeMillis      milliseconds since the last frame was sent to the transport, -1 before the first
 * @param stageLoading        the URI of the stage being loaded, or null
 * @param counters            what the runtime counted since the session started
 * @param freshFrameAgeMillis milliseconds since the producer last answered: a new picture from
 *                            {@code streamVideo()}, or the active source's render call returning (a
 *                            source that has nothing new is alive); -1 before the first
 * @param maxFrameAgeMillis   the age above which the stream counts as {@link State#STALLED}; 0 = never
 * @param plugins             the plugins in use now
 * @param problems            what is selected but cannot be used, one sentence each (a plugin that
 *                            is not installed, a transport waiting for an encoder); empty when none
 * @since 2.2
 */
public record HealthReport(State state, long frameAgeMillis, String stageLoading, Counters counters,
                           long freshFrameAgeMillis, long maxFrameAgeMillis, ActivePlugins plugins,
                           List<String> problems) {

    /** Copies the problem list so the record stays immutable. */
    public HealthReport {
        problems = problems == null ? List.of() : List.copyOf(problems);
        plugins = plugins == null ? ActivePlugins.NONE : plugins;
    }

    /**
     * A report without plugin facts or a freshness limit (for transports' tests and embedders).
     *
     * @param state          the readiness state
     * @param frameAgeMillis milliseconds since the last frame was sent, -1 before the first
     * @param stageLoading   the URI of the stage being loaded, or null
     * @param counters       the runtime's counters
     */
    public HealthReport(State state, long frameAgeMillis, String stageLoading, Counters counters) {
        this(state, frameAgeMillis, stageLoading, counters, frameAgeMillis, 0, ActivePlugins.NONE, List.of());
    }

    /** Readiness states, in the words of Felix Health Checks. */
    public enum State {
        /** Started; no valid frame yet (the loading frame is being sent). */
        STARTING,
        /** The first valid frame was converted: browsers may connect. */
        READY,
        /** A stage load is running: the last good frame is repeated. */
        TEMPORARILY_UNAVAILABLE,
        /**
         * Had frames, but for longer than the session's maximum frame age no frame was sent or the
         * producer delivered nothing (a stalled producer, no encoder): peers see a still picture or
         * nothing. Not ready ({@code /health} answers 503). Not used while a stage load is announced.
         *
         * @since 2.2
         */
        STALLED,
        /** Closed. */
        STOPPED
    }

    /**
     * The plugins a session uses now, by {@code framewire.name}; null where none is in use.
     *
     * @param source    the active frame source ({@code "none"} when frames only come from {@code streamVideo()})
     * @param encoder   the encoder in use (the one {@code auto} chose, or a fallback)
     * @param transport the running transport
     * @since 2.2
     */
    public record ActivePlugins(String source, String encoder, String transport) {
        /** Nothing known. */
        public static final ActivePlugins NONE = new ActivePlugins(null, null, null);
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
        body.put("freshFrameAgeMillis", freshFrameAgeMillis);
        body.put("maxFrameAgeMillis", maxFrameAgeMillis);
        body.put("stageLoading", stageLoading);
        body.put("width", stream.width());
        body.put("height", stream.height());
        body.put("fps", stream.fps());
        body.put("codec", stream.codec().name());
        body.put("source", plugins.source());
        body.put("encoder", plugins.encoder());
        body.put("transport", plugins.transport());
        body.put("problems", problems);
        body.putAll(counters.toMap());
        return body;
    }

    /** @return true for READY and TEMPORARILY_UNAVAILABLE: the stream is alive and has had a real frame */
    public boolean ready() {
        return state == State.READY || state == State.TEMPORARILY_UNAVAILABLE;
    }
}
