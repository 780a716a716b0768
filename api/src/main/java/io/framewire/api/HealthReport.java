package io.framewire.api;

/**
 * A snapshot of the server's health, for readiness and liveness checks ({@code /health}).
 *
 * @param state            the readiness state
 * @param frameAgeMillis   milliseconds since the last frame was sent to the transport, -1 before the first
 * @param framesSent       frames sent since start (repeats included)
 * @param framesRepeated   frames that repeated the last good frame (loads, stalls, no new frame)
 * @param sourceErrors     frames the source threw on or that failed validation
 * @param stageLoading     the URI of the stage being loaded, or null
 */
public record HealthReport(State state, long frameAgeMillis, long framesSent, long framesRepeated,
                           long sourceErrors, String stageLoading) {

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
     * @param config the session's settings (size and fps are reported too)
     * @return the body of {@code GET /health}, field by field, in a stable order
     */
    public java.util.Map<String, Object> toMap(ServerConfig config) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("status", state.name());
        body.put("ready", ready());
        body.put("frameAgeMillis", frameAgeMillis);
        body.put("framesSent", framesSent);
        body.put("framesRepeated", framesRepeated);
        body.put("sourceErrors", sourceErrors);
        body.put("stageLoading", stageLoading);
        body.put("width", config.width());
        body.put("height", config.height());
        body.put("fps", config.fps());
        return body;
    }

    /** @return true for READY and TEMPORARILY_UNAVAILABLE: the stream is alive and has had a real frame */
    public boolean ready() {
        return state == State.READY || state == State.TEMPORARILY_UNAVAILABLE;
    }
}
