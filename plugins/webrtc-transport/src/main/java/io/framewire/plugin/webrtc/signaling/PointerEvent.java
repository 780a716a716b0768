package io.framewire.plugin.webrtc.signaling;

import java.util.List;
import java.util.Map;

/**
 * A pointer event from the browser, relative to the video element (CSS pixels, origin top-left),
 * as the signaling protocol carries it. The client sends element coordinates and size; the
 * transport maps them to stream pixels with
 * {@link io.framewire.plugin.webrtc.input.LetterboxMapper} (the video is shown with
 * {@code object-fit: contain}, letter-/pillar-boxed and centred) and hands the runtime a
 * {@link io.framewire.api.spi.PointerInput}.
 *
 * @param kind          down, up, move or wheel
 * @param button        the DOM button number (0 main, 1 middle, 2 secondary); 0 when not sent
 * @param buttons       the DOM bit mask of pressed buttons; 0 when not sent
 * @param x             x in the element, CSS pixels
 * @param y             y in the element, CSS pixels
 * @param elementWidth  the element's client width, CSS pixels (&gt; 0)
 * @param elementHeight the element's client height, CSS pixels (&gt; 0)
 * @param dx            horizontal wheel delta in pixels (0 unless wheel)
 * @param dy            vertical wheel delta in pixels (0 unless wheel)
 */
public record PointerEvent(Kind kind, int button, int buttons, double x, double y,
                           double elementWidth, double elementHeight, double dx, double dy) {

    /** The pointer event kinds, as on the wire in lower case. */
    public enum Kind { DOWN, UP, MOVE, WHEEL }

    private static final List<String> KINDS = List.of("down", "up", "move", "wheel");

    static PointerEvent from(Map<String, Object> m) throws SignalingProtocol.InvalidMessage {
        String t = SignalingProtocol.POINTER;
        String kind = SignalingProtocol.requireEnum(m, t, "kind", KINDS);
        double x = SignalingProtocol.requireNumber(m, t, "x");
        double y = SignalingProtocol.requireNumber(m, t, "y");
        double w = SignalingProtocol.requireNumber(m, t, "elementWidth");
        double h = SignalingProtocol.requireNumber(m, t, "elementHeight");
        if (w <= 0) {
            throw new SignalingProtocol.InvalidMessage("pointer: field 'elementWidth' must be > 0, got " + m.get("elementWidth"));
        }
        if (h <= 0) {
            throw new SignalingProtocol.InvalidMessage("pointer: field 'elementHeight' must be > 0, got " + m.get("elementHeight"));
        }
        Integer button = SignalingProtocol.optionalInt(m, t, "button", -1, 31);
        Integer buttons = SignalingProtocol.optionalInt(m, t, "buttons", 0, 0xffff);
        boolean wheel = "wheel".equals(kind);
        double dx = wheel ? SignalingProtocol.requireNumber(m, t, "dx") : SignalingProtocol.optionalNumber(m, t, "dx", 0);
        double dy = wheel ? SignalingProtocol.requireNumber(m, t, "dy") : SignalingProtocol.optionalNumber(m, t, "dy", 0);
        return new PointerEvent(Kind.values()[KINDS.indexOf(kind)], button == null ? 0 : button,
                buttons == null ? 0 : buttons, x, y, w, h, dx, dy);
    }
}
