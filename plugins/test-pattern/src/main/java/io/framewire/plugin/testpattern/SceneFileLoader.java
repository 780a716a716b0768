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

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A stage loader ({@code framewire.name=scene-json}) for JSON {@link Scene}s, swapped into the
 * {@link SceneHolder} that {@link TestPatternSource} draws.
 *
 * <p>URIs it loads:
 * <ul>
 *   <li>{@code file:/path/to/scene.json}: a scene file (the path must end in {@code .json});</li>
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
 * <p>Configuration Admin PID {@value #PID}: {@code loadDelayMillis} (default 0).
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

    /** The loader's configuration. */
    @ObjectClassDefinition(name = "Framewire scene-json loader",
            description = "Loads JSON scenes for the test-pattern source.")
    public @interface Config {
        /** @return an artificial delay added to every load, ms; a URI's delayMillis overrides it */
        @AttributeDefinition(name = "Load delay (ms)", min = "0",
                description = "Artificial delay of each load, in milliseconds (progress is reported during it). "
                        + "A URI query parameter delayMillis overrides it.")
        long loadDelayMillis() default 0;
    }

    private final SceneHolder scenes;
    private volatile long loadDelayMillis;

    /** DS constructor. */
    @Activate
    public SceneFileLoader(@Reference(name = "scenes") SceneHolder scenes, Config config) {
        this(scenes, config.loadDelayMillis());
    }

    /** For tests and embedding: a fixed configured delay. */
    SceneFileLoader(SceneHolder scenes, long loadDelayMillis) {
        this.scenes = scenes;
        this.loadDelayMillis = checkDelay("loadDelayMillis", loadDelayMillis);
    }

    @Modified
    void modified(Config config) {
        this.loadDelayMillis = checkDelay("loadDelayMillis", config.loadDelayMillis());
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
        Scene scene = Scene.fromJson(read(uri));
        if (context.isCancelled()) {
            LOG.info("load of {} cancelled before the delay; scene '{}' stays", uri, scenes.current().name());
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
                    LOG.info("load of {} cancelled after {} of {} ms; scene '{}' stays", uri, elapsed, delay,
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
        LOG.info("loaded scene '{}' ({} shapes) from {}, replacing '{}'", scene.name(), scene.shapes().size(), uri,
                previous.name());
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

    private static String read(URI uri) throws IOException {
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
        Path path = Path.of(uri.getPath());
        if (!Files.isRegularFile(path)) {
            throw new SceneFormatException("file", path, "does not exist or is not a regular file");
        }
        return Files.readString(path, StandardCharsets.UTF_8);
    }
}
