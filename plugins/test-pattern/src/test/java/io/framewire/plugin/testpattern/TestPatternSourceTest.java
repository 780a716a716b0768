package io.framewire.plugin.testpattern;

import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static io.framewire.plugin.testpattern.TestPatternSource.*;
import static org.junit.jupiter.api.Assertions.*;

class TestPatternSourceTest {
    static final int W = 1920;
    static final int H = 1080;
    // 12:34:56.789 UTC
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-02T12:34:56.789Z"), ZoneOffset.UTC);

    static TestPatternSource source(SceneHolder holder, Clock clock) {
        return new TestPatternSource(holder, clock);
    }

    static VideoFrame render(TestPatternSource s, int w, int h, long frame) {
        return s.render(new FrameRequest(w, h, frame, frame * 16_667));
    }

    /** Pixel as ARGB int read from the BGRA bytes of the frame. */
    static int pixel(VideoFrame f, int x, int y) {
        ByteBuffer b = f.hostBuffer();
        int i = b.position() + y * f.pitchBytes() + x * 4;
        int bl = b.get(i) & 0xFF, g = b.get(i + 1) & 0xFF, r = b.get(i + 2) & 0xFF, a = b.get(i + 3) & 0xFF;
        return (a << 24) | (r << 16) | (g << 8) | bl;
    }

    static byte[] region(VideoFrame f, int x0, int y0, int x1, int y1) {
        ByteBuffer b = f.hostBuffer();
        byte[] out = new byte[(x1 - x0) * 4 * (y1 - y0)];
        int o = 0;
        for (int y = y0; y < y1; y++) {
            b.get(b.position() + y * f.pitchBytes() + x0 * 4, out, o, (x1 - x0) * 4);
            o += (x1 - x0) * 4;
        }
        return out;
    }

    @Test
    void frameIsHostBgraWithPitchWidthTimes4() {
        VideoFrame f = render(source(new SceneHolder(), CLOCK), W, H, 0);
        assertEquals(VideoFrame.Kind.HOST_BGRA, f.kind());
        assertEquals(W, f.width());
        assertEquals(H, f.height());
        assertEquals(W * 4, f.pitchBytes());
        assertTrue(f.hostBuffer().isDirect());
        assertEquals(0, f.hostBuffer().position());
        assertEquals(W * H * 4, f.hostBuffer().remaining());
    }

    @Test
    void bufferIsReusedForSameSizeAndReallocatedOnResize() {
        TestPatternSource s = source(new SceneHolder(), CLOCK);
        VideoFrame a = render(s, 640, 360, 0);
        pixelWrite(a);
        VideoFrame b = render(s, 640, 360, 1);
        // same memory: a write through a's view shows in b's (before it was overwritten by rendering)
        a.hostBuffer().put(0, (byte) 7);
        assertEquals(7, b.hostBuffer().get(0));
        VideoFrame c = render(s, 320, 240, 2);
        assertEquals(320 * 4, c.pitchBytes());
        assertEquals(320 * 240 * 4, c.hostBuffer().remaining());
        c.hostBuffer().put(0, (byte) 9);
        assertEquals(7, b.hostBuffer().get(0), "resize allocates a new buffer");
    }

    private static void pixelWrite(VideoFrame f) {
        f.hostBuffer().put(0, (byte) 1);
    }

    @Test
    void barColoursAtKnownPositionsAt1080p() {
        VideoFrame f = render(source(new SceneHolder(), CLOCK), W, H, 0);
        int[] expected = {0xFFBFBFBF, 0xFFBFBF00, 0xFF00BFBF, 0xFF00BF00, 0xFFBF00BF, 0xFFBF0000, 0xFF0000BF, 0xFF000000};
        assertEquals(8, BAR_COLORS.size());
        for (int i = 0; i < 8; i++) {
            assertEquals(expected[i], (int) BAR_COLORS.get(i));
            int x0 = i * 240, x1 = i * 240 + 239;
            for (int y : new int[] {0, 400, 809}) {
                assertEquals(expected[i], pixel(f, x0, y), "bar " + i + " left edge x=" + x0 + " y=" + y);
                assertEquals(expected[i], pixel(f, x1, y), "bar " + i + " right edge x=" + x1 + " y=" + y);
                assertEquals(expected[i], pixel(f, x0 + 120, y), "bar " + i + " centre y=" + y);
            }
        }
        // raw bytes of yellow are B,G,R,A = 00 BF BF FF
        ByteBuffer b = f.hostBuffer();
        int i = 300 * 4;
        assertArrayEquals(new byte[] {0, (byte) 0xBF, (byte) 0xBF, (byte) 0xFF},
                new byte[] {b.get(i), b.get(i + 1), b.get(i + 2), b.get(i + 3)});
        // info strip below the bars
        assertEquals(STRIP, pixel(f, 1919, 810));
        assertEquals(STRIP, pixel(f, 1919, 1079));
    }

    @Test
    void layoutAt1080p() {
        PatternLayout l = PatternLayout.of(W, H);
        assertEquals(810, l.barsBottom());
        for (int i = 0; i <= 8; i++) {
            assertEquals(i * 240, l.barX(i));
        }
        assertEquals(120, l.boxW());
        assertEquals(8, l.boxSpeed());
        assertEquals(13, l.textScale());
        assertEquals(971, l.clockX());
        assertTrue(l.clockX() > l.counterX() + PatternLayout.COUNTER_DIGITS * 6 * l.textScale());
    }

    @Test
    void movingBoxMovesWithFrameNumber() {
        TestPatternSource s = source(new SceneHolder(), CLOCK);
        PatternLayout l = PatternLayout.of(W, H);
        int y = l.boxY() + l.boxH() / 2;
        VideoFrame f0 = render(s, W, H, 0);
        assertEquals(BOX, pixel(f0, 0, y));
        assertEquals(BOX, pixel(f0, 119, y));
        assertEquals(STRIP, pixel(f0, 120, y));
        assertEquals(STRIP, pixel(f0, 200, y));
        assertEquals(STRIP, pixel(f0, 0, l.boxY() - 1));
        VideoFrame f10 = render(s, W, H, 10); // x = 80
        assertEquals(STRIP, pixel(f10, 79, y));
        assertEquals(BOX, pixel(f10, 80, y));
        assertEquals(BOX, pixel(f10, 199, y));
        assertEquals(STRIP, pixel(f10, 200, y));
        assertEquals(STRIP, pixel(f10, 0, y), "the old position is cleared");
        // wraps: travel 1800 px = 225 frames
        VideoFrame f225 = render(s, W, H, 225);
        assertEquals(BOX, pixel(f225, 0, y));
    }

    @Test
    void counterRegionChangesBetweenFrameNumbersAndShowsDigits() {
        TestPatternSource s = source(new SceneHolder(), CLOCK);
        PatternLayout l = PatternLayout.of(W, H);
        int cx = l.counterX(), ty = l.textY(), sc = l.textScale();
        int x1 = cx + 8 * 6 * sc, y1 = ty + 7 * sc;
        byte[] a = region(render(s, W, H, 1), cx, ty, x1, y1);
        byte[] b = region(render(s, W, H, 2), cx, ty, x1, y1);
        assertFalse(Arrays.equals(a, b), "counter region must differ between frames 1 and 2");
        byte[] c = region(render(s, W, H, 1), cx, ty, x1, y1);
        assertArrayEquals(a, c, "same frame number, same counter pixels");

        // frame 12345678: check each digit's glyph dots at their centres
        VideoFrame f = render(s, W, H, 12_345_678L);
        String digits = "12345678";
        for (int d = 0; d < 8; d++) {
            char ch = digits.charAt(d);
            for (int row = 0; row < 7; row++) {
                for (int col = 0; col < 5; col++) {
                    int px = cx + (d * 6 + col) * sc + sc / 2;
                    int py = ty + row * sc + sc / 2;
                    int expected = Font5x7.lit(ch, col, row) ? TEXT : STRIP;
                    assertEquals(expected, pixel(f, px, py), "digit " + ch + " dot " + col + "," + row);
                }
            }
        }
    }

    @Test
    void clockShowsWallTime() {
        PatternLayout l = PatternLayout.of(W, H);
        VideoFrame f = render(source(new SceneHolder(), CLOCK), W, H, 0);
        String text = "12:34:56.789";
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            for (int row = 0; row < 7; row++) {
                for (int col = 0; col < 5; col++) {
                    int px = l.clockX() + (i * 6 + col) * l.textScale() + l.textScale() / 2;
                    int py = l.textY() + row * l.textScale() + l.textScale() / 2;
                    assertEquals(Font5x7.lit(ch, col, row) ? TEXT : STRIP, pixel(f, px, py),
                            "clock char '" + ch + "' dot " + col + "," + row);
                }
            }
        }
        Clock later = Clock.fixed(Instant.parse("2024-01-02T12:34:57.000Z"), ZoneOffset.UTC);
        VideoFrame g = render(source(new SceneHolder(), later), W, H, 0);
        assertFalse(Arrays.equals(region(f, l.clockX(), l.textY(), W, H), region(g, l.clockX(), l.textY(), W, H)));
    }

    @Test
    void sceneShapesAppearOnTop() {
        SceneHolder holder = new SceneHolder();
        TestPatternSource s = source(holder, CLOCK);
        assertEquals(BAR_WHITE, pixel(render(s, W, H, 0), 100, 100));
        holder.swap(new Scene("t", List.of(
                new Shape(Shape.Kind.RECT, 0.0, 0.0, 0.1, 0.1, "#FF0000"),       // x 0..191, y 0..107
                new Shape(Shape.Kind.CIRCLE, 0.5, 0.5, 0.1, 0.1 * 16 / 9, "#0000ff")))); // x 960..1151, y 540..731
        VideoFrame f = render(s, W, H, 0);
        assertEquals(0xFFFF0000, pixel(f, 0, 0));
        assertEquals(0xFFFF0000, pixel(f, 191, 107));
        assertEquals(BAR_WHITE, pixel(f, 192, 50), "right of the rect: white bar again");
        assertEquals(BAR_YELLOW, pixel(render(s, W, H, 0), 240, 50));
        assertEquals(BAR_WHITE, pixel(f, 100, 108), "below the rect: white bar");
        // circle centre (1056, 636), radius 96
        assertEquals(0xFF0000FF, pixel(f, 1056, 636));
        assertEquals(0xFF0000FF, pixel(f, 1056 - 90, 636));
        assertEquals(0xFF0000FF, pixel(f, 1056, 636 + 90));
        assertEquals(BAR_MAGENTA, pixel(f, 962, 542), "corner of the bounding box is outside the circle");
        assertEquals(BAR_GREEN, pixel(f, 955, 636), "left of the circle: green bar");
    }

    @Test
    void demoSceneRendersIntoPixels() throws Exception {
        SceneHolder holder = new SceneHolder();
        new SceneFileLoader(holder, 0).load(java.net.URI.create("scene:demo"), SceneFileLoaderTest.recorder());
        VideoFrame f = render(source(holder, CLOCK), W, H, 0);
        // first demo shape: rect #ff8000 at x 0.05..0.15, y 0.10..0.30 -> (96..287, 108..323)
        assertEquals(0xFFFF8000, pixel(f, 96, 108));
        assertEquals(0xFFFF8000, pixel(f, 287, 323));
        assertEquals(BAR_WHITE, pixel(f, 95, 108));
    }

    @Test
    void oddSizesRenderWithoutError() {
        TestPatternSource s = source(new SceneHolder(), CLOCK);
        for (int[] size : new int[][] {{1, 1}, {7, 3}, {33, 17}, {641, 479}, {3840, 2160}}) {
            VideoFrame f = render(s, size[0], size[1], 12345);
            assertEquals(size[0] * 4, f.pitchBytes());
            if (size[0] >= 8 && size[1] >= 4) {
                assertEquals(BAR_WHITE, pixel(f, 0, 0));
                assertEquals(BAR_BLACK, pixel(f, size[0] - 1, 0));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> render(s, 0, 10, 0));
    }
}
