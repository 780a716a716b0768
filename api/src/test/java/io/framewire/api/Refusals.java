package io.framewire.api;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared assertions for refused values: exception type, field() and "field=value" in the message. */
final class Refusals {
    private Refusals() {
    }

    /**
     * Asserts that {@code call} throws exactly {@link InvalidFrameException}, that {@code field()} is
     * {@code field} and that the message contains {@code field=renderedValue}.
     */
    static InvalidFrameException assertInvalid(String field, String renderedValue, Executable call) {
        InvalidFrameException e = assertThrows(InvalidFrameException.class, call);
        assertEquals(field, e.field(), () -> "field() of: " + e.getMessage());
        String msg = e.getMessage();
        assertNotNull(msg);
        String expected = field + "=" + renderedValue;
        assertTrue(msg.contains(expected), () -> "message should contain '" + expected + "' but was: " + msg);
        return e;
    }

    /** Asserts an {@link IllegalArgumentException} whose message contains {@code field=renderedValue}. */
    static IllegalArgumentException assertIllegal(String field, String renderedValue, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String msg = e.getMessage();
        assertNotNull(msg);
        String expected = field + "=" + renderedValue;
        assertTrue(msg.contains(expected), () -> "message should contain '" + expected + "' but was: " + msg);
        return e;
    }
}
