package io.framewire.plugin.webrtc.signaling;

import java.util.List;
import java.util.Map;

/**
 * A keyboard event from the browser ({@code KeyboardEvent} fields).
 *
 * @param kind   down or up
 * @param key    {@code KeyboardEvent.key}: the produced value ("a", "A", "Enter", "ArrowLeft")
 * @param code   {@code KeyboardEvent.code}: the physical key ("KeyA", "Enter", "ArrowLeft")
 * @param shift  Shift held
 * @param ctrl   Control held
 * @param alt    Alt held
 * @param meta   Meta (Command/Windows) held
 * @param repeat an auto-repeat keydown
 */
public record KeyEvent(Kind kind, String key, String code, boolean shift, boolean ctrl, boolean alt,
                       boolean meta, boolean repeat) {

    /** The key event kinds, as on the wire in lower case. */
    public enum Kind { DOWN, UP }

    private static final List<String> KINDS = List.of("down", "up");
    private static final int MAX_CHARS = 64;

    static KeyEvent from(Map<String, Object> m) throws SignalingProtocol.InvalidMessage {
        String t = SignalingProtocol.KEY;
        String kind = SignalingProtocol.requireEnum(m, t, "kind", KINDS);
        String key = SignalingProtocol.requireString(m, t, "key", false);
        String code = SignalingProtocol.requireString(m, t, "code", true);
        if (key.length() > MAX_CHARS) {
            throw new SignalingProtocol.InvalidMessage("key: field 'key' is too long (" + key.length() + " > " + MAX_CHARS + ")");
        }
        if (code.length() > MAX_CHARS) {
            throw new SignalingProtocol.InvalidMessage("key: field 'code' is too long (" + code.length() + " > " + MAX_CHARS + ")");
        }
        return new KeyEvent(Kind.values()[KINDS.indexOf(kind)], key, code,
                SignalingProtocol.optionalBoolean(m, t, "shift"), SignalingProtocol.optionalBoolean(m, t, "ctrl"),
                SignalingProtocol.optionalBoolean(m, t, "alt"), SignalingProtocol.optionalBoolean(m, t, "meta"),
                SignalingProtocol.optionalBoolean(m, t, "repeat"));
    }
}
