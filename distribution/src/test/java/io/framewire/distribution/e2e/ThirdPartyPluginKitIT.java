package io.framewire.distribution.e2e;

import io.framewire.testing.ChromeDevTools;
import org.junit.AfterClass;
import org.junit.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Walks docs/plugin-guide.md's "Build a plugin outside Framewire" from an empty folder: installs
 * the api as the guide says, copies examples/third-party-plugin into an empty folder, builds it with
 * Maven on its own, drops the jar into {@code load/} of a running distribution, selects it, and
 * headless Chromium shows its picture without the connection dropping.
 */
public class ThirdPartyPluginKitIT {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final String TOKEN = "kit-token-0123456789abcdef";
    private static final List<String> SERVER = List.of("width=" + WIDTH, "height=" + HEIGHT, "fps=30",
            "source=test-pattern", "encoder=libx264", "transport=webrtc");
    private static DistributionProcess server;

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void theGuidesPluginIsBuiltOutsideTheReactorDroppedInAndShownWithoutADrop() throws Exception {
        Path repo = Paths.get(System.getProperty("user.dir")).toAbsolutePath().getParent(); // distribution/..
        assertTrue("the repository root: " + repo, Files.isRegularFile(repo.resolve("examples/third-party-plugin/pom.xml")));
        Path work = Paths.get(System.getProperty("framewire.it.work", "target/it")).toAbsolutePath().resolve("kit-walk");
        deleteTree(work);
        Path plugin = work.resolve("my-plugin");

        // 1. the api in the local Maven repository (the guide's first command, in the Framewire checkout)
        run(repo, "mvn", "-q", "-B", "-ntp", "-DskipTests", "install", "-pl", "api", "-am");
        // 2. the example, copied into an empty folder and built there on its own
        copyTree(repo.resolve("examples/third-party-plugin"), plugin);
        run(plugin, "mvn", "-q", "-B", "-ntp", "package");
        Path jar = plugin.resolve("target/two-tone-source-1.0.0.jar");
        assertTrue("the plugin jar was built: " + jar, Files.isRegularFile(jar));

        server = DistributionProcess.start("kit-home", SERVER, TOKEN, "512m");
        server.awaitLog("First BGRA frame ready: " + WIDTH + "x" + HEIGHT, 60_000);
        try (ChromeDevTools chrome = Browsers.launch(WIDTH, HEIGHT)) {
            Browsers.openAndAwaitVideo(chrome, server);
            chrome.evaluate("window.__states = []; window.addEventListener('framewire:state',"
                    + " e => window.__states.push(e.detail.state)); true");
            int decodedBefore = Browsers.framesDecoded(chrome);

            // 3. dropped into load/ of the running server, then selected
            Files.copy(jar, server.home().resolve("load").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            server.awaitLog("Frame source 'two-tone' available", 20_000);
            List<String> selected = new ArrayList<>(SERVER);
            selected.set(3, "source=two-tone");
            server.writeServerConfig(selected);

            // 4. the browser shows the plugin's picture: magenta on the left, green on the right
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String seen = "";
            while (true) {
                int[] left = pixel(chrome, 0.25, 0.5);
                int[] right = pixel(chrome, 0.75, 0.5);
                seen = "left " + rgb(left) + ", right " + rgb(right);
                if (near(left, 255, 0, 255) && near(right, 0, 255, 0)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("the plugin's picture did not show within 20 s: " + seen + "\n" + server.tail(30));
                }
                Thread.sleep(200);
            }
            Thread.sleep(1000);
            assertEquals("the connection never changed state (no drop, no reconnect)", "[]",
                    String.valueOf(chrome.evaluate("JSON.stringify(window.__states)")).replace("\"", ""));
            assertTrue("frames kept being decoded", Browsers.framesDecoded(chrome) > decodedBefore + 30);
        }
    }

    private static boolean near(int[] rgb, int r, int g, int b) {
        return Math.abs(rgb[0] - r) <= 40 && Math.abs(rgb[1] - g) <= 40 && Math.abs(rgb[2] - b) <= 40;
    }

    private static int[] pixel(ChromeDevTools chrome, double fx, double fy) throws Exception {
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(chrome.screenshot()));
        int v = shot.getRGB((int) (shot.getWidth() * fx), (int) (shot.getHeight() * fy));
        return new int[]{(v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF};
    }

    private static String rgb(int[] c) {
        return String.format("#%02x%02x%02x", c[0], c[1], c[2]);
    }

    /** Runs a command (Maven) in {@code dir}; its output is shown when it fails. */
    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " did not finish", p.waitFor(10, TimeUnit.MINUTES));
        assertEquals(String.join(" ", command) + " in " + dir + " failed:\n" + out, 0, p.exitValue());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path rel = from.relativize(p);
                if (rel.startsWith("target")) {
                    continue; // a build output in the checkout is not part of the example
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
