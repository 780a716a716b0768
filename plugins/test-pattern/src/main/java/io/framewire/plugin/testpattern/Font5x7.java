package io.framewire.plugin.testpattern;

/**
 * A tiny built-in 5x7 bitmap font: the digits, {@code ':'}, {@code '.'}, {@code '-'} and space.
 * Each glyph is 7 rows of 5 bits, the most significant of the 5 bits being the leftmost column.
 * Characters are drawn on a 6x8 cell grid (one blank column and row of spacing).
 */
final class Font5x7 {
    static final int COLS = 5;
    static final int ROWS = 7;
    static final int ADVANCE = 6;

    private static final int[][] DIGITS = {
        {0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110}, // 0
        {0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110}, // 1
        {0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111}, // 2
        {0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110}, // 3
        {0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010}, // 4
        {0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110}, // 5
        {0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110}, // 6
        {0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000}, // 7
        {0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110}, // 8
        {0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100}, // 9
    };
    private static final int[] COLON = {0, 0b01100, 0b01100, 0, 0b01100, 0b01100, 0};
    private static final int[] DOT = {0, 0, 0, 0, 0, 0b01100, 0b01100};
    private static final int[] DASH = {0, 0, 0, 0b11111, 0, 0, 0};
    private static final int[] BLANK = {0, 0, 0, 0, 0, 0, 0};

    private Font5x7() {
    }

    /** @return the 7 row bitmasks of {@code c}; unknown characters draw blank */
    static int[] glyph(char c) {
        if (c >= '0' && c <= '9') {
            return DIGITS[c - '0'];
        }
        switch (c) {
            case ':':
                return COLON;
            case '.':
                return DOT;
            case '-':
                return DASH;
            default:
                return BLANK;
        }
    }

    /** @return whether pixel ({@code col}, {@code row}) of {@code c}'s glyph is lit */
    static boolean lit(char c, int col, int row) {
        if (col < 0 || col >= COLS || row < 0 || row >= ROWS) {
            return false;
        }
        return (glyph(c)[row] & (1 << (COLS - 1 - col))) != 0;
    }
}
