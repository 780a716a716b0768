package io.framewire.api.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTextTest {

    @Test
    void forgedLogLineAndAnsiEscapeStayOnOneVisibleLine() {
        String forged = "a\r\n2026-01-01 INFO forged line \u001b[31mred\u001b[0m\u009b2J\u2028x";
        String out = LogText.of(forged);
        assertEquals("a\\r\\n2026-01-01 INFO forged line \\u001b[31mred\\u001b[0m\\u009b2J\\u2028x", out);
        for (char c : out.toCharArray()) {
            assertTrue(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f), "control char " + (int) c + " in " + out);
        }
    }

    @Test
    void backslashIsEscapedSoALiteralBackslashNIsNotAnEscapedNewline() {
        assertEquals("\\\\n", LogText.of("\\n"));
        assertEquals("\\n", LogText.of("\n"));
        assertEquals("tab\\there\\u0000\\u007f", LogText.of("tab\there\u0000\u007f"));
    }

    @Test
    void printableTextAndUnicodeStayAsTheyAre() {
        assertEquals("KeyA ä € 日本 😀", LogText.of("KeyA ä € 日本 😀"));
        assertEquals("null", LogText.of(null));
    }

    @Test
    void longTextIsCutAndSaysHowLongItWas() {
        String s = "x".repeat(500);
        String out = LogText.of(s);
        assertEquals("x".repeat(LogText.DEFAULT_MAX_CHARS) + "...(500 chars)", out);
        assertEquals("abc...(6 chars)", LogText.of("abcdef", 3));
        assertEquals("abcdef", LogText.of("abcdef", 6));
    }

    @Test
    void aSurrogatePairIsNotCutInTwo() {
        String out = LogText.of("ab😀cd", 3);
        assertEquals("ab...(6 chars)", out);
        assertFalse(Character.isHighSurrogate(out.charAt(1)) && out.length() == 2);
    }

    @Test
    void aLimitBelowOneIsRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogText.of("x", 0));
        assertTrue(e.getMessage().contains("maxChars=0"), e.getMessage());
    }
}
