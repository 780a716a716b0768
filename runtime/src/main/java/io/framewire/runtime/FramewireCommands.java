package io.framewire.runtime;

import io.framewire.api.Defaults;
import io.framewire.api.HealthReport;
import io.framewire.api.ServerConfig;
import io.framewire.api.StreamDescription;
import io.framewire.api.StreamServer;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.FrameImporter;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.Plugins;
import io.framewire.api.spi.StageLoader;
import io.framewire.api.spi.Transport;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The operator shell's {@code framewire:} commands for Apache Felix Gogo: {@code status},
 * {@code plugins} and {@code select}. Registered as a service with the standard Gogo properties
 * {@code osgi.command.scope} and {@code osgi.command.function}; Gogo finds it in the service
 * registry, so the runtime needs no Gogo bundle to run (the {@link Descriptor} help texts are an
 * optional import).
 *
 * <p>Every command returns its text; the shell prints it (and pipes it, e.g. to {@code grep}). What
 * runs comes from the running server ({@link StreamServerComponent}); what is installed comes from
 * the OSGi service registry; {@code select} writes Configuration Admin's {@code io.framewire.server}
 * configuration, the same change as an edit of {@code load/io.framewire.server.cfg}.
 */
@Component(service = FramewireCommands.class, property = {
        "osgi.command.scope=framewire",
        "osgi.command.function=status",
        "osgi.command.function=plugins",
        "osgi.command.function=select"})
public final class FramewireCommands {
    private static final Logger LOG = LoggerFactory.getLogger(FramewireCommands.class);
    /** Continuation lines of a {@code status} field start under its value. */
    private static final String INDENT = " ".repeat(12);
    /** The order {@code plugins} lists them in: by kind, then name, then bundle id. */
    private static final Comparator<InstalledPlugin> ORDER = Comparator.comparing(InstalledPlugin::kind)
            .thenComparing(InstalledPlugin::name).thenComparingLong(InstalledPlugin::bundleId);

    /** The plugin kinds, in the order the shell lists them. */
    enum Kind {
        SOURCE("source", FrameSource.class),
        ENCODER("encoder", EncoderFactory.class),
        TRANSPORT("transport", Transport.class),
        STAGE_LOADER("stage loader", StageLoader.class),
        IMPORTER("importer", FrameImporter.class);

        /** The word the shell shows; for the selectable kinds also the configuration key. */
        final String label;
        /** The SPI interface its plugins register. */
        final Class<?> service;

        Kind(String label, Class<?> service) {
            this.label = label;
            this.service = service;
        }

        /** @return true for the kinds the configuration names one of (source, encoder, transport) */
        boolean selectable() {
            return this == SOURCE || this == ENCODER || this == TRANSPORT;
        }
    }

    /**
     * One plugin service in the registry.
     *
     * @param kind     its SPI kind
     * @param name     its {@code framewire.name}
     * @param bundle   the symbolic name of the bundle that registered it
     * @param bundleId that bundle's id
     * @param detail   what else the shell shows (an encoder's codec, kind and availability), or empty
     */
    record InstalledPlugin(Kind kind, String name, String bundle, long bundleId, String detail) {
    }

    private final StreamServerComponent server;
    private final ConfigurationAdmin configAdmin;
    private final Supplier<List<InstalledPlugin>> installed;

    /**
     * Made by Declarative Services.
     *
     * @param server      the runtime's stream server (the component, not an embedder's server)
     * @param configAdmin where {@code select} writes the selection
     * @param context     the runtime bundle's context, to list the plugin services
     */
    @Activate
    public FramewireCommands(
            @Reference(target = "(component.name=io.framewire.runtime.StreamServerComponent)") StreamServer server,
            @Reference ConfigurationAdmin configAdmin, BundleContext context) {
        this(asComponent(server), configAdmin, () -> installedPlugins(context));
    }

    FramewireCommands(StreamServerComponent server, ConfigurationAdmin configAdmin,
                      Supplier<List<InstalledPlugin>> installed) {
        this.server = server;
        this.configAdmin = configAdmin;
        this.installed = installed;
    }

    private static StreamServerComponent asComponent(StreamServer server) {
        if (server instanceof StreamServerComponent component) {
            return component;
        }
        throw new IllegalArgumentException("server=" + server.getClass().getName()
                + ": must be the runtime's io.framewire.runtime.StreamServerComponent");
    }

    // ---------------------------------------------------------------- commands

    /** @return the stream's state, settings, plugins in use, frame ages, problems and counters */
    @Descriptor("show the stream: state, size, fps, codec, plugins in use, frame ages, problems, counters")
    public String status() {
        HealthReport health = server.health();
        ServerConfig config = server.config();
        StreamDescription stream = server.stream();
        PluginSelection selected = server.selection();
        HealthReport.ActivePlugins inUse = health.plugins();

        StringBuilder out = new StringBuilder();
        field(out, "state", health.state() + (health.stageLoading() == null ? "" : " (loading " + health.stageLoading() + ")"));
        field(out, "stream", config.width() + "x" + config.height() + ", " + config.fps() + " fps, "
                + (stream == null ? "codec not known yet (no encoder chosen)" : stream.codec().name())
                + ", input " + config.videoInput() + ", " + config.bitrateKbps() + " kbit/s");
        field(out, "source", inUseText(inUse.source(), selected.source()));
        field(out, "encoder", inUseText(inUse.encoder(), selected.encoder()));
        field(out, "transport", inUseText(inUse.transport(), selected.transport()));
        field(out, "frame age", age(health.frameAgeMillis()) + " since a frame was sent, "
                + age(health.freshFrameAgeMillis()) + " since the producer answered ("
                + (health.maxFrameAgeMillis() == 0 ? "stall check off)" : "STALLED after " + health.maxFrameAgeMillis() + " ms)"));
        field(out, "problems", health.problems().isEmpty() ? "none" : String.join("\n", health.problems()));
        List<String> counters = health.counters().toMap().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList();
        field(out, "counters", String.join(" ", counters.subList(0, 5)) + "\n"
                + String.join(" ", counters.subList(5, counters.size())));
        return out.toString().stripTrailing();
    }

    /** @return every installed plugin by kind, with its bundle and whether it is in use or selected */
    @Descriptor("list the installed plugins by kind: name, bundle, in use / selected")
    public String plugins() {
        List<InstalledPlugin> plugins = installed.get().stream().sorted(ORDER).toList();
        HealthReport.ActivePlugins inUse = server.health().plugins();
        PluginSelection selected = server.selection();

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "NAME", "BUNDLE", "STATE"});
        for (InstalledPlugin p : plugins) {
            String state = state(p, inUse, selected);
            String detail = p.detail().isEmpty() ? state : state.isEmpty() ? p.detail() : state + "; " + p.detail();
            rows.add(new String[] {p.kind().label, p.name(), p.bundle() + " [" + p.bundleId() + "]", detail});
        }
        StringBuilder out = new StringBuilder(table(rows));
        for (Kind kind : Kind.values()) {
            if (kind.selectable()) {
                String name = selectedName(selected, kind);
                if (!special(kind, name) && namesOf(plugins, kind).stream().noneMatch(name::equals)) {
                    out.append('\n').append(kind.label).append(" '").append(name)
                            .append("' is selected but not installed");
                }
            }
        }
        return out.toString();
    }

    /**
     * Sets {@code source}, {@code encoder} or {@code transport} in the {@code io.framewire.server}
     * configuration, keeping its other properties. A name that is not installed is written too (the
     * runtime keeps what runs until that plugin appears); the answer then has a warning line.
     *
     * @param kind source, encoder or transport
     * @param name the plugin's {@code framewire.name} ({@code auto} for the encoder, {@code none} for the source)
     * @return what was written, and a warning line when {@code name} is not installed
     * @throws IOException when Configuration Admin cannot store the configuration
     */
    @Descriptor("select the source, encoder or transport (writes configuration io.framewire.server)")
    public String select(@Descriptor("source, encoder or transport") String kind,
                         @Descriptor("the plugin's framewire.name (encoder: auto; source: none)") String name)
            throws IOException {
        Kind k = Arrays.stream(Kind.values()).filter(x -> x.selectable() && x.label.equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("kind=" + kind + ": must be source, encoder or transport"));
        String value = selectedName(ServerSettingsParser.parse(Map.of(k.label, name == null ? "" : name)).selection(), k);

        Configuration configuration = configAdmin.getConfiguration(ServerSettings.PID, "?");
        Dictionary<String, Object> current = configuration.getProperties();
        Hashtable<String, Object> next = new Hashtable<>();
        if (current != null) {
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                next.put(key, current.get(key));
            }
        }
        Object previous = next.put(k.label, value);
        configuration.update(next);
        LOG.info("Shell: {}={} written to configuration {} (was {})", k.label, value, ServerSettings.PID, previous);

        StringBuilder out = new StringBuilder(k.label + "=" + value + " written to configuration " + ServerSettings.PID
                + " (was " + (previous == null ? "not set" : previous) + ")");
        List<String> names = namesOf(installed.get(), k);
        if (!special(k, value) && !names.contains(value)) {
            String running = selectedName(server.health().plugins(), k);
            out.append("\nWARNING: ").append(k.label).append(" '").append(value).append("' is not installed (installed: ")
                    .append(names.isEmpty() ? "none" : String.join(", ", names)).append("); ")
                    .append(running == null ? "nothing runs" : "'" + running + "' stays in use")
                    .append(" until it is");
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- text

    private static void field(StringBuilder out, String label, String value) {
        out.append(String.format("%-12s", label)).append(value.replace("\n", "\n" + INDENT)).append('\n');
    }

    private static String inUseText(String inUse, String selected) {
        String running = inUse == null ? "none" : inUse;
        return running.equals(selected) ? running : running + " (selected: " + selected + ")";
    }

    private static String age(long millis) {
        return millis < 0 ? "none yet" : millis + " ms";
    }

    private static String state(InstalledPlugin p, HealthReport.ActivePlugins inUse, PluginSelection selected) {
        switch (p.kind()) {
            case STAGE_LOADER:
                return "in use (all stage loaders are)";
            case IMPORTER:
                return "in use (all importers are, for the frames the encoder cannot take)";
            default:
                break;
        }
        boolean running = p.name().equals(selectedName(inUse, p.kind()));
        String selection = selectedName(selected, p.kind());
        boolean chosen = p.name().equals(selection);
        if (running && chosen) {
            return "in use, selected";
        }
        if (running) {
            return "in use (selected: " + selection + ")";
        }
        return chosen ? "selected, not in use" : "";
    }

    /** @return true for the selections that name no plugin: encoder {@code auto}, source {@code none} */
    private static boolean special(Kind kind, String name) {
        return (kind == Kind.ENCODER && Defaults.AUTO_ENCODER.equals(name))
                || (kind == Kind.SOURCE && Defaults.NO_SOURCE.equals(name));
    }

    private static String selectedName(PluginSelection selection, Kind kind) {
        return switch (kind) {
            case SOURCE -> selection.source();
            case ENCODER -> selection.encoder();
            case TRANSPORT -> selection.transport();
            default -> throw new IllegalArgumentException("kind=" + kind + ": is not selectable");
        };
    }

    private static String selectedName(HealthReport.ActivePlugins inUse, Kind kind) {
        return switch (kind) {
            case SOURCE -> inUse.source();
            case ENCODER -> inUse.encoder();
            case TRANSPORT -> inUse.transport();
            default -> throw new IllegalArgumentException("kind=" + kind + ": is not selectable");
        };
    }

    private static List<String> namesOf(List<InstalledPlugin> plugins, Kind kind) {
        return plugins.stream().filter(p -> p.kind() == kind).map(InstalledPlugin::name).distinct().sorted().toList();
    }

    /** @return the rows as columns padded to their widest cell, the last column unpadded */
    static String table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        return rows.stream().map(row -> {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns - 1; c++) {
                line.append(String.format("%-" + (width[c] + 2) + "s", row[c]));
            }
            return line.append(row[columns - 1]).toString().stripTrailing();
        }).collect(Collectors.joining("\n"));
    }

    // ---------------------------------------------------------------- the service registry

    /** @return every plugin service in the registry */
    static List<InstalledPlugin> installedPlugins(BundleContext context) {
        List<InstalledPlugin> plugins = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            ServiceReference<?>[] refs;
            try {
                refs = context.getServiceReferences(kind.service.getName(), null);
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException("no filter given, yet: " + e.getMessage(), e);
            }
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                Bundle bundle = ref.getBundle();
                if (bundle == null) {
                    continue; // unregistered while we looked
                }
                Map<String, Object> properties = new HashMap<>();
                for (String key : new String[] {Plugins.NAME, "component.name"}) {
                    if (ref.getProperty(key) != null) {
                        properties.put(key, ref.getProperty(key));
                    }
                }
                String detail = kind == Kind.ENCODER ? encoderDetail(context, ref) : "";
                plugins.add(new InstalledPlugin(kind, StreamServerComponent.nameOf(properties), bundle.getSymbolicName(),
                        bundle.getBundleId(), detail));
            }
        }
        return plugins;
    }

    private static String encoderDetail(BundleContext context, ServiceReference<?> ref) {
        Object service = context.getService(ref);
        try {
            if (!(service instanceof EncoderFactory factory)) {
                return "";
            }
            String unavailable = factory.unavailableReason();
            return factory.codec() + ", " + (factory.hardware() ? "hardware" : "software")
                    + (unavailable == null ? "" : ", unavailable here: " + unavailable);
        } finally {
            if (service != null) {
                context.ungetService(ref);
            }
        }
    }
}
