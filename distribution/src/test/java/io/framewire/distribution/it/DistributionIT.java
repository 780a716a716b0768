package io.framewire.distribution.it;

import io.framewire.api.HealthReport;
import io.framewire.api.StreamServer;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.Plugins;
import io.framewire.api.spi.Transport;
import io.framewire.distribution.it.thirdparty.ThirdPartyActivator;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.Configuration.ConfigurationAttribute;
import org.osgi.service.cm.ConfigurationAdmin;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

/**
 * The shipped distribution in a real Felix: exactly the jars of {@code target/framewire/bundle}
 * (plus Pax Exam's JUnit bundles), configured through Configuration Admin.
 *
 * <p>No JUnit assumptions here: Pax Exam reports a failed assumption as a pass.
 *
 * <p>The runtime bundle is installed but started by the test, after its configuration and the
 * transports' (which own the HTTP address and port) exist, so no transport ever serves on the
 * default port 8080 (which a running ./framewire may hold). That is
 * why Pax Exam logs "Bundle [io.framewire.runtime] is not resolved" at start-up: it is resolved and
 * started by {@link #startConfiguredServer()}, and the first test checks every shipped bundle is ACTIVE.
 *
 * <p>{@code pax.exam.logging=none} (set in the pom) keeps pax-logging-api out of the container, so
 * the bundles log through the shipped slf4j-api and slf4j-simple.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT {
    private static final String PID = "io.framewire.server";
    /** The null transport's PID: it serves /health on its own bindAddress and httpPort. */
    private static final String NULL_TRANSPORT_PID = "io.framewire.nulltransport";
    private static final String WEBRTC_PID = "io.framewire.webrtc";
    private static final String RUNTIME_BSN = ShippedBundles.RUNTIME_BSN;
    private static final String THIRD_PARTY_LOCATION = "framewire-it:third-party-source";

    private static final String P_BUNDLE_DIR = "framewire.it.bundleDir";
    private static final String P_THIRD_PARTY_JAR = "framewire.it.thirdPartyJar";

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FPS = 30;

    /** Set once per container (the probe class stays loaded between the methods of this class). */
    private static int httpPort;

    private BundleContext context;
    private StreamServer server;

    // ---------------------------------------------------------------- the container (driver side)

    @Configuration
    public Option[] config() throws IOException {
        List<Option> options = ShippedBundles.provision();

        File work = new File(ShippedBundles.requiredProperty("framewire.it.work"));
        File load = new File(work, "load");
        Files.createDirectories(load.toPath());
        Path thirdParty = work.toPath().resolve("third-party-source.jar");
        ThirdPartyBundle.write(thirdParty);

        options.add(junitBundles());
        options.add(cleanCaches());
        options.add(frameworkProperty(P_BUNDLE_DIR).value(ShippedBundles.bundleDir().getPath()));
        options.add(frameworkProperty(P_THIRD_PARTY_JAR).value(thirdParty.toString()));
        // FileInstall watches an empty folder of its own, not the distribution's load/
        options.add(frameworkProperty("felix.fileinstall.dir").value(load.getPath()));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        return options(options.toArray(new Option[0]));
    }


    // ---------------------------------------------------------------- set-up (in the container)

    @Before
    public void startConfiguredServer() throws Exception {
        context = FrameworkUtil.getBundle(getClass()).getBundleContext();
        if (httpPort == 0) {
            httpPort = ShippedBundles.freePort();
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("width", WIDTH);
            props.put("height", HEIGHT);
            props.put("fps", FPS);
            props.put("source", "test-pattern");
            props.put("encoder", "auto");
            props.put("transport", "null");
            configuration(NULL_TRANSPORT_PID).update(httpSettings(httpPort));
            configuration(WEBRTC_PID).update(httpSettings(0)); // not used here; never on the default 8080
            configuration(PID).update(props);
        } else {
            setSource("test-pattern"); // every test starts from the shipped source
        }
        Bundle runtime = installed(RUNTIME_BSN);
        if (runtime.getState() != Bundle.ACTIVE) {
            runtime.start();
        }
        server = awaitService(StreamServer.class, null, 10_000);
        awaitTrue("the server is READY at " + WIDTH + "x" + HEIGHT, 10_000,
                () -> server.isReady() && server.health().state() == HealthReport.State.READY
                        && server.config().width() == WIDTH && server.config().height() == HEIGHT);
    }

    // ---------------------------------------------------------------- tests

    @Test
    public void shippedBundlesAreActiveAndTheServerStreams() throws Exception {
        File bundleDir = new File(context.getProperty(P_BUNDLE_DIR));
        File[] jars = bundleDir.listFiles((dir, name) -> name.endsWith(".jar"));
        assertNotNull(jars);
        List<String> problems = new ArrayList<>();
        for (File jar : jars) {
            Bundle b = context.getBundle(jar.toURI().toString());
            if (b == null) {
                problems.add(jar.getName() + ": not installed");
                continue;
            }
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                problems.add(b.getSymbolicName() + " " + stateName(b.getState()) + ", expected " + stateName(expected));
            }
        }
        assertTrue("Shipped bundles not as expected: " + problems + "\nAll bundles:\n" + bundleTable(), problems.isEmpty());
        for (String bsn : new String[] {"io.framewire.api", RUNTIME_BSN, "io.framewire.plugin.testpattern",
                "io.framewire.plugin.nullencoder", "io.framewire.plugin.nulltransport", "org.apache.felix.scr",
                "org.apache.felix.configadmin", "org.apache.felix.fileinstall"}) {
            assertEquals(bsn + " state", Bundle.ACTIVE, installed(bsn).getState());
        }

        assertEquals(HealthReport.State.READY, server.health().state());
        assertTrue(server.isReady());
        awaitFramesSentRise(10, 5_000);

        HttpURLConnection http = (HttpURLConnection) new URL("http://localhost:" + httpPort + "/health").openConnection();
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
        assertTrue("Content-Type " + http.getContentType(), String.valueOf(http.getContentType()).startsWith("application/json"));
        assertTrue("/health body: " + body, body.contains("\"READY\""));
        assertTrue("/health body: " + body, body.contains("framesSent"));
    }

    @Test
    public void thirdPartySourceInstalledAtRuntimeIsPickedUpByConfiguration() throws Exception {
        Bundle thirdParty = installAndStartThirdParty();
        ServiceReference<FrameSource> ref = awaitServiceReference(FrameSource.class,
                "(" + Plugins.NAME + "=" + ThirdPartyActivator.NAME + ")", 5_000);
        assertEquals(thirdParty, ref.getBundle());
        LongSupplier renders = awaitService(LongSupplier.class, "(" + ThirdPartyActivator.PROBE_PROPERTY + "="
                + ThirdPartyActivator.PROBE_RENDERS + ")", 5_000);
        long before = renders.getAsLong();

        setSource(ThirdPartyActivator.NAME);
        awaitTrue("the third-party source renders (count was " + before + ")", 10_000,
                () -> renders.getAsLong() >= before + 15);

        // It keeps rendering, every frame is valid, and the stream stays up.
        HealthReport h0 = server.health();
        long r0 = renders.getAsLong();
        awaitTrue("frames keep coming from the third-party source", 5_000,
                () -> renders.getAsLong() >= r0 + 15
                        && server.health().counters().framesSent() >= h0.counters().framesSent() + 15);
        HealthReport h1 = server.health();
        assertEquals("READY with the third-party source: " + h1, HealthReport.State.READY, h1.state());
        assertEquals("the third-party frames must all be valid: " + h1, h0.counters().sourceErrors(), h1.counters().sourceErrors());
    }

    @Test
    public void stoppingTheActiveSourceBundleDoesNotStopTheStream() throws Exception {
        Bundle thirdParty = installAndStartThirdParty();
        LongSupplier renders = awaitService(LongSupplier.class, "(" + ThirdPartyActivator.PROBE_PROPERTY + "="
                + ThirdPartyActivator.PROBE_RENDERS + ")", 5_000);
        setSource(ThirdPartyActivator.NAME);
        long r0 = renders.getAsLong();
        awaitTrue("the third-party source renders", 10_000, () -> renders.getAsLong() >= r0 + 10);

        thirdParty.stop();
        long stoppedAt = System.nanoTime();
        HealthReport atStop = server.health();

        // Watch the stream for ~1.2 s: READY throughout, frames sent in every part of the window.
        long windowMs = 1_200;
        long lastSent = atStop.counters().framesSent();
        long lastProgressAt = stoppedAt;
        List<String> samples = new ArrayList<>();
        while (elapsedMs(stoppedAt) < windowMs) {
            HealthReport h = server.health();
            samples.add(elapsedMs(stoppedAt) + "ms:" + h.state() + "/" + h.counters().framesSent() + "/"
                    + h.counters().framesRepeated());
            assertEquals("state after the source bundle stopped; samples " + samples, HealthReport.State.READY, h.state());
            if (h.counters().framesSent() > lastSent) {
                lastSent = h.counters().framesSent();
                lastProgressAt = System.nanoTime();
            }
            assertTrue("no frame sent for 500 ms after the source bundle stopped; samples " + samples,
                    (System.nanoTime() - lastProgressAt) / 1_000_000 < 500);
            Thread.sleep(50);
        }
        HealthReport after = server.health();
        HealthReport.Counters c0 = atStop.counters();
        HealthReport.Counters c1 = after.counters();
        assertTrue("framesSent " + c0.framesSent() + " -> " + c1.framesSent() + " in " + windowMs + " ms at " + FPS
                + " fps", c1.framesSent() >= c0.framesSent() + FPS / 2);
        assertTrue("framesRepeated " + c0.framesRepeated() + " -> " + c1.framesRepeated()
                + ": the last good frame should be repeated", c1.framesRepeated() >= c0.framesRepeated() + FPS / 3);

        // Back to the shipped source: the stream goes on, with new pictures again.
        setSource("test-pattern");
        awaitTrue("new (not repeated) frames with source=test-pattern", 10_000, () -> {
            HealthReport a = server.health();
            Thread.sleep(500); // a measuring window, polled until it shows fresh pictures
            HealthReport b = server.health();
            long sent = b.counters().framesSent() - a.counters().framesSent();
            long repeated = b.counters().framesRepeated() - a.counters().framesRepeated();
            return b.state() == HealthReport.State.READY && sent >= 5 && repeated * 2 < sent;
        });
        assertEquals(HealthReport.State.READY, server.health().state());
    }

    @Test
    public void theBitstreamFileSourcePlaysTheShippedSamplePassedThrough() throws Exception {
        File sample = new File(new File(context.getProperty(P_BUNDLE_DIR)).getParentFile(), "samples/testsrc-1080p30.h264");
        assertTrue("the distribution ships " + sample, sample.isFile());
        Dictionary<String, Object> file = new Hashtable<>();
        file.put("path", sample.getPath());
        file.put("loop", true);
        configuration("io.framewire.bitstreamfile").update(file);
        org.osgi.service.cm.Configuration c = configuration(PID);
        Dictionary<String, Object> before = c.getProperties();
        Dictionary<String, Object> bitstream = copy(before);
        bitstream.put("width", 1920);
        bitstream.put("height", 1080);
        bitstream.put("videoInput", "H264");
        bitstream.put("source", "bitstream-file");
        c.update(bitstream);
        try {
            awaitTrue("an H264 passthrough session at 1920x1080 is READY", 20_000,
                    () -> server.config().videoInput() == io.framewire.api.VideoInput.H264 && server.isReady()
                            && server.health().state() == HealthReport.State.READY);
            HealthReport a = server.health();
            Thread.sleep(2_000);
            HealthReport b = server.health();
            long sent = b.counters().framesSent() - a.counters().framesSent();
            assertTrue("about 60 units in 2 s at 30 fps, sent " + sent + ": " + b, sent >= 45);
            assertEquals("every unit of the file is accepted: " + b, a.counters().framesRefused(), b.counters().framesRefused());
            assertEquals("a playing file repeats nothing: " + b, a.counters().framesRepeated(), b.counters().framesRepeated());
            ServiceReference<io.framewire.api.spi.EncoderFactory> passthrough = awaitServiceReference(
                    io.framewire.api.spi.EncoderFactory.class, "(" + Plugins.NAME + "=bitstream-h264)", 5_000);
            assertEquals("io.framewire.plugin.bitstream", passthrough.getBundle().getSymbolicName());
        } finally {
            c.update(before);
            awaitTrue("back to the BGRA session", 20_000, () -> server.config().videoInput() == io.framewire.api.VideoInput.BGRA
                    && server.config().width() == WIDTH && server.health().state() == HealthReport.State.READY);
        }
    }

    /**
     * Every plugin bundle stopped, started, updated, uninstalled and installed again while the stream
     * runs: a transport of the test's own notes every frame, and no gap between two frames reaches
     * two frame intervals. The encoder bundle's removal falls back to the null encoder (auto).
     *
     * <p>On a loaded machine the pacer's own scheduling jitter alone can pass two intervals, whatever
     * the bundles do; so quiet windows (no bundle operation) are measured in the same run, between the
     * bundles, and the limit is the larger of two intervals and the largest quiet gap plus one
     * interval: a bundle operation may not cost a frame beyond what the machine costs anyway.
     */
    @Test
    public void everyPluginBundleComesAndGoesWithoutAGapInTheStream() throws Exception {
        GapRecorder recorder = new GapRecorder();
        Dictionary<String, Object> name = new Hashtable<>();
        name.put(Plugins.NAME, GapRecorder.NAME);
        ServiceRegistration<Transport> registration = context.registerService(Transport.class, recorder, name);
        List<String> results = new ArrayList<>();
        double limitMillis = 2 * 1000.0 / FPS;
        double quietMillis = 0;
        try {
            setSetting("transport", GapRecorder.NAME);
            awaitTrue("the recorder gets frames", 10_000, () -> recorder.frames() > 30);
            Thread.sleep(500);
            recorder.takeLargestGapMillis(); // the window starts now
            List<Bundle> plugins = new ArrayList<>();
            for (Bundle b : context.getBundles()) {
                boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
                if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.framewire.plugin.") && !fragment) {
                    plugins.add(b);
                }
            }
            assertTrue("plugin bundles found: " + plugins, plugins.size() >= 6);
            for (Bundle b : plugins) {
                String bsn = b.getSymbolicName();
                String location = b.getLocation();
                long framesBefore = recorder.frames();
                b.stop();
                if (bsn.equals("io.framewire.plugin.ffmpeg")) {
                    awaitTrue("the encoder falls back to the null encoder", 5_000,
                            () -> "null".equals(server.health().plugins().encoder()));
                }
                results.add(bsn + " stop " + gapAfter(recorder));
                b.start();
                results.add(bsn + " start " + gapAfter(recorder));
                b.update();
                results.add(bsn + " update " + gapAfter(recorder));
                b.uninstall();
                results.add(bsn + " uninstall " + gapAfter(recorder));
                Bundle again = context.installBundle(location);
                again.start();
                results.add(bsn + " install " + gapAfter(recorder));
                assertTrue(bsn + ": frames went on (" + framesBefore + " -> " + recorder.frames() + ")",
                        recorder.frames() > framesBefore + FPS);
                Thread.sleep(QUIET_WINDOW_MILLIS);
                quietMillis = Math.max(quietMillis, recorder.takeLargestGapMillis());
            }
        } finally {
            setSetting("transport", "null");
            registration.unregister();
        }
        double limit = Math.max(limitMillis, quietMillis + 1000.0 / FPS);
        System.out.printf(java.util.Locale.ROOT, "Largest gaps between sent frames, ms (limit %.1f; largest quiet gap %.1f): %s%n",
                limit, quietMillis, results);
        for (String r : results) {
            double gap = Double.parseDouble(r.substring(r.lastIndexOf(' ') + 1));
            assertTrue("gap while " + r + " ms (largest quiet gap " + quietMillis + "); all: " + results, gap < limit);
        }
        awaitTrue("the server is READY again with the shipped plugins", 10_000,
                () -> server.health().state() == HealthReport.State.READY
                        && "libx264".equals(server.health().plugins().encoder()));
    }

    /** Lets the change settle over 15 frame intervals and returns the largest gap in it. */
    /** A window with no bundle operation, after each bundle's five: the machine's own jitter. */
    private static final long QUIET_WINDOW_MILLIS = 1500;

    private static String gapAfter(GapRecorder recorder) throws InterruptedException {
        Thread.sleep(15 * 1000L / FPS);
        return String.format(java.util.Locale.ROOT, "%.1f", recorder.takeLargestGapMillis());
    }

    /** Selecting a source that is not installed keeps the running one, and /health says so. */
    @Test
    public void aMissingSelectionKeepsTheRunningSourceAndIsReportedInHealth() throws Exception {
        setSource("no-such-camera");
        try {
            awaitTrue("health names the missing source", 5_000, () -> server.health().problems().stream()
                    .anyMatch(p -> p.startsWith("source 'no-such-camera' is not installed")));
            HttpURLConnection http = (HttpURLConnection) new URL("http://localhost:" + httpPort + "/health").openConnection();
            int status = http.getResponseCode();
            String body;
            try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                http.disconnect();
            }
            assertEquals("still streaming the kept source: " + body, 200, status);
            assertTrue(body, body.contains("\"source\":\"test-pattern\""));
            assertTrue(body, body.contains("source 'no-such-camera' is not installed"));
            HealthReport a = server.health();
            Thread.sleep(500);
            HealthReport b = server.health();
            long sent = b.counters().framesSent() - a.counters().framesSent();
            long repeated = b.counters().framesRepeated() - a.counters().framesRepeated();
            assertTrue("new pictures from the kept source: " + sent + " sent, " + repeated + " repeated",
                    sent >= FPS / 3 && repeated * 2 < sent);
        } finally {
            setSource("test-pattern");
        }
        awaitTrue("the problem is gone", 5_000, () -> server.health().problems().isEmpty());
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> props) {
        Dictionary<String, Object> out = new Hashtable<>();
        for (java.util.Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            out.put(k, props.get(k));
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private Bundle installAndStartThirdParty() throws Exception {
        Bundle b = context.getBundle(THIRD_PARTY_LOCATION);
        if (b == null) {
            try (InputStream in = Files.newInputStream(Path.of(context.getProperty(P_THIRD_PARTY_JAR)))) {
                b = context.installBundle(THIRD_PARTY_LOCATION, in);
            }
        }
        b.start();
        assertEquals("third-party bundle state", Bundle.ACTIVE, b.getState());
        return b;
    }

    private static Dictionary<String, Object> httpSettings(int port) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("bindAddress", "127.0.0.1");
        props.put("httpPort", port);
        return props;
    }

    private org.osgi.service.cm.Configuration configuration(String pid) throws Exception {
        ConfigurationAdmin cm = awaitService(ConfigurationAdmin.class, null, 10_000);
        org.osgi.service.cm.Configuration c = cm.getConfiguration(pid, "?");
        assertFalse(c.getAttributes().contains(ConfigurationAttribute.READ_ONLY));
        return c;
    }

    private void setSource(String source) throws Exception {
        setSetting("source", source);
    }

    private void setSetting(String key, Object value) throws Exception {
        org.osgi.service.cm.Configuration c = configuration(PID);
        Dictionary<String, Object> props = c.getProperties();
        assertNotNull("the server configuration exists", props);
        props.put(key, value);
        c.update(props);
    }

    private void awaitFramesSentRise(long delta, long timeoutMs) throws Exception {
        long start = server.health().counters().framesSent();
        awaitTrue("framesSent rises by " + delta + " from " + start, timeoutMs,
                () -> server.health().counters().framesSent() >= start + delta);
    }

    private <T> T awaitService(Class<T> type, String filter, long timeoutMs) throws Exception {
        ServiceReference<T> ref = awaitServiceReference(type, filter, timeoutMs);
        T service = context.getService(ref);
        assertNotNull(type.getSimpleName() + " service went away", service);
        return service;
    }

    private <T> ServiceReference<T> awaitServiceReference(Class<T> type, String filter, long timeoutMs)
            throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            Collection<ServiceReference<T>> refs = context.getServiceReferences(type, filter);
            if (!refs.isEmpty()) {
                return refs.iterator().next();
            }
            if (System.nanoTime() > deadline) {
                fail("No " + type.getName() + (filter == null ? "" : " " + filter) + " service within " + timeoutMs
                        + " ms.\nBundles:\n" + bundleTable());
            }
            Thread.sleep(20);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private void awaitTrue(String what, long timeoutMs, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                String health = server == null ? "no server" : String.valueOf(server.health());
                fail("Timed out after " + timeoutMs + " ms waiting until " + what + "; health " + health);
            }
            Thread.sleep(20);
        }
    }

    private Bundle installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("No bundle " + symbolicName + " installed.\nBundles:\n" + bundleTable());
    }

    private String bundleTable() {
        return Arrays.stream(context.getBundles())
                .map(b -> String.format("  %3d %-10s %s %s", b.getBundleId(), stateName(b.getState()), b.getSymbolicName(),
                        b.getVersion()))
                .collect(Collectors.joining("\n"));
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            default: return String.valueOf(state);
        }
    }

    private static long elapsedMs(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

}
