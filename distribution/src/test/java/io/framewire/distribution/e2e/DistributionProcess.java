package io.framewire.distribution.e2e;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The shipped distribution started as a person starts it: a copy of {@code target/framewire} in a
 * home of its own, its {@code load/*.cfg} written by the test, Felix in a separate JVM. The WebRTC
 * transport serves on 127.0.0.1 at a free port with a fixed access token.
 */
final class DistributionProcess implements AutoCloseable {
    private final Path home;
    private final Path log;
    private final int port;
    private final String token;
    private final Process process;

    private DistributionProcess(Path home, int port, String token, Process process) {
        this.home = home;
        this.log = home.resolve("server.log");
        this.port = port;
        this.token = token;
        this.process = process;
    }

    /**
     * @param name         the home folder's name under the IT work folder
     * @param serverConfig the lines of {@code io.framewire.server.cfg}
     * @param token        the WebRTC access token
     * @param heap         the server's fixed, pre-touched heap (e.g. 768m): resident memory then
     *                     grows only with native memory and class metadata
     */
    static DistributionProcess start(String name, List<String> serverConfig, String token, String heap) throws IOException {
        Path dist = Paths.get(System.getProperty("framewire.home", "target/framewire"));
        assertTrue("the distribution must be assembled first: " + dist, Files.isRegularFile(dist.resolve("bin/felix.jar")));
        Path home = Paths.get(System.getProperty("framewire.it.work", "target/it")).resolve(name);
        deleteTree(home);
        for (String folder : List.of("bin", "bundle", "conf")) {
            copyTree(dist.resolve(folder), home.resolve(folder));
        }
        Files.createDirectories(home.resolve("load"));
        int port = freePort();
        writeConfig(home, "io.framewire.server.cfg", serverConfig);
        // the transport owns its HTTP address and port
        writeConfig(home, "io.framewire.webrtc.cfg", List.of("bindAddress=127.0.0.1", "httpPort=" + port, "accessToken=" + token));
        Process process = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-jar", "bin/felix.jar").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("server.log").toFile()).start();
        return new DistributionProcess(home, port, token, process);
    }

    /** Rewrites {@code io.framewire.server.cfg}; FileInstall hands it to the running server. */
    void writeServerConfig(List<String> lines) throws IOException {
        writeConfig(home, "io.framewire.server.cfg", lines);
    }

    private static void writeConfig(Path home, String file, List<String> lines) throws IOException {
        Files.writeString(home.resolve("load").resolve(file), String.join("\n", lines) + "\n");
    }

    /** @return the web client's URL, without the statistics overlay */
    String pageUrl() {
        return "http://127.0.0.1:" + port + "/?token=" + token + "&overlay=0";
    }

    int port() {
        return port;
    }

    /** @return the server's home folder (its {@code load/} is watched) */
    Path home() {
        return home;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** @return the body of {@code GET /health} */
    String health() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    void awaitLog(String text, long timeoutMs) throws Exception {
        awaitLogMatching(Pattern.quote(text), timeoutMs, m -> true, text);
    }

    void awaitLogMatching(String regex, long timeoutMs, Predicate<Matcher> test, String what) throws Exception {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    Matcher m = pattern.matcher(line);
                    if (m.find() && test.test(m)) {
                        return;
                    }
                }
            }
            if (!process.isAlive()) {
                fail("the server exited (" + process.exitValue() + "):\n" + tail(40));
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what + " in the server log:\n" + tail(40));
    }

    /** @return the last lines of the server's log */
    String tail(int lines) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
