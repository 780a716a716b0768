package io.framewire.plugin.webrtc.signaling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.Defaults;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.ErrorMessage;
import io.framewire.api.spi.KeyInput;
import io.framewire.api.spi.LogText;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.StageEvent;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Framewire signaling protocol: JSON text frames over the WebSocket at {@code /signal}.
 *
 * <h2>Transport rules</h2>
 * <ul>
 *   <li>Connect to {@code ws(s)://HOST:PORT/signal?token=ACCESS_TOKEN}. A missing or wrong token,
 *       or an {@code Origin} that is neither same-origin (matches {@code Host}) nor in the configured
 *       allow-list, is refused with HTTP 403 before the upgrade (see {@link SignalingConfig}).</li>
 *   <li>Every frame is one JSON object in a <em>text</em> frame with a string field {@code type}.
 *       Binary frames are refused: the connection is closed with 1003 (unsupported data).</li>
 *   <li>A text message larger than {@value #MAX_TEXT_MESSAGE_BYTES} bytes closes the connection with
 *       1009 (message too big).</li>
 *   <li>Rate limit per connection: a token bucket, by default 200 messages/s with a burst of 400.
 *       A message over the limit is dropped and answered (at most once per second) with
 *       {@code {"type":"error","error":"rate limit exceeded: ..."}}; if more messages are dropped
 *       within one second than the per-second rate, the connection is closed with 1008 (policy).</li>
 *   <li>Malformed JSON, a non-object root, an unknown {@code type}, or a missing/ill-typed field is
 *       answered with {@code {"type":"error","error":"<text naming the field and value>"}} and the
 *       connection <em>stays open</em>. Unknown extra fields are ignored (forward compatibility).</li>
 * </ul>
 *
 * <h2>Client → server</h2>
 * <dl>
 *   <dt>{@code {"type":"offer","sdp":"v=0..."}}</dt>
 *   <dd>The browser's SDP offer (a recvonly video transceiver). {@code sdp}: non-empty string.
 *       The server replies with {@code answer}, or {@code error} when the application rejects it.</dd>
 *   <dt>{@code {"type":"candidate","candidate":"candidate:...","sdpMid":"0","sdpMLineIndex":0}}</dt>
 *   <dd>A trickled ICE candidate. {@code candidate}: string, {@code ""} means end-of-candidates;
 *       {@code sdpMid}: string or null/absent; {@code sdpMLineIndex}: integer ≥ 0 or null/absent.
 *       The server is ICE-lite and may ignore remote candidates, but accepts them.</dd>
 *   <dt>{@code {"type":"app","data":{...}}}</dt>
 *   <dd>An application message; {@code data} must be a JSON object and is handed to the
 *       application as an {@link AppMessage} (the object's JSON text).</dd>
 *   <dt>{@code {"type":"pointer","kind":"down|up|move|wheel","button":0,"x":10.5,"y":20,
 *       "elementWidth":1280,"elementHeight":720,"dx":0,"dy":-120}}</dt>
 *   <dd>A pointer event relative to the video element's top-left corner, in CSS pixels.
 *       {@code kind}, {@code x}, {@code y}, {@code elementWidth} (&gt; 0), {@code elementHeight}
 *       (&gt; 0) are required; {@code button} (integer, default 0; DOM numbering 0 = main,
 *       1 = middle, 2 = secondary) and {@code buttons} (bit mask, default 0) are optional;
 *       {@code dx}/{@code dy} (wheel deltas in pixels) are required for {@code wheel}, default 0
 *       otherwise. The client does <em>not</em> map to stream pixels: the transport does, with
 *       {@link io.framewire.plugin.webrtc.input.LetterboxMapper} (the element shows the video with
 *       {@code object-fit: contain}).</dd>
 *   <dt>{@code {"type":"key","kind":"down|up","key":"a","code":"KeyA","shift":false,"ctrl":false,
 *       "alt":false,"meta":false,"repeat":false}}</dt>
 *   <dd>A keyboard event ({@code KeyboardEvent.key}/{@code .code}). {@code kind}, {@code key},
 *       {@code code} are required strings; the modifier booleans and {@code repeat} are optional
 *       (default false); {@code key} and {@code code} are at most 64 characters. Parsed into a
 *       {@link KeyInput}.</dd>
 *   <dt>{@code {"type":"stage.load","uri":"scene:demo?delayMillis=10000"}}</dt>
 *   <dd>Asks the server to load a stage. {@code uri}: non-empty string of at most 4096 characters
 *       that parses as a {@link java.net.URI}. Progress comes back as {@code stage.*} messages.</dd>
 *   <dt>{@code {"type":"ping","t":1234.5}}</dt>
 *   <dd>Keep-alive / latency probe; {@code t} (required, a number) is echoed in the {@code pong}.
 *       Answered directly by the signaling server, never queued behind the application.</dd>
 * </dl>
 *
 * <h2>Server → client</h2>
 * <dl>
 *   <dt>{@code {"type":"hello","peerId":"p-...","width":1920,"height":1080,"fps":60,"codec":"H264",
 *       "iceServers":[...]}}</dt>
 *   <dd>Sent first, right after the WebSocket opens. {@code peerId} is generated by the server;
 *       the other fields come from {@link SignalingConfig.Builder#helloFields} ({@code iceServers}
 *       optional, in {@code RTCConfiguration.iceServers} form).</dd>
 *   <dt>{@code {"type":"answer","sdp":"v=0..."}}</dt><dd>The SDP answer to the offer.</dd>
 *   <dt>{@code {"type":"candidate","candidate":"candidate:...","sdpMid":"0","sdpMLineIndex":0}}</dt>
 *   <dd>A server ICE candidate (usually they are all in the answer already).</dd>
 *   <dt>{@code {"type":"app","data":{...}}}</dt><dd>An application message ({@link AppMessage}).</dd>
 *   <dt>{@code {"type":"error","error":"..."}}</dt><dd>A problem with the previous request
 *       ({@link ErrorMessage}, or the signaling server's own checks).</dd>
 *   <dt>{@code {"type":"pong","t":1234.5}}</dt><dd>The answer to {@code ping}.</dd>
 *   <dt>{@code {"type":"network","estimateKbps":2650,"sendKbps":2410,"encoderKbps":2500,
 *       "pacerQueueMs":4,"lossPercent":1.2,"rttMs":41}}</dt>
 *   <dd>Once a second while media flows: the server's view of this viewer's path, for the web
 *       client's overlay: congestion control's estimate, what was sent to it (retransmissions
 *       included), the bitrate the transport asked of the encoder (the encoder stays at or below its
 *       configured bitrate), the wait of the oldest packet in its pacer queue, the
 *       loss and round trip of its last receiver report; a field is left out while unknown (the
 *       estimate and queue without congestion control).</dd>
 *   <dt>{@code {"type":"stage.started|stage.progress|stage.loaded|stage.failed|stage.cancelled",
 *       "uri":"...", ...}}</dt>
 *   <dd>Stage-load announcements: the fields of {@link StageEvent#toMap()} ({@code progress} 0..1
 *       and {@code detail} on {@code stage.progress}; {@code error} on {@code stage.failed};
 *       {@code millis} on {@code stage.loaded}).</dd>
 * </dl>
 *
 * <p>This class is the protocol's one edge: it parses a client message once into typed values
 * ({@link #parse}) and writes the wire form of server messages ({@link #toWire} and the builders).
 * All methods are thread-safe.
 */
public final class SignalingProtocol {
    /** Largest accepted client text message, in bytes (UTF-8). */
    public static final int MAX_TEXT_MESSAGE_BYTES = Defaults.MAX_MESSAGE_BYTES;
    /** Longest accepted {@code key}/{@code code} of a key event, in characters. */
    public static final int MAX_KEY_CHARS = 64;
    /** Longest accepted {@code stage.load} URI, in characters. */
    public static final int MAX_URI_CHARS = 4096;

    /** Client message types. */
    public static final String OFFER = "offer";
    public static final String CANDIDATE = "candidate";
    public static final String APP = "app";
    public static final String POINTER = "pointer";
    public static final String KEY = "key";
    public static final String STAGE_LOAD = "stage.load";
    public static final String PING = "ping";
    /** Server message types. */
    public static final String ANSWER = "answer";
    public static final String ERROR = "error";
    public static final String PONG = "pong";
    public static final String HELLO = "hello";
    public static final String NETWORK = "network";

    /** Every client→server type, for error messages. */
    static final List<String> CLIENT_TYPES = List.of(OFFER, CANDIDATE, APP, POINTER, KEY, STAGE_LOAD, PING);

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JSON JSON_R = JSON.std.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);

    private SignalingProtocol() {
    }

    // ------------------------------------------------------------------ server → client builders

    /** @return {@code {"type":"answer","sdp":sdp}} */
    public static String answer(String sdp) {
        return write(ordered("type", ANSWER, "sdp", requireNonNull(sdp, "sdp")));
    }

    /** @return {@code {"type":"candidate",...}}; sdpMid and sdpMLineIndex may be null */
    public static String candidate(String candidate, String sdpMid, Integer sdpMLineIndex) {
        return write(ordered("type", CANDIDATE, "candidate", requireNonNull(candidate, "candidate"),
                "sdpMid", sdpMid, "sdpMLineIndex", sdpMLineIndex));
    }

    /** @return {@code {"type":"error","error":text}} */
    public static String error(String text) {
        return write(ordered("type", ERROR, "error", text == null ? "error" : text));
    }

    /**
     * @param fields the figures by name (see the class comment); null values are left out
     * @return {@code {"type":"network",...}}
     */
    public static String network(Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", NETWORK);
        fields.forEach((k, v) -> {
            if (v != null && !"type".equals(k)) {
                m.put(k, v);
            }
        });
        return write(m);
    }

    /** @return {@code {"type":"pong","t":t}} */
    public static String pong(Object t) {
        return write(ordered("type", PONG, "t", t));
    }

    /**
     * @param peerId the peer's id
     * @param fields extra fields ({@code width}, {@code height}, {@code fps}, {@code codec},
     *               {@code iceServers}, ...); may be null. {@code type} and {@code peerId} win.
     * @return the {@code hello} message
     */
    public static String hello(String peerId, Map<String, ?> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", HELLO);
        m.put("peerId", peerId);
        if (fields != null) {
            fields.forEach((k, v) -> {
                if (!"type".equals(k) && !"peerId".equals(k)) {
                    m.put(k, v);
                }
            });
        }
        return write(m);
    }

    /**
     * Writes a runtime message in its wire form: an {@link AppMessage} as
     * {@code {"type":"app","data":<object>}}, a {@link StageEvent} as its {@link StageEvent#toMap()},
     * an {@link ErrorMessage} as {@code {"type":"error","error":text}}.
     *
     * @throws IllegalArgumentException when an app message's text is not one JSON object (the
     *         caller drops it), or when {@code message} is null
     */
    public static String toWire(OutgoingMessage message) {
        if (message instanceof AppMessage app) {
            Map<String, Object> data;
            try {
                data = parseObject(app.json());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("app message is not a JSON object: " + e.getMessage(), e);
            }
            return write(ordered("type", APP, "data", data));
        }
        if (message instanceof StageEvent stage) {
            return write(stage.toMap());
        }
        if (message instanceof ErrorMessage error) {
            return error(error.text());
        }
        throw new IllegalArgumentException("message=" + message + ": not an app, stage or error message");
    }

    // ------------------------------------------------------------------ parsing

    /**
     * A parsed, validated client message: one record per client type, so a message is parsed once,
     * here, and read as typed fields afterwards.
     */
    sealed interface ClientMessage permits Offer, Candidate, App, Pointer, Key, StageLoad, Ping {
        /** @return the wire type, e.g. {@code offer} */
        String type();
    }

    /** {@code offer}: the browser's SDP. */
    record Offer(String sdp) implements ClientMessage {
        @Override
        public String type() { return OFFER; }
    }

    /** {@code candidate}: a trickled ICE candidate; sdpMid and sdpMLineIndex may be null. */
    record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex) implements ClientMessage {
        @Override
        public String type() { return CANDIDATE; }
    }

    /** {@code app}: the {@code data} object. */
    record App(AppMessage message) implements ClientMessage {
        @Override
        public String type() { return APP; }
    }

    /** {@code pointer}: element coordinates, mapped to stream pixels by the transport. */
    record Pointer(PointerEvent event) implements ClientMessage {
        @Override
        public String type() { return POINTER; }
    }

    /** {@code key}: a keyboard event. */
    record Key(KeyInput event) implements ClientMessage {
        @Override
        public String type() { return KEY; }
    }

    /** {@code stage.load}: the stage's URI. */
    record StageLoad(URI uri) implements ClientMessage {
        @Override
        public String type() { return STAGE_LOAD; }
    }

    /** {@code ping}: the value to echo. */
    record Ping(Object t) implements ClientMessage {
        @Override
        public String type() { return PING; }
    }

    /** A client message that is not valid; the text is sent back in an {@code error} message. */
    static final class InvalidMessage extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidMessage(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses and validates one client message (type and required fields) into its typed form.
     *
     * @throws InvalidMessage with a text naming the field and value
     */
    static ClientMessage parse(String text) throws InvalidMessage {
        Map<String, Object> m;
        try {
            m = parseObject(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessage(e.getMessage());
        }
        Object typeValue = m.get("type");
        if (typeValue == null) {
            throw new InvalidMessage("missing field 'type' (one of " + CLIENT_TYPES + ")");
        }
        if (!(typeValue instanceof String)) {
            throw new InvalidMessage("field 'type' must be a string, got " + describe(typeValue));
        }
        String type = (String) typeValue;
        switch (type) {
            case OFFER:
                return new Offer(requireString(m, type, "sdp", false));
            case CANDIDATE:
                return new Candidate(requireString(m, type, "candidate", true), optionalString(m, type, "sdpMid"),
                        optionalInt(m, type, "sdpMLineIndex", 0, 1024));
            case APP:
                if (!m.containsKey("data")) {
                    throw new InvalidMessage("app: missing field 'data' (a JSON object)");
                }
                if (!(m.get("data") instanceof Map)) {
                    throw new InvalidMessage("app: field 'data' must be a JSON object, got " + describe(m.get("data")));
                }
                return new App(new AppMessage(write(m.get("data"))));
            case POINTER:
                return new Pointer(PointerEvent.from(m));
            case KEY:
                return new Key(keyInput(m));
            case STAGE_LOAD: {
                String uri = requireString(m, type, "uri", false);
                if (uri.length() > MAX_URI_CHARS) {
                    throw new InvalidMessage("stage.load: field 'uri' is too long (" + uri.length() + " > " + MAX_URI_CHARS + " characters)");
                }
                try {
                    return new StageLoad(new URI(uri));
                } catch (URISyntaxException e) {
                    throw new InvalidMessage("stage.load: field 'uri' is not a valid URI: " + abbreviate(uri) + " (" + e.getReason() + ")");
                }
            }
            case PING:
                if (!m.containsKey("t")) {
                    throw new InvalidMessage("ping: missing field 't' (a number)");
                }
                if (!(m.get("t") instanceof Number)) {
                    throw new InvalidMessage("ping: field 't' must be a number, got " + describe(m.get("t")));
                }
                return new Ping(m.get("t"));
            default:
                throw new InvalidMessage("unknown type '" + abbreviate(type) + "' (expected one of " + CLIENT_TYPES + ")");
        }
    }

    private static final List<String> KEY_KINDS = List.of("down", "up");

    private static KeyInput keyInput(Map<String, Object> m) throws InvalidMessage {
        String kind = requireEnum(m, KEY, "kind", KEY_KINDS);
        String key = requireString(m, KEY, "key", false);
        String code = requireString(m, KEY, "code", true);
        if (key.length() > MAX_KEY_CHARS) {
            throw new InvalidMessage("key: field 'key' is too long (" + key.length() + " > " + MAX_KEY_CHARS + ")");
        }
        if (code.length() > MAX_KEY_CHARS) {
            throw new InvalidMessage("key: field 'code' is too long (" + code.length() + " > " + MAX_KEY_CHARS + ")");
        }
        return new KeyInput(KeyInput.Kind.values()[KEY_KINDS.indexOf(kind)], key, code,
                optionalBoolean(m, KEY, "shift"), optionalBoolean(m, KEY, "ctrl"),
                optionalBoolean(m, KEY, "alt"), optionalBoolean(m, KEY, "meta"), optionalBoolean(m, KEY, "repeat"));
    }

    // ------------------------------------------------------------------ field helpers (package)

    static String requireString(Map<String, Object> m, String type, String field, boolean emptyAllowed) throws InvalidMessage {
        if (!m.containsKey(field) || m.get(field) == null) {
            throw new InvalidMessage(type + ": missing field '" + field + "' (a string)");
        }
        Object v = m.get(field);
        if (!(v instanceof String)) {
            throw new InvalidMessage(type + ": field '" + field + "' must be a string, got " + describe(v));
        }
        if (!emptyAllowed && ((String) v).isEmpty()) {
            throw new InvalidMessage(type + ": field '" + field + "' must not be empty");
        }
        return (String) v;
    }

    static String optionalString(Map<String, Object> m, String type, String field) throws InvalidMessage {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String)) {
            throw new InvalidMessage(type + ": field '" + field + "' must be a string or null, got " + describe(v));
        }
        return (String) v;
    }

    static Integer optionalInt(Map<String, Object> m, String type, String field, int min, int max) throws InvalidMessage {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number) || !isIntegral((Number) v)) {
            throw new InvalidMessage(type + ": field '" + field + "' must be an integer, got " + describe(v));
        }
        long l = ((Number) v).longValue();
        if (l < min || l > max) {
            throw new InvalidMessage(type + ": field '" + field + "' must be in [" + min + ", " + max + "], got " + l);
        }
        return (int) l;
    }

    static double requireNumber(Map<String, Object> m, String type, String field) throws InvalidMessage {
        if (!m.containsKey(field) || m.get(field) == null) {
            throw new InvalidMessage(type + ": missing field '" + field + "' (a number)");
        }
        return number(m, type, field);
    }

    static double optionalNumber(Map<String, Object> m, String type, String field, double dflt) throws InvalidMessage {
        return m.get(field) == null ? dflt : number(m, type, field);
    }

    private static double number(Map<String, Object> m, String type, String field) throws InvalidMessage {
        Object v = m.get(field);
        if (!(v instanceof Number)) {
            throw new InvalidMessage(type + ": field '" + field + "' must be a number, got " + describe(v));
        }
        double d = ((Number) v).doubleValue();
        if (!Double.isFinite(d)) {
            throw new InvalidMessage(type + ": field '" + field + "' must be finite, got " + v);
        }
        return d;
    }

    static boolean optionalBoolean(Map<String, Object> m, String type, String field) throws InvalidMessage {
        Object v = m.get(field);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean)) {
            throw new InvalidMessage(type + ": field '" + field + "' must be true or false, got " + describe(v));
        }
        return (Boolean) v;
    }

    static String requireEnum(Map<String, Object> m, String type, String field, List<String> allowed) throws InvalidMessage {
        String v = requireString(m, type, field, false);
        if (!allowed.contains(v)) {
            throw new InvalidMessage(type + ": field '" + field + "' must be one of " + allowed + ", got '" + abbreviate(v) + "'");
        }
        return v;
    }

    private static boolean isIntegral(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) && d == Math.rint(d);
        }
        return !(n instanceof java.math.BigDecimal) || ((java.math.BigDecimal) n).stripTrailingZeros().scale() <= 0;
    }

    /** A short description of a JSON value for error texts (type and abbreviated value). */
    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "string \"" + abbreviate((String) v) + "\"";
        }
        if (v instanceof Number) {
            return "number " + v;
        }
        if (v instanceof Boolean) {
            return "boolean " + v;
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List || v.getClass().isArray()) {
            return "an array";
        }
        return v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** How much of a peer's string an error text quotes. */
    static final int ABBREVIATE_CHARS = 64;

    /**
     * Makes a peer-supplied string short and printable for an error text: {@link LogText} with at
     * most {@value #ABBREVIATE_CHARS} chars kept.
     *
     * @param s the string; null gives "null"
     * @return the printable, abbreviated form
     */
    public static String abbreviate(String s) {
        return LogText.of(s, ABBREVIATE_CHARS);
    }

    /**
     * Parses one JSON object; trailing content and duplicate keys are errors.
     *
     * @throws IllegalArgumentException with a readable reason
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text) {
        if (text == null) {
            throw new IllegalArgumentException("malformed JSON: empty message");
        }
        Object value;
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException("malformed JSON: empty message");
            }
            value = JSON_R.anyFrom(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("malformed JSON: unexpected content after the JSON value at character "
                        + (p.currentLocation().getCharOffset()));
            }
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            int nl = msg.indexOf('\n');
            throw new IllegalArgumentException("malformed JSON: " + (nl > 0 ? msg.substring(0, nl) : msg));
        }
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("message must be a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    static String write(Object value) {
        try {
            return JSON.std.asString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static <T> T requireNonNull(T v, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return v;
    }
}
