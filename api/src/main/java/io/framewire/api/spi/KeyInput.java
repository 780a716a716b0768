package io.framewire.api.spi;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A keyboard event ({@code KeyboardEvent} fields).
 *
 * @param kind   down or up
 * @param key    {@code KeyboardEvent.key}: the produced value ("a", "Enter")
 * @param code   {@code KeyboardEvent.code}: the physical key ("KeyA", "Enter")
 * @param shift  Shift held
 * @param ctrl   Control held
 * @param alt    Alt held
 * @param meta   Meta held
 * @param repeat an auto-repeat keydown
 */
public record KeyInput(Kind kind, String key, String code, boolean shift, boolean ctrl, boolean alt, boolean meta,
                       boolean repeat) implements InputEvent {

    /** The key event kinds. */
    public enum Kind { DOWN, UP }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "input.key");
        m.put("kind", kind.name().toLowerCase(Locale.ROOT));
        m.put("key", key);
        m.put("code", code);
        m.put("shift", shift);
        m.put("ctrl", ctrl);
        m.put("alt", alt);
        m.put("meta", meta);
        m.put("repeat", repeat);
        return m;
    }
}
