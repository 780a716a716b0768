package io.framewire.api;

/**
 * A frame descriptor or a configuration value was refused. The message names the field and the
 * value, so the producer can see at once what to fix; {@link #field()} and {@link #value()} carry
 * them for programs.
 */
public class InvalidFrameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final transient Object value;
    private final String rule;

    /**
     * @param field the descriptor field that is wrong, e.g. {@code "pitchBytes"}
     * @param value the value that was given
     * @param rule  what the field must satisfy, e.g. {@code "must be >= width*4 (7680)"}
     */
    public InvalidFrameException(String field, Object value, String rule) {
        super(field + "=" + render(value) + ": " + rule);
        this.field = field;
        this.value = value;
        this.rule = rule;
    }

    /** @return the name of the refused field */
    public String field() {
        return field;
    }

    /** @return the refused value (may be null) */
    public Object value() {
        return value;
    }

    /** @return what the field must satisfy */
    public String rule() {
        return rule;
    }

    private static String render(Object value) {
        if (value instanceof long[]) {
            return java.util.Arrays.toString((long[]) value);
        }
        return String.valueOf(value);
    }
}
