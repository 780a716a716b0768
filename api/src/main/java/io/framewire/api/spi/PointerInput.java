package io.framewire.api.spi;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A pointer event in stream pixels (the transport undid the page's letterboxing).
 *
 * @param kind    down, up, move or wheel
 * @param button  the DOM button number (0 main, 1 middle, 2 secondary)
 * @param buttons the DOM bit mask of pressed buttons
 * @param x       stream x, 0..width-1
 * @param y       stream y, 0..height-1
 * @param dx      horizontal wheel delta in pixels (0 unless wheel)
 * @param dy      vertical wheel delta in pixels (0 unless wheel)
 */
public record PointerInput(Kind kind, int button, int buttons, int x, int y, double dx, double dy) implements InputEvent {

    /** The pointer event kinds. */
    public enum Kind { DOWN, UP, MOVE, WHEEL }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "input.pointer");
        m.put("kind", kind.name().toLowerCase(Locale.ROOT));
        m.put("button", button);
        m.put("buttons", buttons);
        m.put("x", x);
        m.put("y", y);
        if (kind == Kind.WHEEL) {
            m.put("dx", dx);
            m.put("dy", dy);
        }
        return m;
    }
}
