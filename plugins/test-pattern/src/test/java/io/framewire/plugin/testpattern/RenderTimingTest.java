package io.framewire.plugin.testpattern;

import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Measures (and reports, never asserts) the render time at 1920x1080. Results in target/render-timing.txt. */
class RenderTimingTest {

    @Test
    void measureRenderTimeAt1080p() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (PatternContent content : PatternContent.values()) {
            lines.append(measure(content)).append(System.lineSeparator());
        }
        System.out.print(lines);
        Files.writeString(Path.of("target", "render-timing.txt"), lines);
    }

    private static String measure(PatternContent content) throws Exception {
        SceneHolder holder = new SceneHolder();
        new SceneFileLoader(holder, 0).load(URI.create("scene:demo"), SceneFileLoaderTest.recorder());
        TestPatternSource s = new TestPatternSource(holder, content);
        FrameRequest[] warm = new FrameRequest[1];
        for (int i = 0; i < 300; i++) {
            warm[0] = new FrameRequest(1920, 1080, i, i * 16_667L);
            s.render(warm[0]);
        }
        int frames = 600;
        long max = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            long a = System.nanoTime();
            VideoFrame f = s.render(new FrameRequest(1920, 1080, 300 + i, (300 + i) * 16_667L));
            long d = System.nanoTime() - a;
            max = Math.max(max, d);
            if (i == 0) {
                assertEquals(1920 * 4, f.pitchBytes());
            }
        }
        double avgMs = (System.nanoTime() - t0) / 1e6 / frames;
        return String.format(Locale.ROOT, "test-pattern 1920x1080 (demo scene, content %s): avg %.3f ms/frame, max %.3f ms over %d frames (%d cores, %s)",
                content.name().toLowerCase(Locale.ROOT), avgMs, max / 1e6, frames, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"));
    }
}
