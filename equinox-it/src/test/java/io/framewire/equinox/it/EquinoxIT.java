package io.framewire.equinox.it;

import io.framewire.api.HealthReport;
import io.framewire.api.StreamServer;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.options.UrlProvisionOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.ConfigurationAdmin;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

/**
 * The shipped distribution in Eclipse Equinox: exactly the jars of
 * {@code distribution/target/framewire/bundle} (plus Pax Exam's JUnit bundles), untouched. As in the
 * distribution's Felix test, the runtime bundle is started by the test once Configuration Admin holds
 * its settings (the null transport on a free port, 320x240 at 30 fps), so nothing ever serves on the
 * default port 8080.
 *
 * <p>The shipped slf4j-simple fragment logs to {@code target/it/framewire.log} (failsafe sets
 * {@code org.slf4j.simpleLogger.logFile}); the test reads the first-frame line there.
 *
 * <p>No JUnit assumptions here: Pax Exam reports a failed assumption as a pass.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EquinoxIT {
    private static final String RUNTIME_BSN = "io.framewire.runtime";
    private static final String P_BUNDLE_DIR = "framewire.it.bundleDir";
    private static final String P_EQUINOX_VERSION = "framewire.it.equinoxVersion";
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FPS = 30;

    // ---------------------------------------------------------------- the container (driver side)

    @Configuration
    public Option[] config() throws IOException {
        File bundleDir = new File(requiredProperty("framewire.bundle.dir")).getCanonicalFile();
        File[] jars = bundleDir.listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("No bundles in " + bundleDir + ": build the distribution (package phase) first");
        }
        Arrays.sort(jars);
        List<Option> options = new ArrayList<>();
        for (File jar : jars) {
            UrlProvisionOption option = bundle(jar.toURI().toString());
            Manifest manifest;
            try (JarFile jf = new JarFile(jar)) {
                manifest = jf.getManifest();
            }
            String bsn = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            boolean fragment = manifest.getMainAttributes().getValue(Constants.FRAGMENT_HOST) != null;
            if (fragment || RUNTIME_BSN.equals(bsn == null ? null : bsn.split(";")[0].trim())) {
                option.noStart(); // fragments cannot start; the runtime starts once it is configured
            }
            options.add(option);
        }
        File work = new File(requiredProperty("framewire.it.work"));
        File load = new File(work, "load");
        Files.createDirectories(load.toPath()); // also the folder of slf4j-simple's log file
        Path log = Path.of(requiredProperty("org.slf4j.simpleLogger.logFile"));
        Files.deleteIfExists(log);

        options.add(junitBundles());
        options.add(cleanCaches());
        options.add(frameworkProperty(P_BUNDLE_DIR).value(bundleDir.getPath()));
        options.add(frameworkProperty(P_EQUINOX_VERSION).value(requiredProperty("equinox.version")));
        // FileInstall watches an empty folder of its own, not the distribution's load/
        options.add(frameworkProperty("felix.fileinstall.dir").value(load.getPath()));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        return options(options.toArray(new Option[0]));
    }

    private static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("System property " + key + " is not set (failsafe sets it in the pom)");
        }
        return value;
    }

    // ---------------------------------------------------------------- the test (in Equinox)

    @Test
    public void shippedBundlesStreamAt30FpsInEquinox() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
        long probeStart = ManagementFactory.getRuntimeMXBean().getUptime();

        // 1. This is Equinox, and every shipped bundle resolved (the runtime is started below).
        Bundle framework = context.getBundle(0);
        assertEquals("the framework", "org.eclipse.osgi", framework.getSymbolicName());
        assertTrue("Equinox " + framework.getVersion() + ", expected " + context.getProperty(P_EQUINOX_VERSION),
                context.getProperty(P_EQUINOX_VERSION).startsWith(framework.getVersion().getMajor() + "."
                        + framework.getVersion().getMinor() + "." + framework.getVersion().getMicro()));

        // 2. Configure, then start the runtime.
        int httpPort = freePort();
        ConfigurationAdmin cm = awaitService(context, ConfigurationAdmin.class, 10_000);
        cm.getConfiguration("io.framewire.nulltransport", "?").update(httpSettings(httpPort));
        cm.getConfiguration("io.framewire.webrtc", "?").update(httpSettings(0)); // installed, not used; never 8080
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("width", WIDTH);
        props.put("height", HEIGHT);
        props.put("fps", FPS);
        props.put("source", "test-pattern");
        props.put("encoder", "auto");
        props.put("transport", "null");
        cm.getConfiguration("io.framewire.server", "?").update(props);
        Bundle runtime = installedBundle(context, RUNTIME_BSN);
        runtime.start();

        List<String> problems = new ArrayList<>();
        File[] jars = new File(context.getProperty(P_BUNDLE_DIR)).listFiles((dir, name) -> name.endsWith(".jar"));
        assertTrue("shipped bundles", jars != null && jars.length > 20);
        for (File jar : jars) {
            Bundle b = context.getBundle(jar.toURI().toString());
            if (b == null) {
                problems.add(jar.getName() + ": not installed");
                continue;
            }
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                problems.add(b.getSymbolicName() + " in state " + b.getState() + ", expected " + expected);
            }
        }
        assertTrue("Shipped bundles not as expected in Equinox: " + problems, problems.isEmpty());

        // 3. Ready at the configured size, and the first-frame line in the log.
        StreamServer server = awaitService(context, StreamServer.class, 10_000);
        awaitTrue("the server is READY at " + WIDTH + "x" + HEIGHT, 15_000,
                () -> server.isReady() && server.health().state() == HealthReport.State.READY
                        && server.config().width() == WIDTH && server.config().height() == HEIGHT);
        long ready = ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.printf("Equinox: test probe running %.1f s after the JVM started, server READY after %.1f s%n",
                probeStart / 1e3, ready / 1e3);
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        awaitTrue("'First BGRA frame ready: " + WIDTH + "x" + HEIGHT + "' in " + log, 10_000,
                () -> contains(log, "First BGRA frame ready: " + WIDTH + "x" + HEIGHT));

        // 4. Frames go out at about 30 fps.
        long f0 = server.health().counters().framesSent();
        long t0 = System.nanoTime();
        Thread.sleep(3_000);
        long f1 = server.health().counters().framesSent();
        double fps = (f1 - f0) / ((System.nanoTime() - t0) / 1e9);
        assertTrue("frames sent rise at about " + FPS + " fps: " + String.format("%.1f", fps) + " (" + f0 + " -> " + f1 + ")",
                fps > FPS * 0.8 && fps < FPS * 1.2);
        System.out.printf("Equinox: %.1f fps over 3 s (%d -> %d frames sent)%n", fps, f0, f1);

        // 5. The null transport serves /health on its configured port.
        HttpURLConnection http = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort + "/health").openConnection();
        http.setConnectTimeout(5_000);
        http.setReadTimeout(5_000);
        int status = http.getResponseCode();
        String body;
        try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
            body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            http.disconnect();
        }
        assertEquals("GET /health: " + body, 200, status);
        assertTrue("/health body: " + body, body.contains("\"READY\"") && body.contains("\"width\":" + WIDTH));

        // 6. Nothing logged an error.
        List<String> errors;
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            errors = lines.filter(l -> l.contains(" ERROR ")).collect(Collectors.toList());
        }
        assertTrue("errors in " + log + ":\n" + String.join("\n", errors), errors.isEmpty());
    }

    private static Dictionary<String, Object> httpSettings(int port) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("bindAddress", "127.0.0.1");
        props.put("httpPort", port);
        return props;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Bundle installedBundle(BundleContext context, String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        fail("no bundle " + bsn);
        return null;
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static <T> T awaitService(BundleContext context, Class<T> type, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            ServiceReference<T> ref = context.getServiceReference(type);
            if (ref != null) {
                T service = context.getService(ref);
                if (service != null) {
                    return service;
                }
            }
            Thread.sleep(100);
        }
        fail("no " + type.getSimpleName() + " service within " + timeoutMillis + " ms; not active: "
                + Stream.of(context.getBundles()).filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + "=" + b.getState()).collect(Collectors.joining(", ")));
        return null;
    }

    private static void awaitTrue(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("Timed out after " + timeoutMillis + " ms waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
