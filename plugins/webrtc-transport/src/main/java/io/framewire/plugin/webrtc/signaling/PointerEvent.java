package io.framewire.plugin.webrtc.signaling;

import java.util.List;
import java.util.Map;

/**
 * A pointer event from the browser, relative to the video element (CSS pixels, origin top-left).
 * The client sends element coordinates and size; {@link #toFrame(int, int)} maps them to frame
 * pixels for a video shown with {@code object-fit: contain} (letter-/pillar-boxed, centred).
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

    /**
     * A position in frame pixels.
     *
     * @param x      frame x, clamped to [0, frameWidth - 1]
     * @param y      frame y, clamped to [0, frameHeight - 1]
     * @param inside false when the pointer was on the black bars around the picture (or off it)
     */
    public record FramePoint(double x, double y, boolean inside) {
    }

    /**
     * Maps the element position to frame pixels, undoing {@code object-fit: contain}.
     *
     * @param frameWidth  the frame width in pixels (&gt; 0)
     * @param frameHeight the frame height in pixels (&gt; 0)
     * @return the position in the frame
     */
    public FramePoint toFrame(int frameWidth, int frameHeight) {
        if (frameWidth <= 0 || frameHeight <= 0) {
            throw new IllegalArgumentException("frame size must be positive: " + frameWidth + "x" + frameHeight);
        }
        double scale = Math.min(elementWidth / frameWidth, elementHeight / frameHeight);
        double offX = (elementWidth - frameWidth * scale) / 2.0;
        double offY = (elementHeight - frameHeight * scale) / 2.0;
        double fx = (x - offX) / scale;
        double fy = (y - offY) / scale;
        boolean inside = fx >= 0 && fy >= 0 && fx < frameWidth && fy < frameHeight;
        return new FramePoint(clamp(fx, frameWidth - 1), clamp(fy, frameHeight - 1), inside);
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }

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
