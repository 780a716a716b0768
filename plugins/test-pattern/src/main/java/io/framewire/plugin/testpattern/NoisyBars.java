package io.framewire.plugin.testpattern;

import java.nio.ByteBuffer;

/**
 * The {@link PatternContent#NOISE} background of the bars area: content an encoder cannot predict,
 * cheap to draw on the CPU.
 *
 * <p>At a new frame size it precomputes {@value #VARIANTS} copies of the bars area with independent
 * luma noise ({@code ±amplitude} on B, G and R alike, so the bars' colours stay recognisable; a
 * value beyond 0 or 255 is folded back, so that black is noisy too). Each
 * frame is then tiled from them in {@value #TILE_W}x{@value #TILE_H} tiles: every tile takes a
 * variant other than the one it had in the previous frame (chosen by a hash of frame and tile), so
 * every pixel of the bars area changes every frame, and a tile matches nothing in the previous
 * frame (the other variants' noise is independent). Drawing is one bulk copy per tile row: about
 * the cost of the plain background's copy, no random numbers per frame.
 *
 * <p>Memory: {@value #VARIANTS} x width x rows x 4 bytes of direct buffers (25 MB at 1080p). Not
 * thread-safe, like the source.
 */
final class NoisyBars {
    /** Precomputed noisy copies of the bars area. */
    static final int VARIANTS = 4;
    /** Tile width in pixels (a multiple of 16: whole macroblocks). */
    static final int TILE_W = 128;
    /** Tile height in pixels. */
    static final int TILE_H = 64;
    /** Default noise amplitude: each pixel's B, G, R move by the same value within ±this. */
    static final int DEFAULT_AMPLITUDE = 40;

    private final int width;
    private final int rows;
    private final int tilesX;
    private final int tilesY;
    private final ByteBuffer[] variants;
    private final byte[] lastChoice;

    /**
     * @param background the plain background, BGRA, pitch {@code width * 4}
     * @param width      frame width
     * @param rows       rows of the bars area (from the top)
     * @param amplitude  noise amplitude, 0..255
     * @param seed       noise seed
     */
    NoisyBars(ByteBuffer background, int width, int rows, int amplitude, long seed) {
        this.width = width;
        this.rows = rows;
        this.tilesX = (width + TILE_W - 1) / TILE_W;
        this.tilesY = (rows + TILE_H - 1) / TILE_H;
        this.variants = new ByteBuffer[VARIANTS];
        this.lastChoice = new byte[tilesX * tilesY];
        long state = seed | 1;
        int bytes = width * rows * 4;
        byte[] row = new byte[width * 4];
        for (int v = 0; v < VARIANTS; v++) {
            ByteBuffer out = ByteBuffer.allocateDirect(bytes);
            for (int y = 0; y < rows; y++) {
                background.get(y * width * 4, row, 0, row.length);
                for (int x = 0; x < width; x++) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    int n = (int) Math.floorMod(state, 2 * amplitude + 1) - amplitude;
                    int i = x * 4;
                    row[i] = reflect((row[i] & 0xFF) + n);
                    row[i + 1] = reflect((row[i + 1] & 0xFF) + n);
                    row[i + 2] = reflect((row[i + 2] & 0xFF) + n);
                }
                out.put(y * width * 4, row, 0, row.length);
            }
            variants[v] = out;
        }
    }

    /** @return rows of the bars area this draws */
    int rows() {
        return rows;
    }

    /** Draws frame {@code frameNumber}'s noisy bars into rows {@code [0, rows)} of {@code pixels}. */
    void draw(ByteBuffer pixels, long frameNumber) {
        int pitch = width * 4;
        for (int ty = 0; ty < tilesY; ty++) {
            int y0 = ty * TILE_H;
            int y1 = Math.min(rows, y0 + TILE_H);
            for (int tx = 0; tx < tilesX; tx++) {
                int t = ty * tilesX + tx;
                int step = 1 + (int) Math.floorMod(mix(frameNumber * 1_000_003L + t), VARIANTS - 1);
                int v = (lastChoice[t] + step) % VARIANTS;
                lastChoice[t] = (byte) v;
                ByteBuffer src = variants[v];
                int x0 = tx * TILE_W * 4;
                int len = Math.min(TILE_W * 4, pitch - x0);
                for (int y = y0; y < y1; y++) {
                    int at = y * pitch + x0;
                    pixels.put(at, src, at, len);
                }
            }
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** Folds a value that left 0..255 back inside, so that black (0) is noisy too, not clamped flat. */
    private static byte reflect(int v) {
        return (byte) (v < 0 ? -v : v > 255 ? 510 - v : v);
    }
}
