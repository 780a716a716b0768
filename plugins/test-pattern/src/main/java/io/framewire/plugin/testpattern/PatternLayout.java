package io.framewire.plugin.testpattern;

/**
 * Where {@link TestPatternSource} draws each part of the pattern for one stream size. All values are
 * pixels; ranges are half-open {@code [start, end)}.
 *
 * <pre>
 * rows [0, barsBottom)            8 vertical colour bars; bar i spans x in [barX(i), barX(i+1)), barX(i) = i*W/8
 * rows [barsBottom, H)            the info strip, {@link TestPatternSource#STRIP} grey:
 *   rows [barsBottom, textTop)      the track of the moving box (boxW x boxH at y boxY,
 *                                   x = (frameNumber * boxSpeed) mod (W - boxW))
 *   rows [textTop, H)               the frame counter (left, from counterX) and the clock
 *                                   HH:MM:SS.mmm (right, from clockX), 5x7 glyphs scaled by textScale,
 *                                   top at textY
 * </pre>
 * At 1920x1080: bars rows 0..809 with x ranges 0-239, 240-479, ..., 1680-1919; strip rows 810..1079;
 * box 120x101 at y 827, moving 8 px per frame; text scale 13 (65x91 px glyphs) at y 967, counter at x 26,
 * clock at x 971.
 *
 * @param width      stream width W
 * @param height     stream height H
 * @param barsBottom first row below the bars, {@code H*3/4}
 * @param textTop    first row of the text band, {@code barsBottom + (H - barsBottom)/2}
 * @param boxW       moving box width, {@code max(1, W/16)}
 * @param boxH       moving box height, 3/4 of the track height
 * @param boxY       moving box top row (centred in the track)
 * @param boxSpeed   pixels the box moves per frame, {@code max(1, W/240)}
 * @param textScale  size in pixels of one font dot
 * @param textY      top row of the text
 * @param counterX   left column of the counter's first digit
 * @param clockX     left column of the clock's first character
 */
public record PatternLayout(int width, int height, int barsBottom, int textTop, int boxW, int boxH, int boxY,
                            int boxSpeed, int textScale, int textY, int counterX, int clockX) {

    /** Digits the frame counter shows at least (zero-padded). */
    public static final int COUNTER_DIGITS = 8;
    /** Characters of the clock, {@code HH:MM:SS.mmm}. */
    public static final int CLOCK_CHARS = 12;

    /** @return the layout for a {@code width x height} stream */
    public static PatternLayout of(int width, int height) {
        int barsBottom = height * 3 / 4;
        int stripH = height - barsBottom;
        int trackH = stripH / 2;
        int textTop = barsBottom + trackH;
        int textBandH = height - textTop;
        int boxW = Math.max(1, width / 16);
        int boxH = trackH * 3 / 4;
        int boxY = barsBottom + (trackH - boxH) / 2;
        int boxSpeed = Math.max(1, width / 240);
        // 8 counter digits + 12 clock chars + margins (2 dots each side, 2 cells between) on 6-dot cells
        int cellsWide = (COUNTER_DIGITS + CLOCK_CHARS) * Font5x7.ADVANCE + 8;
        int scale = Math.max(1, Math.min((textBandH * 7 / 10) / Font5x7.ROWS, width / cellsWide));
        int textY = textTop + Math.max(0, (textBandH - Font5x7.ROWS * scale) / 2);
        int counterX = 2 * scale;
        int clockX = width - 2 * scale - (CLOCK_CHARS * Font5x7.ADVANCE - 1) * scale;
        return new PatternLayout(width, height, barsBottom, textTop, boxW, boxH, boxY, boxSpeed, scale, textY,
                counterX, clockX);
    }

    /** @return the first column of bar {@code i} (0..8; {@code barX(8) == width}) */
    public int barX(int i) {
        return (int) ((long) i * width / 8);
    }

    /** @return the moving box's left column at {@code frameNumber} */
    public int boxX(long frameNumber) {
        int travel = width - boxW;
        if (travel <= 0) {
            return 0;
        }
        return (int) Math.floorMod(frameNumber * boxSpeed, (long) travel);
    }
}
