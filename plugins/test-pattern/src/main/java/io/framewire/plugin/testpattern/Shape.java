package io.framewire.plugin.testpattern;

import java.util.Locale;
import java.util.Objects;

/**
 * One shape of a {@link Scene}, drawn by {@link TestPatternSource} on top of the test pattern.
 *
 * <p><b>Coordinates are fractions of the stream size</b>, so one scene fits every resolution:
 * {@code x} and {@code w} are fractions of the stream width, {@code y} and {@code h} of the stream
 * height, measured from the top-left corner. The pixel rectangle is
 * {@code [round(x*W), round((x+w)*W)) x [round(y*H), round((y+h)*H))} (at least one pixel each way),
 * clipped to the frame. {@code x, y} lie in [0, 1]; {@code w, h} in (0, 1].
 * A {@link Kind#CIRCLE} is the ellipse inscribed in that rectangle (a circle when it is square in pixels).
 *
 * @param kind  rect or circle
 * @param x     left edge, fraction of the width, 0..1
 * @param y     top edge, fraction of the height, 0..1
 * @param w     width, fraction of the width, (0, 1]
 * @param h     height, fraction of the height, (0, 1]
 * @param color {@code "#RRGGBB"} (normalised to lower case)
 */
public record Shape(Kind kind, double x, double y, double w, double h, String color) {

    /** The kinds of shape. */
    public enum Kind {
        /** A filled axis-aligned rectangle. */
        RECT,
        /** A filled ellipse inscribed in the shape's rectangle. */
        CIRCLE;

        /** @return the JSON name, {@code rect} or {@code circle} */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks every field; the message of the {@link SceneFormatException} names the field and value. */
    public Shape {
        Objects.requireNonNull(kind, "kind");
        checkRange("x", x, 0, true);
        checkRange("y", y, 0, true);
        checkRange("w", w, 0, false);
        checkRange("h", h, 0, false);
        color = normaliseColor("color", color);
    }

    private static void checkRange(String field, double v, double min, boolean minInclusive) {
        boolean ok = !Double.isNaN(v) && (minInclusive ? v >= min : v > min) && v <= 1.0;
        if (!ok) {
            throw new SceneFormatException(field, v, "must be a fraction of the stream size in "
                    + (minInclusive ? "[0, 1]" : "(0, 1]"));
        }
    }

    /**
     * @return {@code color} in lower case when it is {@code #RRGGBB}
     * @throws SceneFormatException naming {@code field} otherwise
     */
    static String normaliseColor(String field, String color) {
        if (color == null || color.length() != 7 || color.charAt(0) != '#') {
            throw new SceneFormatException(field, color, "must be a colour \"#RRGGBB\"");
        }
        for (int i = 1; i < 7; i++) {
            if (Character.digit(color.charAt(i), 16) < 0) {
                throw new SceneFormatException(field, color, "must be a colour \"#RRGGBB\" (hex digits)");
            }
        }
        return color.toLowerCase(Locale.ROOT);
    }

    /** @return the colour as an opaque ARGB int {@code 0xFFRRGGBB}; in little-endian memory that is the bytes B, G, R, A */
    public int argb() {
        return 0xFF000000 | Integer.parseInt(color.substring(1), 16);
    }
}
