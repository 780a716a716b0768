package io.framewire.plugin.testpattern;

import io.framewire.api.VideoFrame;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.util.Arrays;

import static io.framewire.plugin.testpattern.TestPatternSourceTest.CLOCK;
import static io.framewire.plugin.testpattern.TestPatternSourceTest.H;
import static io.framewire.plugin.testpattern.TestPatternSourceTest.W;
import static io.framewire.plugin.testpattern.TestPatternSourceTest.pixel;
import static io.framewire.plugin.testpattern.TestPatternSourceTest.region;
import static io.framewire.plugin.testpattern.TestPatternSourceTest.render;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PatternContent#NOISE}: what changes from frame to frame, what stays, and its configuration. */
class NoiseContentTest {

    private static TestPatternSource noisy() {
        TestPatternSource s = new TestPatternSource(new SceneHolder(), CLOCK);
        s.setContent(PatternContent.NOISE);
        return s;
    }

    @Test
    void everyTileOfTheBarsAreaChangesFromOneFrameToTheNext() {
        TestPatternSource s = noisy();
        PatternLayout l = PatternLayout.of(W, H);
        for (long frame = 0; frame < 5; frame++) {
            byte[][] tilesBefore = tiles(render(s, W, H, frame), l);
            byte[][] tilesAfter = tiles(render(s, W, H, frame + 1), l);
            for (int t = 0; t < tilesBefore.length; t++) {
                byte[] a = tilesBefore[t];
                byte[] b = tilesAfter[t];
                int changed = 0;
                for (int i = 0; i < a.length; i += 4) {
                    if (a[i] != b[i] || a[i + 1] != b[i + 1] || a[i + 2] != b[i + 2]) {
                        changed++;
                    }
                }
                // independent noise of ±40: a pixel keeps its value with probability about 1/81
                assertTrue(changed > a.length / 4 * 9 / 10, "frame " + frame + " -> " + (frame + 1) + ", tile " + t
                        + ": only " + changed + " of " + a.length / 4 + " pixels changed");
            }
        }
    }

    /** The bars area cut into the noise's tiles. */
    private static byte[][] tiles(VideoFrame f, PatternLayout l) {
        int tx = (W + NoisyBars.TILE_W - 1) / NoisyBars.TILE_W;
        int ty = (l.barsBottom() + NoisyBars.TILE_H - 1) / NoisyBars.TILE_H;
        byte[][] out = new byte[tx * ty][];
        for (int y = 0; y < ty; y++) {
            for (int x = 0; x < tx; x++) {
                out[y * tx + x] = region(f, x * NoisyBars.TILE_W, y * NoisyBars.TILE_H,
                        Math.min(W, (x + 1) * NoisyBars.TILE_W), Math.min(l.barsBottom(), (y + 1) * NoisyBars.TILE_H));
            }
        }
        return out;
    }

    @Test
    void theBarsStayRecognisableUnderTheNoise() {
        VideoFrame f = render(noisy(), W, H, 3);
        PatternLayout l = PatternLayout.of(W, H);
        for (int bar = 0; bar < 8; bar++) {
            int expected = TestPatternSource.BAR_COLORS.get(bar);
            long[] sum = new long[3];
            int n = 0;
            boolean anyDifferent = false;
            for (int y = 0; y < l.barsBottom(); y += 7) {
                for (int x = l.barX(bar); x < l.barX(bar + 1); x += 5) {
                    int p = pixel(f, x, y);
                    anyDifferent |= p != expected;
                    sum[0] += (p >> 16) & 0xFF;
                    sum[1] += (p >> 8) & 0xFF;
                    sum[2] += p & 0xFF;
                    n++;
                }
            }
            assertTrue(anyDifferent, "bar " + bar + " has noise");
            for (int c = 0; c < 3; c++) {
                int want = (expected >> (16 - 8 * c)) & 0xFF;
                // zero-mean noise; where a channel is 0 the noise is folded back at 0: mean |noise| = 20.2
                assertEquals(want == 0 ? 20.2 : want, sum[c] / (double) n, 2, "bar " + bar + " channel " + c);
            }
        }
    }

    @Test
    void theInfoStripIsTheSameAsWithTheBars() {
        TestPatternSource bars = new TestPatternSource(new SceneHolder(), CLOCK);
        PatternLayout l = PatternLayout.of(W, H);
        byte[] plain = region(render(bars, W, H, 42), 0, l.barsBottom(), W, H);
        byte[] withNoise = region(render(noisy(), W, H, 42), 0, l.barsBottom(), W, H);
        assertArrayEquals(plain, withNoise, "box, counter and clock are drawn the same");
    }

    @Test
    void switchingBackToBarsDrawsThePlainBars() {
        TestPatternSource s = noisy();
        render(s, W, H, 1);
        s.setContent(PatternContent.BARS);
        VideoFrame f = render(s, W, H, 2);
        for (int bar = 0; bar < 8; bar++) {
            assertEquals(TestPatternSource.BAR_COLORS.get(bar), pixel(f, PatternLayout.of(W, H).barX(bar) + 3, 10));
        }
    }

    @Test
    void contentIsParsedFromTheConfiguration() {
        assertEquals(PatternContent.NOISE, PatternContent.parse("noise"));
        assertEquals(PatternContent.NOISE, PatternContent.parse(" NOISE "));
        assertEquals(PatternContent.BARS, PatternContent.parse(""));
        assertEquals(PatternContent.BARS, PatternContent.parse(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PatternContent.parse("static"));
        assertTrue(e.getMessage().contains("content=static") && e.getMessage().contains("bars or noise"), e.getMessage());
    }

    @Test
    void aConfigurationChangeAppliesAndABadValueKeepsTheCurrentContent() {
        TestPatternSource s = new TestPatternSource(new SceneHolder(), config("noise"));
        assertEquals(PatternContent.NOISE, s.content());
        s.modified(config("bogus"));
        assertEquals(PatternContent.NOISE, s.content());
        s.modified(config("bars"));
        assertEquals(PatternContent.BARS, s.content());
        assertFalse(Arrays.asList(PatternContent.values()).isEmpty());
    }

    private static TestPatternSource.Config config(String content) {
        return new TestPatternSource.Config() {
            @Override
            public String content() {
                return content;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return TestPatternSource.Config.class;
            }
        };
    }
}
