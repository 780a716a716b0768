package io.framewire.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * A 5x7 bitmap font for notice pictures: A-Z (lower case drawn as upper case), 0-9 and the
 * punctuation plugin names and short sentences need. Each glyph is 7 rows of 5 bits, the most
 * significant bit the leftmost column; characters advance 6 columns. Built in, so a notice can be
 * drawn in any container without a font subsystem (AWT is not there on a jlink'd runtime).
 */
final class NoticeFont {
    static final int COLS = 5;
    static final int ROWS = 7;
    static final int ADVANCE = 6;

    private static final Map<Character, int[]> GLYPHS = new HashMap<>();
    private static final int[] UNKNOWN = {0b11111, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11111};

    static {
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        int[][] rows = {
            {0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001},
            {0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110},
            {0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110},
            {0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110},
            {0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111},
            {0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000},
            {0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111},
            {0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001},
            {0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110},
            {0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100},
            {0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001},
            {0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111},
            {0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001},
            {0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001},
            {0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110},
            {0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000},
            {0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101},
            {0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001},
            {0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110},
            {0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100},
            {0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110},
            {0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100},
            {0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010},
            {0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001},
            {0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100, 0b00100},
            {0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111},
        };
        for (int i = 0; i < letters.length(); i++) {
            GLYPHS.put(letters.charAt(i), rows[i]);
        }
        int[][] digits = {
            {0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110},
            {0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110},
            {0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111},
            {0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110},
            {0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010},
            {0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110},
            {0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110},
            {0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000},
            {0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110},
            {0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100},
        };
        for (int i = 0; i < 10; i++) {
            GLYPHS.put((char) ('0' + i), digits[i]);
        }
        GLYPHS.put(' ', new int[7]);
        GLYPHS.put(':', new int[]{0, 0b01100, 0b01100, 0, 0b01100, 0b01100, 0});
        GLYPHS.put('.', new int[]{0, 0, 0, 0, 0, 0b01100, 0b01100});
        GLYPHS.put(',', new int[]{0, 0, 0, 0, 0b01100, 0b00100, 0b01000});
        GLYPHS.put('-', new int[]{0, 0, 0, 0b11111, 0, 0, 0});
        GLYPHS.put('_', new int[]{0, 0, 0, 0, 0, 0, 0b11111});
        GLYPHS.put('=', new int[]{0, 0, 0b11111, 0, 0b11111, 0, 0});
        GLYPHS.put('\'', new int[]{0b00100, 0b00100, 0b01000, 0, 0, 0, 0});
        GLYPHS.put('/', new int[]{0b00001, 0b00010, 0b00010, 0b00100, 0b01000, 0b01000, 0b10000});
        GLYPHS.put('(', new int[]{0b00010, 0b00100, 0b01000, 0b01000, 0b01000, 0b00100, 0b00010});
        GLYPHS.put(')', new int[]{0b01000, 0b00100, 0b00010, 0b00010, 0b00010, 0b00100, 0b01000});
        GLYPHS.put('?', new int[]{0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0, 0b00100});
        GLYPHS.put('!', new int[]{0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0, 0b00100});
    }

    private NoticeFont() {
    }

    /** @return whether pixel ({@code col}, {@code row}) of {@code c}'s glyph is lit; unknown characters draw a box */
    static boolean lit(char c, int col, int row) {
        if (col < 0 || col >= COLS || row < 0 || row >= ROWS) {
            return false;
        }
        int[] glyph = GLYPHS.getOrDefault(Character.toUpperCase(c), UNKNOWN);
        return (glyph[row] & (1 << (COLS - 1 - col))) != 0;
    }
}
