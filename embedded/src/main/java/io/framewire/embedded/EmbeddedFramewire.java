package io.framewire.embedded;

import io.framewire.api.StreamServer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The Framewire container inside a host process: an Apache Felix framework running the bundles of a
 * distribution folder ({@code bundle/}), as {@code ./framewire} does, but started by code, so that
 * the host (a Python interpreter through JPype, or any JVM program) calls the
 * {@link StreamServer} service directly, in-process.
 *
 * <h2>One API on both sides</h2>
 * The host has {@code framewire-api.jar} on its class path and the framework's system bundle
 * exports its packages (the versions are read from that jar's own {@code Export-Package}, so they
 * have one owner); the api bundle is therefore not installed, and every bundle wires the API to the
 * host's classes. A {@link io.framewire.api.VideoFrame} built by the host is the very type the
 * runtime takes.
 *
 * <h2>Configuration</h2>
 * The caller's configurations (PID to properties) are put into Configuration Admin after it starts
 * and before any other bundle starts, so the server's first session already has the caller's size
 * and input (no restart). FileInstall watches {@code pluginsDir}: plugin jars and {@code .cfg} files
 * for other PIDs dropped there work as in the distribution's {@code load/}.
 *
 * <p>A bundle that fails to start is reported by {@link #problems()} and logged; the others run.
 */
public final class EmbeddedFramewire implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedFramewire.class.getName());
    /** The API bundle's file in {@code bundle/}: served by the host's class path instead. */
    static final String API_BUNDLE = "framewire-api.jar";
    private static final String CONFIG_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIG_ADMIN_BUNDLE = "org.apache.felix.configadmin";
    /**
     * SPI Fly reports every ServiceLoader provider it registers at INFO through java.util.logging,
     * before the runtime routes that logging to SLF4J: one screenful in the host's terminal. Held
     * here so the level set on it stays (JUL keeps loggers weakly).
     */
    private static final java.util.logging.Logger SPIFLY_LOG = java.util.logging.Logger.getLogger("org.apache.aries.spifly");

    private final Framework framework;
    private final ServiceTracker<StreamServer, StreamServer> servers;
    private final List<String> problems;
    private final Path pluginsDir;

    private EmbeddedFramewire(Framework framework, ServiceTracker<StreamServer, StreamServer> servers,
                              List<String> problems, Path pluginsDir) {
        this.framework = framework;
        this.servers = servers;
        this.problems = problems;
        this.pluginsDir = pluginsDir;
    }

    /**
     * Starts the container and waits for the {@link StreamServer} service.
     *
     * @param home           a distribution folder: {@code bundle/} and {@code conf/config.properties}
     * @param workDir        where the framework keeps its bundle cache (created; emptied at start)
     * @param pluginsDir     the folder FileInstall watches (created), or null for {@code workDir/load}
     * @param configurations Configuration Admin PID to properties, applied before the plugins start
     * @param timeoutMillis  how long to wait for the server service
     * @return the running container
     * @throws IllegalArgumentException naming the path when {@code home} is not a distribution
     * @throws IllegalStateException when no server service appears within the timeout (the container is stopped)
     */
    public static EmbeddedFramewire start(Path home, Path workDir, Path pluginsDir,
                                          Map<String, Map<String, Object>> configurations, long timeoutMillis)
            throws Exception {
        if (SPIFLY_LOG.getLevel() == null) {
            SPIFLY_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        Path bundleDir = home.resolve("bundle");
        Path apiJar = bundleDir.resolve(API_BUNDLE);
        if (!Files.isRegularFile(apiJar)) {
            throw new IllegalArgumentException("home=" + home + ": not a Framewire distribution (no bundle/" + API_BUNDLE + ")");
        }
        Path plugins = pluginsDir != null ? pluginsDir : workDir.resolve("load");
        Files.createDirectories(plugins);
        Map<String, String> properties = frameworkProperties(home, workDir, plugins, apiJar);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, EmbeddedFramewire.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException(
                        "no OSGi framework on the class path (bin/felix.jar of the distribution)"));
        Framework framework = factory.newFramework(properties);
        framework.init();
        framework.start();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        ServiceTracker<StreamServer, StreamServer> servers = null;
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> bundles = install(context, bundleDir, problems);
            Bundle configAdmin = bundles.stream().filter(b -> CONFIG_ADMIN_BUNDLE.equals(b.getSymbolicName()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(
                            "home=" + home + ": bundle/ has no Configuration Admin (" + CONFIG_ADMIN_BUNDLE + ")"));
            startAll(List.of(configAdmin), problems);
            for (Map.Entry<String, Map<String, Object>> c : configurations.entrySet()) {
                configure(context, c.getKey(), c.getValue());
            }
            startAll(bundles, problems);
            servers = new ServiceTracker<>(context, StreamServer.class, null);
            servers.open();
            if (servers.waitForService(timeoutMillis) == null) {
                throw new IllegalStateException("no StreamServer service within " + timeoutMillis + " ms; bundle problems: "
                        + problems);
            }
            return new EmbeddedFramewire(framework, servers, problems, plugins);
        } catch (Exception | Error e) {
            if (servers != null) {
                servers.close();
            }
            stop(framework, timeoutMillis);
            throw e;
        }
    }

    /** Felix's settings from the distribution's {@code conf/config.properties}, for embedding. */
    static Map<String, String> frameworkProperties(Path home, Path workDir, Path plugins, Path apiJar) throws IOException {
        Properties conf = new Properties();
        Path confFile = home.resolve("conf/config.properties");
        if (Files.isRegularFile(confFile)) {
            try (InputStream in = Files.newInputStream(confFile)) {
                conf.load(in);
            }
        }
        Map<String, String> properties = new HashMap<>();
        conf.stringPropertyNames().stream()
                .filter(k -> !k.startsWith("felix.auto.")) // the launcher's auto-deploy: installing is done here
                .forEach(k -> properties.put(k, conf.getProperty(k)));
        properties.put(Constants.FRAMEWORK_STORAGE, workDir.resolve("felix-cache").toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports(apiJar));
        properties.put("felix.fileinstall.dir", plugins.toString());
        // the plugins folder is the caller's: FileInstall must only read it. Its write-back of
        // configurations to their .cfg files raced its own first update and now and then emptied a
        // .cfg it had just read (seen in the Python tests: the file at 0 bytes, the configuration
        // without its properties)
        properties.put("felix.fileinstall.enableConfigSave", "false");
        return properties;
    }

    /** @return the api bundle's {@code Export-Package}: the host's class path serves exactly these */
    static String apiExports(Path apiJar) throws IOException {
        try (JarFile jar = new JarFile(apiJar.toFile())) {
            String exports = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null || exports.isBlank()) {
                throw new IllegalArgumentException("apiJar=" + apiJar + ": has no Export-Package");
            }
            return exports;
        }
    }

    private static List<Bundle> install(BundleContext context, Path bundleDir, List<String> problems) throws IOException {
        List<Bundle> bundles = new ArrayList<>();
        List<Path> jars;
        try (Stream<Path> files = Files.list(bundleDir)) {
            jars = files.filter(p -> p.toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().equals(API_BUNDLE)).sorted().toList();
        }
        for (Path jar : jars) {
            try {
                bundles.add(context.installBundle(jar.toUri().toString()));
            } catch (BundleException e) {
                problems.add(jar.getFileName() + ": not installed: " + e.getMessage());
                LOG.log(System.Logger.Level.ERROR, "Bundle " + jar.getFileName() + " not installed", e);
            }
        }
        return bundles;
    }

    private static void startAll(List<Bundle> bundles, List<String> problems) {
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null || b.getState() == Bundle.ACTIVE) {
                continue; // fragments attach to their host; they are not started
            }
            try {
                b.start();
            } catch (BundleException | RuntimeException e) {
                problems.add(b.getSymbolicName() + ": not started: " + e.getMessage());
                LOG.log(System.Logger.Level.ERROR, "Bundle " + b.getSymbolicName() + " not started", e);
            }
        }
    }

    /**
     * Creates or updates a configuration through Configuration Admin. Its API is exported by the
     * Configuration Admin bundle, not by the host's class path, so it is called reflectively through
     * the types that bundle loads.
     */
    private static void configure(BundleContext context, String pid, Map<String, Object> properties) throws Exception {
        ServiceReference<?> ref = context.getServiceReference(CONFIG_ADMIN);
        if (ref == null) {
            throw new IllegalStateException("Configuration Admin is not running");
        }
        Object admin = context.getService(ref);
        try {
            Bundle provider = ref.getBundle();
            Class<?> adminType = provider.loadClass(CONFIG_ADMIN);
            Class<?> configurationType = provider.loadClass("org.osgi.service.cm.Configuration");
            // "?": a multi-location configuration, visible to whichever bundle owns the PID
            Object configuration = adminType.getMethod("getConfiguration", String.class, String.class).invoke(admin, pid, "?");
            configurationType.getMethod("update", java.util.Dictionary.class).invoke(configuration, new Hashtable<>(properties));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            context.ungetService(ref);
        }
    }

    /** @return the running server (the service of the runtime bundle) */
    public StreamServer server() {
        StreamServer server = servers.getService();
        if (server == null) {
            throw new IllegalStateException("the StreamServer service is gone (the runtime bundle stopped)");
        }
        return server;
    }

    /**
     * Creates or updates one configuration while running, as an edit of a {@code .cfg} file in the
     * distribution's {@code load/} does (e.g. PID {@code io.framewire.server}: plugin names, fps and
     * bitrate change live; a new size restarts the session).
     */
    public void configure(String pid, Map<String, Object> properties) throws Exception {
        configure(framework.getBundleContext(), pid, properties);
    }

    /** @return symbolic name to state (INSTALLED, RESOLVED, STARTING, ACTIVE, ...) of every bundle */
    public Map<String, String> bundles() {
        Map<String, String> states = new LinkedHashMap<>();
        for (Bundle b : framework.getBundleContext().getBundles()) {
            states.put(b.getSymbolicName(), stateName(b.getState()));
        }
        return states;
    }

    /** @return bundles that could not be installed or started, one line each (empty when all run) */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** @return the folder FileInstall watches for plugin jars and configuration files */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** Stops every bundle and the framework (the server closes its session, native memory included). Idempotent. */
    @Override
    public void close() {
        ServiceReference<StreamServer> server = servers.getServiceReference();
        servers.close();
        if (server != null && server.getBundle() != null) {
            try {
                // the server first: its session ends while its encoder and transport are still there
                // (stopped in bundle order, they would go first and the session would fall back)
                server.getBundle().stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, "The server bundle did not stop cleanly", e);
            }
        }
        stop(framework, TimeUnit.SECONDS.toMillis(30));
    }

    private static void stop(Framework framework, long timeoutMillis) {
        try {
            framework.stop();
            if (framework.waitForStop(timeoutMillis).getType() == org.osgi.framework.FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.log(System.Logger.Level.WARNING, "The framework did not stop within " + timeoutMillis + " ms");
            }
        } catch (BundleException e) {
            LOG.log(System.Logger.Level.ERROR, "The framework did not stop cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> String.valueOf(state);
        };
    }
}
