package io.framewire.plugin.testpattern;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable scene: a name (a note shown in logs and used as the scene's identity) and the
 * {@link Shape}s {@link TestPatternSource} draws, in order, over the test pattern.
 *
 * <p>JSON form, read by {@link #fromJson(String)}:
 * <pre>{@code
 * {"name": "demo",
 *  "shapes": [{"kind": "rect",   "x": 0.05, "y": 0.05, "w": 0.2, "h": 0.2, "color": "#ff0000"},
 *             {"kind": "circle", "x": 0.4,  "y": 0.1,  "w": 0.1, "h": 0.2, "color": "#00ff00"}]}
 * }</pre>
 * {@code name} (a non-empty string) and {@code shapes} (an array, may be empty) are required; every
 * shape needs all of {@code kind}, {@code x}, {@code y}, {@code w}, {@code h}, {@code color}
 * (coordinates are fractions of the stream size, see {@link Shape}). Unknown fields are ignored.
 *
 * @param name   the scene's name, never empty
 * @param shapes the shapes, drawn first to last
 */
public record Scene(String name, List<Shape> shapes) {

    /** The scene before any load: no shapes. */
    public static final Scene EMPTY = new Scene("empty", List.of());

    /** Copies {@code shapes}; checks the name. */
    public Scene {
        if (name == null || name.isBlank()) {
            throw new SceneFormatException("name", name, "must be a non-empty string");
        }
        shapes = List.copyOf(Objects.requireNonNull(shapes, "shapes"));
    }

    /**
     * Parses a scene document.
     *
     * @throws SceneFormatException when the JSON is malformed or a field is missing or invalid;
     *                              the message names the field (e.g. {@code shapes[1].w}) and the value
     */
    public static Scene fromJson(String json) {
        Object root;
        try {
            root = JSON.std.anyFrom(json);
        } catch (IOException | RuntimeException e) {
            throw new SceneFormatException("(document)", abbreviate(json), "is not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map)) {
            throw new SceneFormatException("(document)", abbreviate(json), "must be a JSON object");
        }
        Map<?, ?> doc = (Map<?, ?>) root;
        Object name = doc.get("name");
        if (!(name instanceof String) || ((String) name).isBlank()) {
            throw new SceneFormatException("name", name, "must be a non-empty string");
        }
        Object shapes = doc.get("shapes");
        if (!(shapes instanceof List)) {
            throw new SceneFormatException("shapes", shapes, "must be an array of shapes (may be empty)");
        }
        List<?> list = (List<?>) shapes;
        List<Shape> parsed = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            parsed.add(parseShape("shapes[" + i + "]", list.get(i)));
        }
        return new Scene((String) name, parsed);
    }

    private static Shape parseShape(String path, Object node) {
        if (!(node instanceof Map)) {
            throw new SceneFormatException(path, node, "must be an object {kind, x, y, w, h, color}");
        }
        Map<?, ?> m = (Map<?, ?>) node;
        Object kindValue = m.get("kind");
        Shape.Kind kind;
        if ("rect".equals(kindValue)) {
            kind = Shape.Kind.RECT;
        } else if ("circle".equals(kindValue)) {
            kind = Shape.Kind.CIRCLE;
        } else {
            throw new SceneFormatException(path + ".kind", kindValue, "must be \"rect\" or \"circle\"");
        }
        double x = number(path + ".x", m.get("x"));
        double y = number(path + ".y", m.get("y"));
        double w = number(path + ".w", m.get("w"));
        double h = number(path + ".h", m.get("h"));
        Object color = m.get("color");
        if (!(color instanceof String)) {
            throw new SceneFormatException(path + ".color", color, "must be a colour \"#RRGGBB\"");
        }
        Shape.normaliseColor(path + ".color", (String) color);
        try {
            return new Shape(kind, x, y, w, h, (String) color);
        } catch (SceneFormatException e) {
            // re-anchor the field name at its JSON path
            throw new SceneFormatException(path + "." + e.field(), e.value(),
                    e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
    }

    private static double number(String field, Object value) {
        if (!(value instanceof Number)) {
            throw new SceneFormatException(field, value, "must be a number (a fraction of the stream size)");
        }
        return ((Number) value).doubleValue();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.length() <= 60 ? t : t.substring(0, 57) + "...";
    }

    /** @return this scene as a JSON document that {@link #fromJson} reads back */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"name\":\"").append(name.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\",\"shapes\":[");
        for (int i = 0; i < shapes.size(); i++) {
            Shape s = shapes.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append(String.format(Locale.ROOT, "{\"kind\":\"%s\",\"x\":%s,\"y\":%s,\"w\":%s,\"h\":%s,\"color\":\"%s\"}",
                    s.kind().jsonName(), s.x(), s.y(), s.w(), s.h(), s.color()));
        }
        return sb.append("]}").toString();
    }
}
