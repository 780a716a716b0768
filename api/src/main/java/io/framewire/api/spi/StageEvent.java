package io.framewire.api.spi;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stage-load announcement to every peer: started, progress, loaded, cancelled or failed.
 *
 * @param kind     what happened
 * @param uri      the stage's URI
 * @param progress 0.0 to 1.0 for {@link Kind#PROGRESS}, otherwise 0
 * @param detail   a short note for {@link Kind#PROGRESS}, the error for {@link Kind#FAILED}; may be null
 * @param millis   how long the load took, for {@link Kind#LOADED}; otherwise 0
 */
public record StageEvent(Kind kind, URI uri, double progress, String detail, long millis) implements OutgoingMessage {

    /** The announcements, with the message type each has on the wire. */
    public enum Kind {
        /** The load started: the last good frame is repeated until it ends. */
        STARTED("stage.started"),
        /** The loader reported progress. */
        PROGRESS("stage.progress"),
        /** The new stage is in place. */
        LOADED("stage.loaded"),
        /** A newer request cancelled this one. */
        CANCELLED("stage.cancelled"),
        /** The load failed; the previous stage stays. */
        FAILED("stage.failed");

        private final String type;

        Kind(String type) {
            this.type = type;
        }

        /** @return the message type on the wire, e.g. {@code stage.progress} */
        public String type() {
            return type;
        }
    }

    /** @throws IllegalArgumentException when kind or uri is null */
    public StageEvent {
        if (kind == null || uri == null) {
            throw new IllegalArgumentException("kind=" + kind + ", uri=" + uri + ": a stage event needs both");
        }
        progress = Math.max(0.0, Math.min(1.0, progress));
    }

    /** @return a {@link Kind#STARTED} event */
    public static StageEvent started(URI uri) {
        return new StageEvent(Kind.STARTED, uri, 0, null, 0);
    }

    /** @return a {@link Kind#PROGRESS} event; {@code fraction} is clamped to 0..1 */
    public static StageEvent progress(URI uri, double fraction, String detail) {
        return new StageEvent(Kind.PROGRESS, uri, fraction, detail, 0);
    }

    /** @return a {@link Kind#LOADED} event */
    public static StageEvent loaded(URI uri, long millis) {
        return new StageEvent(Kind.LOADED, uri, 0, null, millis);
    }

    /** @return a {@link Kind#CANCELLED} event */
    public static StageEvent cancelled(URI uri) {
        return new StageEvent(Kind.CANCELLED, uri, 0, null, 0);
    }

    /** @return a {@link Kind#FAILED} event */
    public static StageEvent failed(URI uri, String error) {
        return new StageEvent(Kind.FAILED, uri, 0, error, 0);
    }

    /**
     * @return the fields of the announcement as the signaling protocol sends them: {@code type},
     *         {@code uri}, and {@code progress}/{@code detail}, {@code millis} or {@code error}
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", kind.type());
        m.put("uri", uri.toString());
        switch (kind) {
            case PROGRESS:
                m.put("progress", progress);
                if (detail != null) {
                    m.put("detail", detail);
                }
                break;
            case LOADED:
                m.put("millis", millis);
                break;
            case FAILED:
                m.put("error", detail == null ? "failed" : detail);
                break;
            default:
                break;
        }
        return m;
    }
}
