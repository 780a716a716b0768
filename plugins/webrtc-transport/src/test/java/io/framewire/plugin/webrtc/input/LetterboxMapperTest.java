package io.framewire.plugin.webrtc.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.plugin.webrtc.input.LetterboxMapper.StreamPoint;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LetterboxMapperTest {

    static final int[][] STREAMS = {{1920, 1080}, {1280, 720}, {3840, 2160}, {1080, 1920}, {1024, 768},
            {640, 480}, {1, 1}, {2560, 1080}, {333, 777}};

    @Test
    void fullHdInASquareElementIsLetterboxed() {
        LetterboxMapper m = new LetterboxMapper(1920, 1080, 1000, 1000);
        assertEquals(1000.0 / 1920, m.scale(), 1e-12);
        assertEquals(218.75, m.top(), 1e-9);
        assertEquals(0, m.left(), 1e-9);
        assertEquals(Optional.of(new StreamPoint(960, 540)), m.map(500, 500));
        assertEquals(Optional.of(new StreamPoint(0, 0)), m.map(0, 218.75));
        assertEquals(Optional.of(new StreamPoint(1919, 1079)), m.map(1000, 781.25));
        assertEquals(Optional.of(new StreamPoint(1919, 0)), m.map(999.9, 218.8));
        assertEquals(Optional.empty(), m.map(500, 100), "top bar");
        assertEquals(Optional.empty(), m.map(500, 900), "bottom bar");
        assertEquals(Optional.empty(), m.map(500, 218.7), "just above the picture");
        assertEquals(Optional.empty(), m.map(-1, 500), "outside the element");
    }

    @Test
    void portraitStreamInWideElementIsPillarboxed() {
        assertEquals(Optional.empty(), LetterboxMapper.map(1080, 1920, 1600, 900, 100, 450));
        // scale 900/1920 = 0.46875, width 506.25, left 546.875
        assertEquals(Optional.of(new StreamPoint(0, 960)), LetterboxMapper.map(1080, 1920, 1600, 900, 546.875, 450));
        assertEquals(Optional.of(new StreamPoint(540, 960)), LetterboxMapper.map(1080, 1920, 1600, 900, 800, 450));
    }

    @Test
    void exactAspectHasNoBars() {
        LetterboxMapper m = new LetterboxMapper(1280, 720, 640, 360);
        assertEquals(Optional.of(new StreamPoint(0, 0)), m.map(0, 0));
        assertEquals(Optional.of(new StreamPoint(1279, 719)), m.map(640, 360));
        assertEquals(Optional.of(new StreamPoint(2, 4)), m.map(1.2, 2.3));
    }

    @Test
    void propertiesOverRandomElementsAndStreams() {
        Random rnd = new Random(42);
        for (int round = 0; round < 5000; round++) {
            int[] s = rnd.nextInt(3) == 0
                    ? new int[] {1 + rnd.nextInt(4000), 1 + rnd.nextInt(4000)}
                    : STREAMS[rnd.nextInt(STREAMS.length)];
            int w = s[0];
            int h = s[1];
            double ew = 1 + rnd.nextDouble() * 3000;
            double eh = 1 + rnd.nextDouble() * 3000;
            if (rnd.nextInt(4) == 0) {
                ew = Math.round(ew);
                eh = Math.round(eh);
            }
            LetterboxMapper m = new LetterboxMapper(w, h, ew, eh);
            String ctx = w + "x" + h + " in " + ew + "x" + eh;
            // independently computed displayed rectangle
            double scale = Math.min(ew / w, eh / h);
            double dw = w * scale;
            double dh = h * scale;
            double left = (ew - dw) / 2;
            double top = (eh - dh) / 2;
            assertTrue(Math.abs(dw - ew) < 1e-9 * ew || Math.abs(dh - eh) < 1e-9 * eh, "fills one axis: " + ctx);

            assertEquals(Optional.of(new StreamPoint(0, 0)), m.map(left, top), "top-left " + ctx);
            assertEquals(Optional.of(new StreamPoint(w - 1, 0)), m.map(left + dw, top), "top-right " + ctx);
            assertEquals(Optional.of(new StreamPoint(0, h - 1)), m.map(left, top + dh), "bottom-left " + ctx);
            assertEquals(Optional.of(new StreamPoint(w - 1, h - 1)), m.map(left + dw, top + dh), "bottom-right " + ctx);

            StreamPoint c = m.map(ew / 2, eh / 2).orElseThrow();
            assertTrue(Math.abs(c.x() - w / 2.0) <= 1 && Math.abs(c.y() - h / 2.0) <= 1, "centre " + c + " " + ctx);

            if (left > 0.01) {
                assertEquals(Optional.empty(), m.map(left * rnd.nextDouble() * 0.99, eh * rnd.nextDouble()), "left bar " + ctx);
                assertEquals(Optional.empty(), m.map(ew - left * rnd.nextDouble() * 0.99, eh * rnd.nextDouble()), "right bar " + ctx);
            }
            if (top > 0.01) {
                assertEquals(Optional.empty(), m.map(ew * rnd.nextDouble(), top * rnd.nextDouble() * 0.99), "top bar " + ctx);
                assertEquals(Optional.empty(), m.map(ew * rnd.nextDouble(), eh - top * rnd.nextDouble() * 0.99), "bottom bar " + ctx);
            }

            // monotonic along both axes, always in range
            double y = top + dh * rnd.nextDouble();
            double x = left + dw * rnd.nextDouble();
            double x1 = left + dw * rnd.nextDouble();
            double x2 = left + dw * rnd.nextDouble();
            StreamPoint a = m.map(Math.min(x1, x2), y).orElseThrow();
            StreamPoint b = m.map(Math.max(x1, x2), y).orElseThrow();
            assertTrue(a.x() <= b.x() && a.y() == b.y(), "monotonic in x " + ctx);
            double y1 = top + dh * rnd.nextDouble();
            double y2 = top + dh * rnd.nextDouble();
            StreamPoint p = m.map(x, Math.min(y1, y2)).orElseThrow();
            StreamPoint q = m.map(x, Math.max(y1, y2)).orElseThrow();
            assertTrue(p.y() <= q.y() && p.x() == q.x(), "monotonic in y " + ctx);
            assertTrue(a.x() >= 0 && b.x() < w && p.y() >= 0 && q.y() < h, "in range " + ctx);

            // a point one stream pixel right maps one pixel right (when not clamped)
            if (w > 2) {
                double px = left + (w / 2 + 0.5) * scale;
                StreamPoint r = m.map(px, top + dh / 2).orElseThrow();
                StreamPoint r2 = m.map(px + scale, top + dh / 2).orElseThrow();
                assertEquals(r.x() + 1, r2.x(), "one stream pixel per scale step " + ctx);
            }
        }
    }

    @Test
    void invalidSizesAndPositionsAreRejectedClearly() {
        double[][] badElements = {{0, 100}, {100, -1}, {Double.NaN, 100}, {100, Double.POSITIVE_INFINITY}};
        for (double[] e : badElements) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> new LetterboxMapper(1920, 1080, e[0], e[1]));
            assertTrue(ex.getMessage().contains("element size"), ex.getMessage());
        }
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new LetterboxMapper(0, 1080, 100, 100));
        assertTrue(ex.getMessage().contains("stream size"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LetterboxMapper(1920, -5, 100, 100));
        LetterboxMapper m = new LetterboxMapper(1920, 1080, 100, 100);
        assertThrows(IllegalArgumentException.class, () -> m.map(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> m.map(1, Double.NEGATIVE_INFINITY));
    }
}
