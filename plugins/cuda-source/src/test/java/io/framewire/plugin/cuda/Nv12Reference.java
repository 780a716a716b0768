package io.framewire.plugin.cuda;

/**
 * The CPU reference of the kernel: BGRA8 to NV12, BT.601 LIMITED range, the same integer formula as
 * {@code bgra_to_nv12.cu}: Y = 16 + ((66R + 129G + 25B + 128) >> 8); U = 128 + ((-38R - 74G + 112B + 128) >> 8);
 * V = 128 + ((112R - 94G - 18B + 128) >> 8); U and V from the 2x2 average (c00+c01+c10+c11+2) >> 2.
 */
final class Nv12Reference {
    private Nv12Reference() {
    }

    static int y(int r, int g, int b) { return 16 + ((66 * r + 129 * g + 25 * b + 128) >> 8); }

    static int u(int r, int g, int b) { return 128 + ((-38 * r - 74 * g + 112 * b + 128) >> 8); }

    static int v(int r, int g, int b) { return 128 + ((112 * r - 94 * g - 18 * b + 128) >> 8); }

    /**
     * @return NV12 with Y rows then UV rows, {@code dstPitch} apart (padding bytes 0)
     */
    static byte[] convert(byte[] bgra, int srcPitch, int width, int height, int dstPitch) {
        byte[] out = new byte[dstPitch * height * 3 / 2];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = y * srcPitch + x * 4;
                out[y * dstPitch + x] = (byte) y(bgra[o + 2] & 0xFF, bgra[o + 1] & 0xFF, bgra[o] & 0xFF);
            }
        }
        int uvBase = dstPitch * height;
        for (int by = 0; by < height / 2; by++) {
            for (int bx = 0; bx < width / 2; bx++) {
                int r = 0, g = 0, b = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int o = (2 * by + dy) * srcPitch + (2 * bx + dx) * 4;
                        b += bgra[o] & 0xFF;
                        g += bgra[o + 1] & 0xFF;
                        r += bgra[o + 2] & 0xFF;
                    }
                }
                r = (r + 2) >> 2;
                g = (g + 2) >> 2;
                b = (b + 2) >> 2;
                out[uvBase + by * dstPitch + 2 * bx] = (byte) u(r, g, b);
                out[uvBase + by * dstPitch + 2 * bx + 1] = (byte) v(r, g, b);
            }
        }
        return out;
    }

    /** The pattern of the {@code fill_bgra_pattern} kernel: byte k of pixel (x, y). */
    static int pattern(int x, int y, int k, int seed) {
        return (x * 7 + y * 13 + seed * 31 + ((x * y) >> 3) + k * 61) & 0xFF;
    }
}
