package io.framewire.api.spi;

/**
 * Makes text that came from a peer (a key name, a stage URI, a message type, anything read from a
 * network socket) safe to put in a log line: one physical line, no terminal control sequences, a
 * bounded length. Use it wherever such text reaches a logger; text the server made itself needs
 * nothing.
 *
 * <p>Escapes: {@code \} as {@code \\}, LF as {@code \n}, CR as {@code \r}, TAB as {@code \t}, every
 * other C0 control, DEL, C1 control (U+0080..U+009F, e.g. the one-byte CSI) and the Unicode line and
 * paragraph separators as {@code \}{@code uXXXX} (so ANSI ESC becomes {@code \}{@code u001b}). Text
 * longer than the limit is cut and ends in {@code ...(N chars)}. Escaping the backslash keeps
 * a peer's literal {@code "\n"} apart from an escaped newline.
 */
public final class LogText {
    /** The longest text {@link #of(CharSequence)} keeps, in chars, before the escapes. */
    public static final int DEFAULT_MAX_CHARS = 120;

    private LogText() {
    }

    /**
     * @param text peer text, may be null
     * @return the escaped text, at most {@value #DEFAULT_MAX_CHARS} chars of it kept; {@code "null"} for null
     */
    public static String of(CharSequence text) {
        return of(text, DEFAULT_MAX_CHARS);
    }

    /**
     * @param text     peer text, may be null
     * @param maxChars how many chars of {@code text} to keep (at least 1)
     * @return the escaped text; {@code "null"} for null
     * @throws IllegalArgumentException when {@code maxChars < 1}
     */
    public static String of(CharSequence text, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars=" + maxChars + ": must be at least 1");
        }
        if (text == null) {
            return "null";
        }
        int length = text.length();
        int keep = Math.min(length, maxChars);
        if (keep < length && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--; // never cut a surrogate pair in two
        }
        StringBuilder b = new StringBuilder(keep + 16);
        for (int i = 0; i < keep; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (keep < length) {
            b.append("...(").append(length).append(" chars)");
        }
        return b.toString();
    }
}
