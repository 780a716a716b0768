package io.framewire.distribution.it;

import io.framewire.api.HealthReport;
import io.framewire.api.StreamServer;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
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
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
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
 * The operator shell in the shipped distribution: the jars of {@code target/framewire/bundle} in a
 * real Felix, the {@code framewire:} commands and Felix's own run through Gogo's
 * {@link CommandProcessor}, as the {@code g!} prompt runs them.
 *
 * <p>The server's configuration comes from a {@code .cfg} file in the folder FileInstall watches,
 * as in the distribution, so {@code framewire:select} is checked all the way: Configuration Admin,
 * the running session, and FileInstall writing the change back into that file.
 *
 * <p>The runtime bundle is started by the test once FileInstall has delivered the configurations,
 * so no transport ever serves on the default port 8080 (see {@link DistributionIT}). No JUnit
 * assumptions: Pax Exam reports a failed assumption as a pass.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT {
    private static final String PID = "io.framewire.server";
    private static final String RUNTIME_BSN = ShippedBundles.RUNTIME_BSN;
    /** The framework property that tells the probe where FileInstall's folder is. */
    private static final String P_LOAD_DIR = "framewire.it.shell.load";
    private static final String COMMENT = "# written by ShellIT: FileInstall keeps comments when it writes back";

    private BundleContext context;
    private StreamServer server;
    private ConfigurationAdmin configAdmin;

    // ---------------------------------------------------------------- the container (driver side)

    @Configuration
    public Option[] config() throws IOException {
        List<Option> options = ShippedBundles.provision();

        Path load = Path.of(ShippedBundles.requiredProperty("framewire.it.work"), "shell", "load");
        Files.createDirectories(load);
        try (var old = Files.list(load)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(load.resolve(PID + ".cfg"), String.join("\n", COMMENT, "width=320", "height=240", "fps=30",
                "source=test-pattern", "encoder=auto", "transport=null", ""));
        Files.writeString(load.resolve("io.framewire.nulltransport.cfg"),
                "bindAddress=127.0.0.1\nhttpPort=" + ShippedBundles.freePort() + "\n");
        // not used here; never on the default 8080
        Files.writeString(load.resolve("io.framewire.webrtc.cfg"), "bindAddress=127.0.0.1\nhttpPort=0\n");

        options.add(junitBundles());
        options.add(cleanCaches());
        options.add(frameworkProperty(P_LOAD_DIR).value(load.toString()));
        options.add(frameworkProperty("felix.fileinstall.dir").value(load.toString()));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        return options(options.toArray(new Option[0]));
    }


    // ---------------------------------------------------------------- set-up (in the container)

    @Before
    public void startConfiguredServer() throws Exception {
        context = FrameworkUtil.getBundle(getClass()).getBundleContext();
        configAdmin = awaitService(ConfigurationAdmin.class);
        for (String pid : new String[] {PID, "io.framewire.nulltransport", "io.framewire.webrtc"}) {
            awaitTrue("FileInstall delivered " + pid, 10_000, () -> configurationExists(pid));
        }
        Bundle runtime = installed(RUNTIME_BSN);
        if (runtime.getState() != Bundle.ACTIVE) {
            runtime.start();
        }
        server = awaitService(StreamServer.class);
        if (!"test-pattern".equals(configurationProperty("source"))) { // a failed test left another selection
            org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(PID, "?");
            java.util.Dictionary<String, Object> props = c.getProperties();
            props.put("source", "test-pattern");
            c.update(props);
        }
        awaitTrue("the server is READY at 320x240 with the test pattern and no problems", 10_000,
                () -> server.health().state() == HealthReport.State.READY && server.config().width() == 320
                        && "test-pattern".equals(server.health().plugins().source())
                        && server.health().problems().isEmpty());
    }

    // ---------------------------------------------------------------- tests

    @Test
    public void statusShowsTheRunningStream() throws Exception {
        HealthReport health = server.health();

        String status = (String) run("framewire:status").result;

        assertTrue(status, status.startsWith("state       READY\n"));
        assertTrue(status, Pattern.compile("\nstream      320x240, 30 fps, [A-Z0-9]+, input BGRA, 8000 kbit/s\n")
                .matcher(status).find());
        assertTrue(status, status.contains("\nsource      test-pattern\n"));
        assertTrue(status, status.contains("\nencoder     " + health.plugins().encoder() + " (selected: auto)\n"));
        assertTrue(status, status.contains("\ntransport   null\n"));
        assertTrue(status, status.contains("\nproblems    none\n"));
        assertTrue(status, Pattern.compile("\ncounters    framesSent=[1-9][0-9]* ").matcher(status).find());
    }

    @Test
    public void pluginsNamesEveryPluginWithItsBundle() throws Exception {
        String plugins = (String) run("framewire:plugins").result;

        String encoder = server.health().plugins().encoder();
        assertRow(plugins, "source", "test-pattern", "io.framewire.plugin.testpattern", "in use, selected");
        assertRow(plugins, "source", "bitstream-file", "io.framewire.plugin.bitstream", "");
        assertRow(plugins, "encoder", encoder, "io.framewire.plugin.ffmpeg", "in use \\(selected: auto\\); H264, software");
        assertRow(plugins, "encoder", "null", "io.framewire.plugin.nullencoder", "RAW, software");
        assertRow(plugins, "transport", "null", "io.framewire.plugin.nulltransport", "in use, selected");
        assertRow(plugins, "transport", "webrtc", "io.framewire.plugin.webrtc", "");
        assertRow(plugins, "stage loader", "scene-json", "io.framewire.plugin.testpattern", "in use \\(all stage loaders are\\)");
    }

    private void assertRow(String table, String kind, String name, String bsn, String state) {
        long id = installed(bsn).getBundleId();
        Pattern row = Pattern.compile("(?m)^" + Pattern.quote(kind) + " +" + Pattern.quote(name) + " +"
                + Pattern.quote(bsn + " [" + id + "]") + (state.isEmpty() ? "$" : " +" + state + "$"));
        assertTrue("no row " + row + " in\n" + table, row.matcher(table).find());
    }

    @Test
    public void selectOfAMissingSourceIsWrittenAndReportedAndTheRunningOneStays() throws Exception {
        Path cfg = Path.of(context.getProperty(P_LOAD_DIR), PID + ".cfg");
        long sentBefore = server.health().counters().framesSent();

        String answer = (String) run("framewire:select source no-such-source").result;

        assertEquals("source=no-such-source written to configuration io.framewire.server (was test-pattern)\n"
                + "WARNING: source 'no-such-source' is not installed (installed: bitstream-file, test-pattern); "
                + "'test-pattern' stays in use until it is", answer);
        assertEquals("no-such-source", configurationProperty("source"));
        assertEquals("the other keys stay", "320", configurationProperty("width"));
        awaitTrue("the runtime names the missing source in health", 5_000, () -> server.health().problems().equals(
                List.of("source 'no-such-source' is not installed (installed: bitstream-file, test-pattern); "
                        + "'test-pattern' stays in use until it is")));
        assertEquals("test-pattern", server.health().plugins().source());
        awaitTrue("frames keep flowing", 5_000, () -> server.health().counters().framesSent() > sentBefore + 10);
        awaitTrue("FileInstall writes the change back to " + cfg, 5_000, () -> read(cfg).contains("source = no-such-source\n"));
        String file = read(cfg);
        assertTrue(file, file.startsWith(COMMENT + "\n"));
        assertTrue(file, file.contains("width=320\n"));
        String status = (String) run("framewire:status").result;
        assertTrue(status, status.contains("\nsource      test-pattern (selected: no-such-source)\n"));
        assertTrue(status, status.contains("\nproblems    source 'no-such-source' is not installed"));

        answer = (String) run("framewire:select source test-pattern").result;

        assertEquals("source=test-pattern written to configuration io.framewire.server (was no-such-source)", answer);
        assertEquals("test-pattern", configurationProperty("source"));
        awaitTrue("the problem is resolved", 5_000, () -> server.health().problems().isEmpty());
        awaitTrue("FileInstall writes it back", 5_000, () -> read(cfg).contains("source = test-pattern\n"));
    }

    @Test
    public void selectRefusesAKindThatIsNotSelectable() throws Exception {
        Ran ran = run("framewire:select codec x264");

        assertNotNull("an exception, not a result: " + ran.result, ran.error);
        assertEquals("kind=codec: must be source, encoder or transport", ran.error.getMessage());
        assertEquals("test-pattern", configurationProperty("source"));
    }

    @Test
    public void felixBundleCommandsAreThereAndNoConsole() throws Exception {
        String lb = (String) run("lb -s").result;

        assertTrue(lb, lb.contains("|" + RUNTIME_BSN + " ("));
        assertTrue(lb, lb.contains("|org.apache.felix.gogo.command ("));
        for (Bundle b : context.getBundles()) {
            assertFalse("the console is started by ./framewire on a terminal only, not from bundle/: "
                    + b.getSymbolicName(), "org.apache.felix.gogo.jline".equals(b.getSymbolicName()));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A command's result, or the exception it threw, and what it printed. */
    private static final class Ran {
        Object result;
        Exception error;
        String out;
    }

    private Ran run(String command) throws Exception {
        CommandProcessor processor = awaitService(CommandProcessor.class);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Ran ran = new Ran();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            try {
                ran.result = session.execute(command);
            } catch (Exception e) {
                ran.error = e;
            }
            out.flush();
        }
        ran.out = bytes.toString(StandardCharsets.UTF_8);
        if (ran.error == null && ran.result == null && ran.out.isEmpty()) {
            fail(command + ": no result and no output");
        }
        return ran;
    }

    private boolean configurationExists(String pid) {
        try {
            return configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + pid + ")") != null;
        } catch (Exception e) {
            throw new AssertionError("listConfigurations(" + pid + ")", e);
        }
    }

    private Object configurationProperty(String key) throws Exception {
        org.osgi.service.cm.Configuration[] found =
                configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PID + ")");
        assertNotNull("no configuration " + PID, found);
        return found[0].getProperties().get(key);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private <T> T awaitService(Class<T> type) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Collection<ServiceReference<T>> refs = context.getServiceReferences(type, null);
            if (!refs.isEmpty()) {
                T service = context.getService(refs.iterator().next());
                if (service != null) {
                    return service;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("No " + type.getName() + " service within 10 s.\nBundles:\n" + bundleTable());
            }
            Thread.sleep(20);
        }
    }

    private static void awaitTrue(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Not within " + timeoutMs + " ms: " + what);
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
                .map(b -> String.format("  %3d %-6d %s %s", b.getBundleId(), b.getState(), b.getSymbolicName(), b.getVersion()))
                .collect(Collectors.joining("\n"));
    }

}
