package io.framewire.runtime;

import io.framewire.api.VideoFrame;

import java.nio.ByteBuffer;

/**
 * The picture sent before the first real frame: a dark grey field with a lighter band across the
 * middle, so a viewer sees "connected, waiting" rather than black. Host BGRA, drawn once per size.
 */
final class LoadingFrame {
    /** Background BGRA bytes: dark grey. */
    static final int BACKGROUND = 0xFF202020;
    /** Band BGRA bytes: mid grey. */
    static final int BAND = 0xFF606060;

    private LoadingFrame() {
    }

    static VideoFrame create(int width, int height) {
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
        pixels.flip();
        return VideoFrame.hostBuffer(pixels, width, height, width * 4);
    }
}
