package io.framewire.plugin.testpattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SceneTest {
    static final String GOOD = "{\"name\":\"s1\",\"shapes\":[{\"kind\":\"rect\",\"x\":0.1,\"y\":0.2,\"w\":0.3,\"h\":0.4,\"color\":\"#FF0000\"},"
            + "{\"kind\":\"circle\",\"x\":0,\"y\":1,\"w\":1,\"h\":0.5,\"color\":\"#00ff7f\"}]}";

    @Test
    void parsesGoodScene() {
        Scene s = Scene.fromJson(GOOD);
        assertEquals("s1", s.name());
        assertEquals(2, s.shapes().size());
        Shape r = s.shapes().get(0);
        assertEquals(Shape.Kind.RECT, r.kind());
        assertEquals(0.1, r.x());
        assertEquals(0.2, r.y());
        assertEquals(0.3, r.w());
        assertEquals(0.4, r.h());
        assertEquals("#ff0000", r.color());
        assertEquals(0xFFFF0000, r.argb());
        Shape c = s.shapes().get(1);
        assertEquals(Shape.Kind.CIRCLE, c.kind());
        assertEquals(0.0, c.x());
        assertEquals(1.0, c.y());
        assertEquals(0xFF00FF7F, c.argb());
        assertEquals(s, Scene.fromJson(s.toJson()), "toJson round-trips");
    }

    @Test
    void emptyShapesAllowedAndSceneIsImmutable() {
        Scene s = Scene.fromJson("{\"name\":\"x\",\"shapes\":[],\"extra\":true}");
        assertTrue(s.shapes().isEmpty());
        assertThrows(UnsupportedOperationException.class,
                () -> s.shapes().add(new Shape(Shape.Kind.RECT, 0, 0, 1, 1, "#000000")));
        List<Shape> list = new java.util.ArrayList<>();
        Scene t = new Scene("y", list);
        list.add(new Shape(Shape.Kind.RECT, 0, 0, 1, 1, "#000000"));
        assertTrue(t.shapes().isEmpty(), "defensive copy");
    }

    private static String shape(String field, String value) {
        String[][] f = {{"kind", "\"rect\""}, {"x", "0.1"}, {"y", "0.1"}, {"w", "0.1"}, {"h", "0.1"}, {"color", "\"#123456\""}};
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (String[] kv : f) {
            String v = kv[0].equals(field) ? value : kv[1];
            if (v == null) {
                continue; // missing
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(kv[0]).append("\":").append(v);
        }
        return sb.append('}').toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "MISSING", value = {
        "kind  | \"square\" | square",
        "kind  | MISSING    | (missing)",
        "x     | \"0.5\"    | 0.5",
        "x     | MISSING    | (missing)",
        "x     | 1.5        | 1.5",
        "y     | -0.1       | -0.1",
        "y     | MISSING    | (missing)",
        "w     | 0          | 0.0",
        "w     | true       | true",
        "h     | 2          | 2.0",
        "h     | MISSING    | (missing)",
        "color | \"red\"    | red",
        "color | \"#12345\"  | #12345",
        "color | \"#12345g\" | #12345g",
        "color | 255        | 255",
        "color | MISSING    | (missing)",
    })
    void badShapeFieldIsNamedWithValue(String field, String json, String shownValue) {
        String doc = "{\"name\":\"n\",\"shapes\":[" + shape(null, null) + "," + shape(field, json) + "]}";
        SceneFormatException e = assertThrows(SceneFormatException.class, () -> Scene.fromJson(doc));
        assertEquals("shapes[1]." + field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("shapes[1]." + field + " = "), e.getMessage());
        assertTrue(e.getMessage().contains(shownValue), e.getMessage() + " should show " + shownValue);
    }

    @Test
    void badTopLevelFields() {
        SceneFormatException e = assertThrows(SceneFormatException.class, () -> Scene.fromJson("{\"shapes\":[]}"));
        assertEquals("name", e.field());
        assertTrue(e.getMessage().contains("(missing)"), e.getMessage());
        e = assertThrows(SceneFormatException.class, () -> Scene.fromJson("{\"name\":42,\"shapes\":[]}"));
        assertEquals("name", e.field());
        assertTrue(e.getMessage().contains("42"), e.getMessage());
        e = assertThrows(SceneFormatException.class, () -> Scene.fromJson("{\"name\":\"\",\"shapes\":[]}"));
        assertEquals("name", e.field());
        e = assertThrows(SceneFormatException.class, () -> Scene.fromJson("{\"name\":\"n\"}"));
        assertEquals("shapes", e.field());
        e = assertThrows(SceneFormatException.class, () -> Scene.fromJson("{\"name\":\"n\",\"shapes\":{}}"));
        assertEquals("shapes", e.field());
        e = assertThrows(SceneFormatException.class, () -> Scene.fromJson("{\"name\":\"n\",\"shapes\":[3]}"));
        assertEquals("shapes[0]", e.field());
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void malformedJson() {
        SceneFormatException e = assertThrows(SceneFormatException.class, () -> Scene.fromJson("{\"name\": \"n\", shapes"));
        assertEquals("(document)", e.field());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        e = assertThrows(SceneFormatException.class, () -> Scene.fromJson("[1,2]"));
        assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
    }
}
