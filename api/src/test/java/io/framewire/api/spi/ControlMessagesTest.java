package io.framewire.api.spi;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed control messages and the wire fields they carry. */
class ControlMessagesTest {
    private static final URI SCENE = URI.create("scene:demo");

    @Test
    void eachStageEventCarriesTheFieldsOfItsKind() {
        assertEquals(Map.of("type", "stage.started", "uri", "scene:demo"), StageEvent.started(SCENE).toMap());
        assertEquals(Map.of("type", "stage.progress", "uri", "scene:demo", "progress", 0.25, "detail", "walls"),
                StageEvent.progress(SCENE, 0.25, "walls").toMap());
        assertEquals(Map.of("type", "stage.progress", "uri", "scene:demo", "progress", 0.5),
                StageEvent.progress(SCENE, 0.5, null).toMap(), "no detail, no field");
        assertEquals(Map.of("type", "stage.loaded", "uri", "scene:demo", "millis", 1234L), StageEvent.loaded(SCENE, 1234).toMap());
        assertEquals(Map.of("type", "stage.cancelled", "uri", "scene:demo"), StageEvent.cancelled(SCENE).toMap());
        assertEquals(Map.of("type", "stage.failed", "uri", "scene:demo", "error", "shapes[2]: bad"),
                StageEvent.failed(SCENE, "shapes[2]: bad").toMap());
        assertEquals(List.of("type", "uri", "progress", "detail"),
                List.copyOf(StageEvent.progress(SCENE, 0.1, "x").toMap().keySet()), "type first, stable order");
    }

    @Test
    void progressIsClampedToZeroToOne() {
        assertEquals(1.0, StageEvent.progress(SCENE, 7, null).progress());
        assertEquals(0.0, StageEvent.progress(SCENE, -1, null).progress());
    }

    @Test
    void messagesWithoutTheirFieldsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageEvent.started(null));
        assertTrue(e.getMessage().contains("uri=null"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AppMessage(null)).getMessage().startsWith("json=null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ErrorMessage(null)).getMessage().startsWith("text=null"));
    }

    @Test
    void pointerInputHasWheelDeltasOnlyForTheWheel() {
        Map<String, Object> down = new PointerInput(PointerInput.Kind.DOWN, 2, 2, 100, 50, 0, 0).toMap();
        assertEquals(Map.of("type", "input.pointer", "kind", "down", "button", 2, "buttons", 2, "x", 100, "y", 50), down);
        Map<String, Object> wheel = new PointerInput(PointerInput.Kind.WHEEL, 0, 0, 1, 2, 0, -120).toMap();
        assertEquals(-120.0, wheel.get("dy"));
        assertEquals(0.0, wheel.get("dx"));
        assertFalse(down.containsKey("dy"));
    }

    @Test
    void keyInputCarriesKeyCodeAndModifiers() {
        Map<String, Object> m = new KeyInput(KeyInput.Kind.DOWN, "A", "KeyA", true, false, true, false, true).toMap();
        assertEquals("input.key", m.get("type"));
        assertEquals("down", m.get("kind"));
        assertEquals("A", m.get("key"));
        assertEquals("KeyA", m.get("code"));
        assertEquals(List.of(true, false, true, false, true),
                List.of(m.get("shift"), m.get("ctrl"), m.get("alt"), m.get("meta"), m.get("repeat")));
    }
}
