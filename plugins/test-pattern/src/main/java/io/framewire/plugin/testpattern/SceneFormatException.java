package io.framewire.plugin.testpattern;

/**
 * A scene document (or a scene URI) that cannot be used. The message names the field (a JSON path
 * such as {@code shapes[2].color}) and the value found.
 */
public class SceneFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final transient Object value;

    /**
     * @param field  the offending field, e.g. {@code shapes[0].kind}
     * @param value  the value found there (null when missing)
     * @param reason what was expected
     */
    public SceneFormatException(String field, Object value, String reason) {
        this(field, value, reason, null);
    }

    /** As {@link #SceneFormatException(String, Object, String)}, with a cause. */
    public SceneFormatException(String field, Object value, String reason, Throwable cause) {
        super(field + " = " + describe(value) + ": " + reason, cause);
        this.field = field;
        this.value = value;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "(missing)";
        }
        if (value instanceof CharSequence) {
            return "\"" + value + "\"";
        }
        return String.valueOf(value);
    }

    /** @return the offending field */
    public String field() {
        return field;
    }

    /** @return the value found (null when the field was missing) */
    public Object value() {
        return value;
    }
}
