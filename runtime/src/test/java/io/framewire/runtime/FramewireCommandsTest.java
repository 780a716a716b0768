package io.framewire.runtime;

import io.framewire.api.Codec;
import io.framewire.api.HealthReport;
import io.framewire.api.spi.Plugins;
import io.framewire.api.spi.StageLoader;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.RecordingTransport;
import io.framewire.testing.spi.SolidSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.framewire.testing.spi.Frames.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code framewire:} shell commands against a real {@link StreamServerComponent} (fed plugin
 * doubles the way Declarative Services would bind them) and a Configuration Admin double.
 */
class FramewireCommandsTest {
    private static final String BUNDLE = "test.plugins";
    private static final long BUNDLE_ID = 7;

    private final StreamServerComponent server = new StreamServerComponent();
    private final RecordingTransport transport = new RecordingTransport();
    /** What the registry holds, as the OSGi glue would list it. */
    private final List<FramewireCommands.InstalledPlugin> installed = new CopyOnWriteArrayList<>();
    private final FakeConfigAdmin configAdmin = new FakeConfigAdmin();
    private FramewireCommands commands;

    @BeforeEach
    void startServer() throws Exception {
        addSource("solid", new SolidSource(0xFF2020E0));
        addSource("other", new SolidSource(0xFF20E020));
        FakeEncoderFactory encoder = new FakeEncoderFactory(Codec.H264, false, null);
        server.addEncoderFactory(encoder, Map.of(Plugins.NAME, "fake"));
        installed.add(plugin(FramewireCommands.Kind.ENCODER, "fake", "H264, software"));
        server.addTransport(transport, Map.of(Plugins.NAME, "rec"));
        installed.add(plugin(FramewireCommands.Kind.TRANSPORT, "rec", ""));
        StageLoader loader = new StageLoader() {
            @Override
            public boolean canLoad(java.net.URI uri) {
                return false;
            }

            @Override
            public void load(java.net.URI uri, io.framewire.api.spi.StageLoadContext context) {
            }
        };
        server.addStageLoader(loader, Map.of(Plugins.NAME, "scenes"));
        installed.add(plugin(FramewireCommands.Kind.STAGE_LOADER, "scenes", ""));
        server.activate(settings("solid"));
        await("the server is READY", 5000, () -> server.health().state() == HealthReport.State.READY
                && transport.frames.size() > 3);
        configAdmin.properties = new Hashtable<>(Map.of("width", "64", "height", "48", "fps", "50", "source", "solid",
                "encoder", "auto", "transport", "rec", "felix.fileinstall.filename", "file:/tmp/io.framewire.server.cfg"));
        commands = new FramewireCommands(server, configAdmin.proxy(), () -> List.copyOf(installed));
    }

    @AfterEach
    void stopServer() {
        server.deactivate();
    }

    private void addSource(String name, SolidSource source) {
        server.addFrameSource(source, Map.of(Plugins.NAME, name));
        installed.add(plugin(FramewireCommands.Kind.SOURCE, name, ""));
    }

    private static FramewireCommands.InstalledPlugin plugin(FramewireCommands.Kind kind, String name, String detail) {
        return new FramewireCommands.InstalledPlugin(kind, name, BUNDLE, BUNDLE_ID, detail);
    }

    private static Map<String, Object> settings(String source) {
        return Map.of("width", 64, "height", 48, "fps", 50, "source", source, "encoder", "auto", "transport", "rec");
    }

    // ---------------------------------------------------------------- status

    @Test
    void statusShowsStateStreamPluginsAgesProblemsAndCounters() {
        String status = commands.status();

        assertTrue(status.startsWith("state       READY\n"), status);
        assertTrue(status.contains("\nstream      64x48, 50 fps, H264, input BGRA, 8000 kbit/s\n"), status);
        assertTrue(status.contains("\nsource      solid\n"), status);
        assertTrue(status.contains("\nencoder     fake (selected: auto)\n"), status);
        assertTrue(status.contains("\ntransport   rec\n"), status);
        assertTrue(Pattern.compile("\nframe age   \\d+ ms since a frame was sent, \\d+ ms since the producer answered "
                + "\\(STALLED after 5000 ms\\)\n").matcher(status).find(), status);
        assertTrue(status.contains("\nproblems    none\n"), status);
        Matcher sent = Pattern.compile("\ncounters    framesSent=(\\d+) framesRepeated=\\d+ framesRefused=0 sourceErrors=0 "
                + "stalledTicks=\\d+\n {12}lockBusyTicks=0 encodeErrors=0 skippedTicks=\\d+ droppedMessages=0$").matcher(status);
        assertTrue(sent.find(), status);
        assertTrue(Long.parseLong(sent.group(1)) > 3, "framesSent counts the frames the transport got: " + status);
    }

    @Test
    void statusNamesASelectionThatIsNotInstalledAndWhatStaysInUse() throws Exception {
        server.modified(settings("camera"));
        await("the problem is known", 5000, () -> !server.health().problems().isEmpty());

        String status = commands.status();

        assertTrue(status.contains("\nsource      solid (selected: camera)\n"), status);
        assertTrue(status.contains("\nproblems    source 'camera' is not installed (installed: other, solid); "
                + "'solid' stays in use until it is\n"), status);
    }

    // ---------------------------------------------------------------- plugins

    @Test
    void pluginsListsEveryPluginWithItsBundleAndWhetherItIsInUseOrSelected() {
        List<String> lines = List.of(commands.plugins().split("\n"));

        assertEquals(List.of(
                "KIND          NAME    BUNDLE            STATE",
                "source        other   test.plugins [7]",
                "source        solid   test.plugins [7]  in use, selected",
                "encoder       fake    test.plugins [7]  in use (selected: auto); H264, software",
                "transport     rec     test.plugins [7]  in use, selected",
                "stage loader  scenes  test.plugins [7]  in use (all stage loaders are)"), lines);
    }

    @Test
    void pluginsSaysWhenTheSelectionIsNotInstalled() throws Exception {
        server.modified(settings("camera"));
        await("the problem is known", 5000, () -> !server.health().problems().isEmpty());

        String plugins = commands.plugins();

        assertTrue(plugins.contains("\nsource        solid   test.plugins [7]  in use (selected: camera)\n"), plugins);
        assertTrue(plugins.endsWith("\nsource 'camera' is selected but not installed"), plugins);
    }

    // ---------------------------------------------------------------- select

    @Test
    void selectWritesTheKeyAndKeepsTheOtherProperties() throws Exception {
        String answer = commands.select("source", "other");

        assertEquals("source=other written to configuration io.framewire.server (was solid)", answer);
        assertEquals(1, configAdmin.updates.size());
        Map<String, Object> written = configAdmin.updates.get(0);
        assertEquals("other", written.get("source"));
        assertEquals("64", written.get("width"));
        assertEquals("file:/tmp/io.framewire.server.cfg", written.get("felix.fileinstall.filename"),
                "FileInstall's key stays, so FileInstall writes the change back to its file");
        assertEquals(configAdmin.properties.size(), written.size(), "nothing else added or lost: " + written);
    }

    @Test
    void selectOfAPluginThatIsNotInstalledWritesItAndWarns() throws Exception {
        String answer = commands.select("source", " no-such-source ");

        assertEquals("source=no-such-source written to configuration io.framewire.server (was solid)\n"
                + "WARNING: source 'no-such-source' is not installed (installed: other, solid); 'solid' stays in use "
                + "until it is", answer);
        assertEquals("no-such-source", configAdmin.updates.get(0).get("source"));
    }

    @Test
    void selectOfAutoOrNoneNeedsNoPlugin() throws Exception {
        assertEquals("encoder=auto written to configuration io.framewire.server (was auto)",
                commands.select("encoder", "auto"));
        assertEquals("source=none written to configuration io.framewire.server (was solid)",
                commands.select("source", "none"));
        assertEquals("transport=nope written to configuration io.framewire.server (was rec)\n"
                + "WARNING: transport 'nope' is not installed (installed: rec); 'rec' stays in use until it is",
                commands.select("transport", "nope"));
    }

    @Test
    void selectCreatesTheConfigurationWhenThereIsNone() throws Exception {
        configAdmin.properties = null;

        String answer = commands.select("encoder", "fake");

        assertEquals("encoder=fake written to configuration io.framewire.server (was not set)", answer);
        assertEquals(Map.of("encoder", "fake"), configAdmin.updates.get(0));
    }

    @Test
    void selectRefusesAnUnknownKindAndAnEmptyNameAndWritesNothing() {
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> commands.select("importer", "cuda"));
        assertEquals("kind=importer: must be source, encoder or transport", kind.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> commands.select("encoder", " "));
        assertEquals("encoder=\"\": must name a plugin (its framewire.name) or be 'auto'", name.getMessage());
        assertTrue(configAdmin.updates.isEmpty(), "nothing written: " + configAdmin.updates);
    }

    @Test
    void tableColumnsAreAsWideAsTheirWidestCell() {
        assertEquals("A    BB  C\nxyz  y   last cell", FramewireCommands.table(List.of(
                new String[] {"A", "BB", "C"}, new String[] {"xyz", "y", "last cell"})));
        assertFalse(FramewireCommands.table(List.<String[]>of(new String[] {"a", ""})).endsWith(" "));
    }

    /** Configuration Admin with one configuration, io.framewire.server, that records its updates. */
    private static final class FakeConfigAdmin {
        /** The configuration's properties; null: it has none yet. */
        volatile Hashtable<String, Object> properties;
        final List<Map<String, Object>> updates = new ArrayList<>();

        ConfigurationAdmin proxy() {
            Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Configuration.class}, (p, method, args) -> switch (method.getName()) {
                        case "getPid" -> "io.framewire.server";
                        case "getProperties" -> properties == null ? null : new Hashtable<>(properties);
                        case "update" -> {
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                            Map<String, Object> copy = new HashMap<>();
                            for (String key : java.util.Collections.list(d.keys())) {
                                copy.put(key, d.get(key));
                            }
                            updates.add(copy);
                            properties = new Hashtable<>(copy);
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (p, method, args) -> {
                        if (method.getName().equals("getConfiguration") && args.length == 2
                                && "io.framewire.server".equals(args[0]) && "?".equals(args[1])) {
                            return configuration;
                        }
                        throw new UnsupportedOperationException(method.getName() + java.util.Arrays.toString(args));
                    });
        }
    }
}
