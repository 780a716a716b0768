package io.framewire.testing.receiver;

/**
 * One decoded picture, converted to BGRA (FFmpeg swscale, its default BT.601 matrix), with the
 * decoder's luma plane when the picture was 8-bit YUV.
 *
 * @param width       width in pixels
 * @param height      height in pixels
 * @param bgra        width * height * 4 bytes, rows packed
 * @param luma        width * height bytes of Y, or null when the decoder's format was not 8-bit YUV
 * @param pixelFormat the decoder's output pixel format name (e.g. yuv420p)
 * @param rtpTimestamp the RTP timestamp of the access unit it came from
 */
public record DecodedFrame(int width, int height, byte[] bgra, byte[] luma, String pixelFormat, long rtpTimestamp) {

    /** @return the pixel as 0xAARRGGBB */
    public int argb(int x, int y) {
        int o = (y * width + x) * 4;
        return ((bgra[o + 3] & 0xFF) << 24) | ((bgra[o + 2] & 0xFF) << 16) | ((bgra[o + 1] & 0xFF) << 8)
                | (bgra[o] & 0xFF);
    }

    /** @return {r, g, b} of a pixel */
    public int[] rgb(int x, int y) {
        int p = argb(x, y);
        return new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
    }

    /** @return the decoder's Y sample at (x, y) */
    public int y(int x, int y) {
        if (luma == null) {
            throw new IllegalStateException("no 8-bit luma plane (" + pixelFormat + ")");
        }
        return luma[y * width + x] & 0xFF;
    }
}
