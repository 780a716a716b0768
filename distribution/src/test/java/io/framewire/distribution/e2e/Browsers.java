package io.framewire.distribution.e2e;

import io.framewire.testing.ChromeDevTools;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

/** Headless Chromium on the distribution's web client, and what the tests read from its picture. */
final class Browsers {
    /** The test pattern's bars (top 3/4 of the picture), 75 % colours, as R, G, B. */
    static final int[][] BARS = {
        {0xBF, 0xBF, 0xBF}, {0xBF, 0xBF, 0x00}, {0x00, 0xBF, 0xBF}, {0x00, 0xBF, 0x00},
        {0xBF, 0x00, 0xBF}, {0xBF, 0x00, 0x00}, {0x00, 0x00, 0xBF}, {0x00, 0x00, 0x00},
    };

    private Browsers() {
    }

    /** @return a headless Chromium with a window (and viewport) of that size */
    static ChromeDevTools launch(int width, int height) throws Exception {
        String chromium = ChromeDevTools.findChromium();
        assertNotNull("Chromium is needed for the browser tests (apt-get install chromium; .ci/run does it)", chromium);
        ChromeDevTools chrome = ChromeDevTools.launch(chromium, width, height);
        chrome.setViewport(width, height);
        return chrome;
    }

    /** Opens the client and waits until video frames are being decoded. */
    static void openAndAwaitVideo(ChromeDevTools chrome, DistributionProcess server) throws Exception {
        chrome.navigate(server.pageUrl());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (framesDecoded(chrome) <= 5) {
            if (System.nanoTime() > deadline) {
                fail("no video decoded within 30 s; client state " + chrome.evaluate("window.framewire && framewire.state")
                        + "\nserver log tail:\n" + server.tail(30));
            }
            Thread.sleep(100);
        }
    }

    /** @return the client's decoded frame count so far (0 before the client runs) */
    static int framesDecoded(ChromeDevTools chrome) throws Exception {
        return ((Number) chrome.evaluate("(window.framewire && framewire.stats().framesDecoded) || 0")).intValue();
    }

    /**
     * Samples the screenshot across its width at 30 % of its height, where a picture that fills the
     * viewport shows the test pattern's bars.
     *
     * @return one line per bar whose colour is off by more than 40 in a channel; empty when all match
     */
    static List<String> barMismatches(ChromeDevTools chrome) throws Exception {
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(chrome.screenshot()));
        List<String> mismatches = new ArrayList<>();
        for (int bar = 0; bar < BARS.length; bar++) {
            int x = (int) ((bar + 0.5) * shot.getWidth() / BARS.length);
            int y = (int) (shot.getHeight() * 0.30);
            int rgb = shot.getRGB(x, y);
            int[] got = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
            for (int c = 0; c < 3; c++) {
                if (Math.abs(got[c] - BARS[bar][c]) > 40) {
                    mismatches.add("bar " + bar + " at (" + x + "," + y + "): got " + rgbText(got) + ", want " + rgbText(BARS[bar]));
                    break;
                }
            }
        }
        return mismatches;
    }

    private static String rgbText(int[] rgb) {
        return String.format("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }
}
