package io.framewire.plugin.testpattern;

import io.framewire.api.spi.Plugins;
import io.framewire.api.spi.StageLoadContext;
import io.framewire.api.spi.StageLoader;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.framewire.api.spi.LogText;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A stage loader ({@code framewire.name=scene-json}) for JSON {@link Scene}s, swapped into the
 * {@link SceneHolder} that {@link TestPatternSource} draws.
 *
 * <p>URIs it loads:
 * <ul>
 *   <li>{@code file:/path/to/scene.json}: a scene file (the path must end in {@code .json}) inside one
 *       of the configured {@code sceneRoots}; with no roots (the default) every {@code file:} URI is
 *       refused. The path is normalised first ({@code ..} cannot leave a root) and its real path
 *       (symbolic links followed) must be inside a root's real path too;</li>
 *   <li>{@code scene:NAME}: a scene built into this bundle, read from the bundle resource
 *       {@code scenes/NAME.json} ({@code scene:demo}, {@code scene:blank}); NAME is letters, digits,
 *       {@code -} and {@code _}.</li>
 * </ul>
 * Either may carry the query parameter {@code delayMillis=N} (or its alias {@code loadDelayMillis=N})
 * to override the configured artificial delay, e.g. {@code scene:demo?delayMillis=10000}.
 *
 * <p>A load reads and parses the scene first (a bad document fails at once, the old scene stays),
 * then waits the artificial delay in steps of at most {@value #STEP_MILLIS} ms, reporting
 * {@link StageLoadContext#progress} after every step and returning early, without changing the scene,
 * when {@link StageLoadContext#isCancelled()}; then it swaps the scene in and reports 1.0.
 *
 * <p>A refusal or a bad file throws a {@link SceneFormatException} whose message names the URI and a
 * short reason ("not inside a scene root", "not found", "not valid scene JSON (at shapes[0].color)")
 * and never any of the file's content: the runtime shows that message to peers.
 *
 * <p>Configuration Admin PID {@value #PID}: {@code loadDelayMillis} (default 0), {@code sceneRoots}
 * (default none: {@code file:} refused).
 */
@Component(service = StageLoader.class, property = Plugins.NAME + "=scene-json", configurationPid = SceneFileLoader.PID)
@Designate(ocd = SceneFileLoader.Config.class)
public class SceneFileLoader implements StageLoader {

    /** The configuration PID. */
    public static final String PID = "io.framewire.plugin.testpattern.loader";
    /** The longest sleep between two progress reports / cancellation checks. */
    public static final long STEP_MILLIS = 100;
    /** The URI scheme of built-in scenes. */
    public static final String SCENE_SCHEME = "scene";

    private static final Logger LOG = LoggerFactory.getLogger(SceneFileLoader.class);
    private static final Pattern SCENE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    /** The largest scene file read, in bytes: scenes are small, and a peer must not make us read a huge file. */
    public static final long MAX_SCENE_BYTES = 1 << 20;

    /** The loader's configuration. */
    @ObjectClassDefinition(name = "Framewire scene-json loader",
            description = "Loads JSON scenes for the test-pattern source.")
    public @interface Config {
        /** @return an artificial delay added to every load, ms; a URI's delayMillis overrides it */
        @AttributeDefinition(name = "Load delay (ms)", min = "0",
                description = "Artificial delay of each load, in milliseconds (progress is reported during it). "
                        + "A URI query parameter delayMillis overrides it.")
        long loadDelayMillis() default 0;

        /** @return absolute folders that file: scenes may come from; empty = file: URIs refused */
        @AttributeDefinition(name = "Scene roots",
                description = "Absolute folders that file: scene URIs may point into (subfolders included; "
                        + "symbolic links must not lead out). Empty = file: URIs are refused; scene: built-ins always work.")
        String[] sceneRoots() default {};
    }

    private final SceneHolder scenes;
    private volatile long loadDelayMillis;
    private volatile List<Path> sceneRoots;

    /** DS constructor. */
    @Activate
    public SceneFileLoader(@Reference(name = "scenes") SceneHolder scenes, Config config) {
        this(scenes, config.loadDelayMillis(), roots(config.sceneRoots()));
    }

    /** For tests and embedding: a fixed configured delay, no scene roots (file: refused). */
    SceneFileLoader(SceneHolder scenes, long loadDelayMillis) {
        this(scenes, loadDelayMillis, List.of());
    }

    /** For tests and embedding: a fixed configured delay and scene roots (absolute folders). */
    SceneFileLoader(SceneHolder scenes, long loadDelayMillis, List<Path> sceneRoots) {
        this.scenes = scenes;
        this.loadDelayMillis = checkDelay("loadDelayMillis", loadDelayMillis);
        this.sceneRoots = checkRoots(sceneRoots);
    }

    @Modified
    void modified(Config config) {
        List<Path> roots = roots(config.sceneRoots());
        this.loadDelayMillis = checkDelay("loadDelayMillis", config.loadDelayMillis());
        this.sceneRoots = roots;
    }

    /** @return the configured scene roots, normalised */
    public List<Path> sceneRoots() {
        return sceneRoots;
    }

    private static List<Path> roots(String[] configured) {
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < configured.length; i++) {
            String value = configured[i] == null ? "" : configured[i].trim();
            if (value.isEmpty()) {
                continue; // an empty entry is how Config Admin files spell "none"
            }
            try {
                roots.add(Path.of(value));
            } catch (InvalidPathException e) {
                throw new SceneFormatException("sceneRoots[" + i + "]", value, "is not a valid path: " + e.getReason());
            }
        }
        return checkRoots(roots);
    }

    private static List<Path> checkRoots(List<Path> roots) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            Path root = roots.get(i);
            if (!root.isAbsolute()) {
                throw new SceneFormatException("sceneRoots[" + i + "]", root.toString(), "must be an absolute folder");
            }
            out.add(root.normalize());
        }
        return List.copyOf(out);
    }

    /** @return the configured delay, ms */
    public long loadDelayMillis() {
        return loadDelayMillis;
    }

    @Override
    public boolean canLoad(URI uri) {
        if (uri == null || uri.getScheme() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            String path = uri.getPath();
            return path != null && path.toLowerCase(Locale.ROOT).endsWith(".json");
        }
        if (scheme.equals(SCENE_SCHEME)) {
            return SCENE_NAME.matcher(sceneName(uri)).matches();
        }
        return false;
    }

    @Override
    public void load(URI uri, StageLoadContext context) throws Exception {
        if (!canLoad(uri)) {
            throw new SceneFormatException("uri", uri, "is not a file:...json or scene:NAME URI");
        }
        long delay = delayFor(uri);
        context.progress(0.0, "reading " + uri);
        Scene scene = parse(uri, read(uri));
        if (context.isCancelled()) {
            LOG.info("load of {} cancelled before the delay; scene '{}' stays", LogText.of(uri.toString()),
                    scenes.current().name());
            return;
        }
        context.progress(0.1, "parsed scene '" + scene.name() + "' (" + scene.shapes().size() + " shapes)");
        if (delay > 0) {
            long start = System.nanoTime();
            long elapsed = 0;
            while (elapsed < delay) {
                Thread.sleep(Math.min(STEP_MILLIS, delay - elapsed));
                elapsed = Math.min(delay, (System.nanoTime() - start) / 1_000_000);
                if (context.isCancelled()) {
                    LOG.info("load of {} cancelled after {} of {} ms; scene '{}' stays", LogText.of(uri.toString()), elapsed, delay,
                            scenes.current().name());
                    return;
                }
                context.progress(0.1 + 0.85 * elapsed / delay, "artificial delay " + elapsed + "/" + delay + " ms");
            }
        }
        if (context.isCancelled()) {
            return;
        }
        Scene previous = scenes.swap(scene);
        LOG.info("loaded scene '{}' ({} shapes) from {}, replacing '{}'", LogText.of(scene.name()),
                scene.shapes().size(), LogText.of(uri.toString()), LogText.of(previous.name()));
        context.progress(1.0, "loaded scene '" + scene.name() + "'");
    }

    /** @return the delay for {@code uri}: its delayMillis / loadDelayMillis parameter, else the configured one */
    long delayFor(URI uri) {
        String query = query(uri);
        if (query != null) {
            for (String param : query.split("&")) {
                int eq = param.indexOf('=');
                String key = eq < 0 ? param : param.substring(0, eq);
                if (key.equals("delayMillis") || key.equals("loadDelayMillis")) {
                    String value = eq < 0 ? "" : param.substring(eq + 1);
                    try {
                        return checkDelay(key, Long.parseLong(value));
                    } catch (NumberFormatException e) {
                        throw new SceneFormatException(key, value, "must be a whole number of milliseconds >= 0");
                    }
                }
            }
        }
        return loadDelayMillis;
    }

    private static long checkDelay(String field, long value) {
        if (value < 0) {
            throw new SceneFormatException(field, value, "must be >= 0 milliseconds");
        }
        return value;
    }

    private static String query(URI uri) {
        if (uri.isOpaque()) {
            String ssp = uri.getSchemeSpecificPart();
            int q = ssp.indexOf('?');
            return q < 0 ? null : ssp.substring(q + 1);
        }
        return uri.getQuery();
    }

    private static String sceneName(URI uri) {
        String ssp = uri.getSchemeSpecificPart();
        if (ssp == null) {
            return "";
        }
        int q = ssp.indexOf('?');
        return q < 0 ? ssp : ssp.substring(0, q);
    }

    /** Parses a scene; for a file, the refusal names the URI and the JSON path, never the file's content. */
    private static Scene parse(URI uri, String json) {
        if (SCENE_SCHEME.equalsIgnoreCase(uri.getScheme())) {
            return Scene.fromJson(json); // built into the bundle: its text is no secret
        }
        try {
            return Scene.fromJson(json);
        } catch (SceneFormatException e) {
            String at = "(document)".equals(e.field()) ? "" : " (at " + e.field() + ")";
            throw new SceneFormatException("uri", uri.toString(), "not valid scene JSON" + at);
        }
    }

    private String read(URI uri) throws IOException {
        if (SCENE_SCHEME.equalsIgnoreCase(uri.getScheme())) {
            String name = sceneName(uri);
            String resource = "/scenes/" + name + ".json";
            try (InputStream in = SceneFileLoader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new SceneFormatException("scene name", name, "no built-in scene (no bundle resource "
                            + resource.substring(1) + ")");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Path real = resolveFile(uri);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(real)) {
            bytes = in.readNBytes((int) MAX_SCENE_BYTES + 1); // bounded even if the file grows meanwhile
        }
        if (bytes.length > MAX_SCENE_BYTES) {
            throw refused(uri, "too large (more than " + MAX_SCENE_BYTES + " bytes)");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * @return the real path of a file: URI's scene file, known to lie inside a scene root
     * @throws SceneFormatException naming the URI and why it is refused
     */
    Path resolveFile(URI uri) {
        List<Path> roots = sceneRoots;
        if (roots.isEmpty()) {
            throw refused(uri, "file: scenes are off (no sceneRoots configured in " + PID + ")");
        }
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw refused(uri, "a file: URI with a host is not supported");
        }
        String rawPath = uri.getPath();
        Path path;
        try {
            path = rawPath == null ? null : Path.of(rawPath);
        } catch (InvalidPathException e) {
            throw refused(uri, "not a valid path");
        }
        if (path == null || !path.isAbsolute()) {
            throw refused(uri, "not an absolute path");
        }
        Path normal = path.normalize();
        if (roots.stream().noneMatch(normal::startsWith)) {
            throw refused(uri, "not inside a scene root");
        }
        Path real;
        try {
            real = normal.toRealPath();
        } catch (IOException e) {
            throw refused(uri, "not found");
        }
        // a symbolic link inside a root must not lead out of every root
        boolean inside = false;
        for (Path root : roots) {
            try {
                if (real.startsWith(root.toRealPath())) {
                    inside = true;
                    break;
                }
            } catch (IOException e) {
                // this root does not exist (yet): nothing is inside it
            }
        }
        if (!inside) {
            throw refused(uri, "not inside a scene root");
        }
        if (!Files.isRegularFile(real)) {
            throw refused(uri, "not a regular file");
        }
        return real;
    }

    private static SceneFormatException refused(URI uri, String reason) {
        return new SceneFormatException("uri", uri.toString(), reason);
    }
}
