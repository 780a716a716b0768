package io.framewire.runtime;

import io.framewire.api.VideoFrame;

import java.nio.ByteBuffer;

/**
 * The picture sent before the first real frame: a dark grey field with a lighter band across the
 * middle, so a viewer sees "connected, waiting" rather than black. Host BGRA, drawn once per size.
 * A notice picture is the same field with a short text above the band saying what is missing (a
 * source that is not installed, a picture lost with a plugin): sent when an encoder needs a
 * picture and no good one is left.
 */
final class LoadingFrame {
    /** Background BGRA bytes: dark grey. */
    static final int BACKGROUND = 0xFF202020;
    /** Band BGRA bytes: mid grey. */
    static final int BAND = 0xFF606060;

    private LoadingFrame() {
    }

    /** Notice text BGRA bytes: light grey. */
    static final int TEXT = 0xFFE0E0E0;

    /** The last plain loading picture drawn: a session restart at the same size reuses it instead of 8 MB more. */
    private static volatile VideoFrame lastPlain;

    static VideoFrame create(int width, int height) {
        VideoFrame cached = lastPlain;
        if (cached != null && cached.width() == width && cached.height() == height) {
            return cached; // read-only for its users: encoders only read a frame they are given
        }
        VideoFrame drawn = notice(width, height, null);
        lastPlain = drawn;
        return drawn;
    }

    /**
     * @param text what to say (wrapped at spaces to the width; lines that do not fit above the band
     *             are left out), or null for the plain loading picture
     * @return the loading picture with {@code text} drawn above its band
     */
    static VideoFrame notice(int width, int height, String text) {
        ByteBuffer pixels = ByteBuffer.allocateDirect(width * height * 4);
        int bandTop = height * 7 / 16;
        int bandBottom = height * 9 / 16;
        byte[] row = new byte[width * 4];
        for (int y = 0; y < height; y++) {
            int argb = y >= bandTop && y < bandBottom ? BAND : BACKGROUND;
            for (int x = 0; x < width; x++) {
                row[x * 4] = (byte) argb;              // B
                row[x * 4 + 1] = (byte) (argb >> 8);   // G
                row[x * 4 + 2] = (byte) (argb >> 16);  // R
                row[x * 4 + 3] = (byte) (argb >>> 24); // A
            }
            pixels.put(row);
        }
        if (text != null && !text.isBlank()) {
            drawText(pixels, width, height, text);
        }
        pixels.rewind();
        return VideoFrame.hostBuffer(pixels, width, height, width * 4);
    }

    /** Draws {@code text} in the 5x7 font, scaled to the height, centred between the top eighth and the band. */
    private static void drawText(ByteBuffer pixels, int width, int height, String text) {
        int scale = Math.max(1, height / 135);
        int margin = Math.max(2, width / 32);
        int perLine = Math.max(1, (width - 2 * margin) / (NoticeFont.ADVANCE * scale));
        java.util.List<String> lines = wrap(text, perLine);
        int lineHeight = (NoticeFont.ROWS + 3) * scale;
        int top = height / 8;
        int maxLines = Math.max(0, (height * 7 / 16 - top) / lineHeight);
        for (int l = 0; l < Math.min(lines.size(), maxLines); l++) {
            String line = lines.get(l);
            int x0 = (width - line.length() * NoticeFont.ADVANCE * scale) / 2;
            int y0 = top + l * lineHeight;
            for (int i = 0; i < line.length(); i++) {
                for (int row = 0; row < NoticeFont.ROWS; row++) {
                    for (int col = 0; col < NoticeFont.COLS; col++) {
                        if (NoticeFont.lit(line.charAt(i), col, row)) {
                            fill(pixels, width, height, x0 + (i * NoticeFont.ADVANCE + col) * scale, y0 + row * scale, scale);
                        }
                    }
                }
            }
        }
    }

    private static void fill(ByteBuffer pixels, int width, int height, int x, int y, int size) {
        for (int yy = y; yy < Math.min(height, y + size); yy++) {
            for (int xx = Math.max(0, x); xx < Math.min(width, x + size); xx++) {
                pixels.putInt((yy * width + xx) * 4, Integer.reverseBytes(TEXT)); // BGRA byte order
            }
        }
    }

    /** @return {@code text} in lines of at most {@code perLine} characters, broken at spaces where possible */
    static java.util.List<String> wrap(String text, int perLine) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            while (word.length() > perLine) { // a word longer than a line is cut
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, perLine));
                word = word.substring(perLine);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > perLine) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
