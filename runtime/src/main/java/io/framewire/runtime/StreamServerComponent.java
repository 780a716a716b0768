package io.framewire.runtime;

import io.framewire.api.HealthReport;
import io.framewire.api.MessageListener;
import io.framewire.api.ServerConfig;
import io.framewire.api.StreamServer;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.FrameImporter;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.Plugins;
import io.framewire.api.spi.StageLoader;
import io.framewire.api.spi.Transport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Runs a {@link StreamSession} inside OSGi: reads {@link ServerSettings} from Configuration Admin
 * (parsed by {@link ServerSettingsParser}: a bad value is one line, and the last good settings stay),
 * tracks every plugin service by its {@code framewire.name}, and registers the running session as
 * the {@link StreamServer} service. Plugins may come and go while the stream runs.
 */
@Component(service = StreamServer.class, configurationPid = ServerSettings.PID, immediate = true)
@Designate(ocd = ServerSettings.class)
public class StreamServerComponent implements StreamServer {
    private static final Logger LOG = LoggerFactory.getLogger(StreamServerComponent.class);

    private final PluginRegistry registry = new PluginRegistry();
    private volatile StreamSession session;
    /** Kept across session restarts (a new size or input): each new session is given them again. */
    private final java.util.List<io.framewire.api.KeyframeRequestListener> keyframeListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Kept across session restarts, like the keyframe listeners: each session delivers to all of them. */
    private final java.util.List<MessageListener> messageListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Activate
    void activate(Map<String, Object> properties) {
        ServerSettingsParser.Parsed settings;
        try {
            settings = ServerSettingsParser.parse(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {} refused: {}; starting with the defaults", ServerSettings.PID, e.getMessage());
            settings = ServerSettingsParser.parse(Map.of());
        }
        warnUnknownKeys(properties);
        startSession(settings);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        ServerSettingsParser.Parsed next;
        try {
            next = ServerSettingsParser.parse(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {} refused: {}; the stream keeps its last good settings ({}, {})", ServerSettings.PID,
                    e.getMessage(), session.config(), session.selection());
            return;
        }
        warnUnknownKeys(properties);
        session.maxFrameAgeMillis(next.maxFrameAgeMillis());
        if (next.config().sameStream(session.config())) {
            session.select(next.selection()); // live: plugin names, fps, bitrate, encoder preference
            session.retune(next.config());
            return;
        }
        LOG.info("Stream settings changed ({} -> {}): restarting the session; peers reconnect", session.config(),
                next.config());
        stopSession();
        startSession(next);
    }

    @Deactivate
    synchronized void deactivate() {
        stopSession();
    }

    /** @return the running session (tests) */
    StreamSession session() {
        return session;
    }

    /** @return the plugins the running session is configured to use (the operator shell shows them) */
    PluginSelection selection() {
        return session.selection();
    }

    /**
     * @return what the running session streams, as its transport sees it (size, fps, codec, input);
     *         null while no encoder has fixed the codec yet
     */
    io.framewire.api.StreamDescription stream() {
        try {
            return session.transportContext().stream();
        } catch (IllegalStateException e) {
            return null; // the codec is not known yet
        }
    }

    private static void warnUnknownKeys(Map<String, Object> properties) {
        java.util.List<String> unknown = ServerSettingsParser.unknownKeys(properties);
        if (!unknown.isEmpty()) {
            LOG.warn("Configuration {} has keys that mean nothing here: {} (known: {})", ServerSettings.PID, unknown,
                    ServerSettingsParser.KEYS);
        }
    }

    private synchronized void startSession(ServerSettingsParser.Parsed settings) {
        StreamSession next = new StreamSession(settings.config(), settings.selection(), registry, PacingClock.SYSTEM);
        next.maxFrameAgeMillis(settings.maxFrameAgeMillis());
        next.onKeyframeRequest(this::tellKeyframeListeners); // the session rate-limits; this outlives it
        next.addMessageListener(this::tellMessageListeners); // the session's router queues and isolates
        next.start();
        session = next;
    }

    private void tellMessageListeners(String peerId, String json) {
        for (MessageListener l : messageListeners) {
            try {
                l.onMessage(peerId, json);
            } catch (RuntimeException e) {
                LOG.warn("Message listener {} failed", l, e);
            }
        }
    }

    private void tellKeyframeListeners() {
        for (io.framewire.api.KeyframeRequestListener l : keyframeListeners) {
            try {
                l.keyframeRequested();
            } catch (RuntimeException e) {
                LOG.warn("A keyframe-request listener failed", e);
            }
        }
    }

    private void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    /** @return a plugin's name from its service properties: {@code framewire.name}, else its component name */
    static String nameOf(Map<String, Object> properties) {
        Object name = properties.get(Plugins.NAME);
        return name == null ? String.valueOf(properties.get("component.name")) : name.toString();
    }

    private void pluginsChanged() {
        StreamSession s = session;
        if (s != null) {
            s.refreshPlugins();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFrameSource(FrameSource source, Map<String, Object> properties) {
        registry.addSource(nameOf(properties), source);
        LOG.info("Frame source '{}' available", nameOf(properties));
        pluginsChanged();
    }

    void removeFrameSource(FrameSource source, Map<String, Object> properties) {
        String name = nameOf(properties);
        StreamSession s = session;
        if (s != null && registry.source(name) == source) {
            s.sourceRemoved(name); // before the source deactivates: its last picture may live in its memory
        }
        registry.removeSource(name, source);
        LOG.info("Frame source '{}' gone", name);
        pluginsChanged();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEncoderFactory(EncoderFactory factory, Map<String, Object> properties) {
        registry.addEncoder(nameOf(properties), factory);
        pluginsChanged();
    }

    void removeEncoderFactory(EncoderFactory factory, Map<String, Object> properties) {
        registry.removeEncoder(nameOf(properties), factory);
        pluginsChanged();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(Transport transport, Map<String, Object> properties) {
        registry.addTransport(nameOf(properties), transport);
        pluginsChanged();
    }

    void removeTransport(Transport transport, Map<String, Object> properties) {
        registry.removeTransport(nameOf(properties), transport);
        pluginsChanged();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStageLoader(StageLoader loader, Map<String, Object> properties) {
        registry.addStageLoader(nameOf(properties), loader);
    }

    void removeStageLoader(StageLoader loader, Map<String, Object> properties) {
        registry.removeStageLoader(nameOf(properties), loader);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFrameImporter(FrameImporter importer, Map<String, Object> properties) {
        registry.addImporter(nameOf(properties), importer);
    }

    void removeFrameImporter(FrameImporter importer, Map<String, Object> properties) {
        registry.removeImporter(nameOf(properties), importer);
    }

    // StreamServer: delegate to the running session.

    @Override
    public ServerConfig config() {
        return session.config();
    }

    @Override
    public void streamVideo(VideoFrame frame) {
        session.streamVideo(frame);
    }

    @Override
    public void sendMessage(String json) {
        session.sendMessage(json);
    }

    @Override
    public AutoCloseable addMessageListener(MessageListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        messageListeners.add(listener);
        return () -> messageListeners.remove(listener);
    }

    @Override
    public AutoCloseable onKeyframeRequest(io.framewire.api.KeyframeRequestListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        keyframeListeners.add(listener);
        return () -> keyframeListeners.remove(listener);
    }

    @Override
    public String url() {
        return session.url();
    }

    @Override
    public void loadStage(String uri) {
        session.loadStage(uri);
    }

    @Override
    public boolean isReady() {
        return session.isReady();
    }

    @Override
    public HealthReport health() {
        return session.health();
    }

    /** The container owns this server's life: closing it through the service does nothing. */
    @Override
    public void close() {
        LOG.debug("close() on the OSGi-managed server is ignored; stop the bundle or the framework");
    }
}
