package io.framewire.testing;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives Debian's headless Chromium through the DevTools protocol (a WebSocket), with nothing but
 * the JDK: start it, open a page, evaluate JavaScript (awaiting promises), take screenshots and
 * dispatch mouse events. Enough for the end-to-end tests; no Node, no driver download.
 */
public final class ChromeDevTools implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending;
    private final String sessionId;

    private ChromeDevTools(Process process, Path profile, WebSocket socket,
                           Map<Integer, CompletableFuture<Map<String, Object>>> pending) throws Exception {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        this.pending = pending;
        Map<String, Object> target = call(null, "Target.createTarget", Map.of("url", "about:blank"));
        Map<String, Object> attached = call(null, "Target.attachToTarget",
                Map.of("targetId", target.get("targetId"), "flatten", true));
        this.sessionId = (String) attached.get("sessionId");
        call(sessionId, "Page.enable", Map.of());
        call(sessionId, "Runtime.enable", Map.of());
    }

    /** @return the Chromium binary, or null when it is not installed */
    public static String findChromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /** Starts headless Chromium with a fresh profile and attaches to a new page. */
    public static ChromeDevTools launch(String binary, int windowWidth, int windowHeight) throws Exception {
        Path profile = Files.createTempDirectory("framewire-chromium");
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--window-size=" + windowWidth + "," + windowHeight,
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroyForcibly();
                throw new IOException("Chromium did not start; log:\n" + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(portFile);
        URI endpoint = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
        Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(endpoint, new Listener(pending)).get(10, TimeUnit.SECONDS);
        return new ChromeDevTools(process, profile, socket, pending);
    }

    /** Sends a DevTools command and waits for its result. */
    public Map<String, Object> call(String session, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        pending.put(id, result);
        synchronized (socket) {
            socket.sendText(JSON.std.asString(message), true).get(10, TimeUnit.SECONDS);
        }
        Map<String, Object> reply = result.get(60, TimeUnit.SECONDS);
        if (reply.containsKey("error")) {
            throw new IOException(method + " failed: " + reply.get("error"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) reply.getOrDefault("result", Map.of());
        return value;
    }

    /** Navigates and waits for the load event (roughly: polls document.readyState). */
    public void navigate(String url) throws Exception {
        call(sessionId, "Page.navigate", Map.of("url", url));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!"complete".equals(evaluate("document.readyState"))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("page did not load: " + url);
            }
            Thread.sleep(50);
        }
    }

    /** Evaluates an expression in the page; promises are awaited; the value comes back as JSON types. */
    public Object evaluate(String expression) throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("expression", expression);
        params.put("awaitPromise", true);
        params.put("returnByValue", true);
        Map<String, Object> result = call(sessionId, "Runtime.evaluate", params);
        if (result.containsKey("exceptionDetails")) {
            throw new IOException("script failed: " + expression + " -> " + result.get("exceptionDetails"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> remote = (Map<String, Object>) result.get("result");
        return remote.get("value");
    }

    /** Runs {@code source} in every document this page loads from now on, before the page's own scripts. */
    public void addScriptOnNewDocument(String source) throws Exception {
        call(sessionId, "Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
    }

    /** Sets the page's viewport size (CSS pixels). */
    public void setViewport(int width, int height) throws Exception {
        call(sessionId, "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** @return a PNG screenshot of the viewport */
    public byte[] screenshot() throws Exception {
        Map<String, Object> shot = call(sessionId, "Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode((String) shot.get("data"));
    }

    /** Clicks at viewport coordinates (CSS pixels). */
    public void click(double x, double y) throws Exception {
        for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", type);
            event.put("x", x);
            event.put("y", y);
            event.put("button", type.equals("mouseMoved") ? "none" : "left");
            event.put("clickCount", type.equals("mouseMoved") ? 0 : 1);
            call(sessionId, "Input.dispatchMouseEvent", event);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            deleteProfile();
        }
    }

    /**
     * Deletes the temporary profile. Chromium's child processes may still create or remove files
     * in it for a moment after the browser process is gone, so a file that vanishes mid-walk is
     * not an error, and the walk is retried a few times.
     */
    private void deleteProfile() throws InterruptedException {
        for (int attempt = 0; attempt < 5 && Files.exists(profile); attempt++) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                Thread.sleep(200); // a file came or went during the walk: look again
            }
        }
    }

    /** Collects WebSocket text frames (possibly split) and completes the matching command's future. */
    private static final class Listener implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<Map<String, Object>>> pending;
        private final StringBuilder partial = new StringBuilder();

        Listener(Map<Integer, CompletableFuture<Map<String, Object>>> pending) {
            this.pending = pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                dispatch(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void dispatch(String text) {
            try {
                Map<String, Object> message = JSON.std.mapFrom(text);
                Object id = message.get("id");
                if (id instanceof Number) {
                    CompletableFuture<Map<String, Object>> future = pending.remove(((Number) id).intValue());
                    if (future != null) {
                        future.complete(message);
                    }
                }
            } catch (IOException e) {
                // events we did not ask for, or not JSON: ignored
            }
        }
    }
}
