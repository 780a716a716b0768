package io.framewire.runtime;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.HealthReport;
import io.framewire.api.MessageListener;
import io.framewire.api.ServerConfig;
import io.framewire.api.StreamServer;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One streaming session with a fixed {@link ServerConfig}: ties the scheduler, the stage manager,
 * the message router, the encoder and the transport together. Plain Java (no OSGi), so it can be
 * embedded and unit-tested; {@link StreamServerComponent} runs it inside OSGi.
 */
public final class StreamSession implements StreamServer {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);

    private volatile ServerConfig config;
    private final PluginRegistry registry;
    private final PacingClock clock;
    private final Lock stageLock = new ReentrantLock();
    private final EncoderSlot encoder = new EncoderSlot();
    private final SchedulerStats stats = new SchedulerStats();
    private final FrameIngest ingest;
    private final StageManager stages;
    private final MessageRouter messages;
    private final FrameScheduler scheduler;
    private final TransportContext transportContext = new SessionTransportContext();

    private volatile PluginSelection selection;
    private volatile Transport transport;
    private EncoderFactory encoderFactory;
    private volatile boolean closed;

    StreamSession(ServerConfig config, PluginSelection selection, PluginRegistry registry, PacingClock clock) {
        this.config = config;
        this.selection = selection;
        this.registry = registry;
        this.clock = clock;
        this.ingest = new FrameIngest(config, encoder, registry::importerFor);
        this.stages = new StageManager(stageLock, registry::stageLoaders, this::broadcast);
        this.messages = new MessageRouter(stages::requestLoad, this::sendTo);
        this.scheduler = new FrameScheduler(config, clock, stageLock, () -> registry.source(this.selection.source()),
                ingest, encoder, this::sendToTransport, stats);
        ingest.onAccepted(scheduler::onFrameAccepted);
    }

    /**
     * Starts building a session outside OSGi (embedded use, tests, benchmarks).
     *
     * @param config the session's fixed settings
     */
    public static Builder builder(ServerConfig config) {
        return new Builder(config);
    }

    /** Binds the available plugins and starts pacing. */
    void start() {
        LOG.info("Starting session {} with {}", config, selection);
        refreshPlugins();
        scheduler.start();
    }

    /** Changes plugins while streaming (the stream goes on with the last good frame while swapping). */
    void select(PluginSelection next) {
        if (!next.equals(selection)) {
            LOG.info("Plugin selection changed: {} -> {}", selection, next);
            selection = next;
            refreshPlugins();
        }
    }

    /** Changes the encoder's target bitrate while streaming (where the encoder supports it). */
    void setBitrateKbps(int kbps) {
        config = config.toBuilder().bitrateKbps(kbps).build();
        encoder.setBitrateKbps(kbps);
    }

    /** Changes the frame rate while streaming: the pacer's interval and the encoder's rate control. */
    void setFps(int fps) {
        if (fps == config.fps()) {
            return;
        }
        config = config.toBuilder().fps(fps).build(); // validates 1..240
        LOG.info("Frame rate changed to {} fps", fps);
        scheduler.setFps(fps);
        encoder.setFps(fps);
    }

    PluginSelection selection() {
        return selection;
    }

    /**
     * Re-resolves the encoder and the transport against the registry: call after a plugin came or
     * went. Cheap when nothing changed.
     */
    synchronized void refreshPlugins() {
        if (closed) {
            return;
        }
        refreshEncoder();
        refreshTransport();
    }

    private void refreshEncoder() {
        Optional<Map.Entry<String, EncoderFactory>> choice = registry.encoderFor(selection.encoder(), config);
        EncoderFactory next = choice.map(Map.Entry::getValue).orElse(null);
        if (next == encoderFactory) {
            return;
        }
        if (next == null) {
            LOG.warn("No encoder named '{}' for {} is available; frames are not encoded until one is", selection.encoder(),
                    config.videoInput());
            encoder.replace(null);
            encoderFactory = null;
            return;
        }
        try {
            encoder.replace(next.create(config));
            encoderFactory = next;
            LOG.info("Encoder {} ({}, {}) in use", choice.get().getKey(), next.codec(), next.hardware() ? "hardware" : "software");
            if (!ingest.isReady()) {
                ingest.submitLoadingPicture();
            }
            scheduler.requestKeyframe();
        } catch (Exception e) {
            LOG.error("Encoder {} failed to start; keeping the previous one", choice.get().getKey(), e);
        }
    }

    private void refreshTransport() {
        Transport next = registry.transport(selection.transport());
        Transport previous = transport;
        if (next == previous) {
            return;
        }
        transport = null;
        if (previous != null) {
            stopQuietly(previous);
        }
        if (next == null) {
            LOG.warn("Transport '{}' is not available; frames are encoded but not sent until it is", selection.transport());
            return;
        }
        try {
            next.start(transportContext);
            transport = next;
            scheduler.requestKeyframe();
            LOG.info("Transport {} started", selection.transport());
        } catch (Exception e) {
            LOG.error("Transport {} failed to start", selection.transport(), e);
        }
    }

    private static void stopQuietly(Transport t) {
        try {
            t.stop();
        } catch (RuntimeException e) {
            LOG.warn("Transport {} failed to stop", t, e);
        }
    }

    private void sendToTransport(EncodedFrame frame) {
        Transport t = transport;
        if (t != null) {
            t.send(frame);
        }
    }

    private void broadcast(Map<String, Object> message) {
        sendTo(null, toJson(message));
    }

    private void sendTo(String peerId, String json) {
        Transport t = transport;
        if (t != null) {
            t.sendMessage(peerId, json);
        }
    }

    private static String toJson(Map<String, Object> message) {
        try {
            return JSON.std.asString(message);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write " + message, e);
        }
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    @Override
    public void streamVideo(VideoFrame frame) {
        if (closed) {
            throw new IllegalStateException("the server is closed");
        }
        try {
            ingest.accept(frame);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("frame could not be converted: " + e.getMessage(), e);
        }
    }

    @Override
    public void sendMessage(String json) {
        sendTo(null, json);
    }

    @Override
    public AutoCloseable addMessageListener(MessageListener listener) {
        return messages.addListener(listener);
    }

    /** Requests a stage load, as a {@code stage.load} message from a peer would. Returns at once. */
    void requestStageLoad(URI uri) {
        stages.requestLoad(uri);
    }

    @Override
    public boolean isReady() {
        return ingest.isReady();
    }

    @Override
    public HealthReport health() {
        URI loading = stages.loading();
        HealthReport.State state = closed ? HealthReport.State.STOPPED
                : !ingest.isReady() ? HealthReport.State.STARTING
                : loading != null ? HealthReport.State.TEMPORARILY_UNAVAILABLE
                : HealthReport.State.READY;
        long last = stats.lastSendNanos;
        long age = last < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - last);
        return new HealthReport(state, age, stats.framesSent.get(), stats.framesRepeated.get(),
                stats.sourceErrors.get() + ingest.refusedFrames(), loading == null ? null : loading.toString());
    }

    SchedulerStats stats() {
        return stats;
    }

    TransportContext transportContext() {
        return transportContext;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.close();
        ingest.close();
        stages.close();
        messages.close();
        Transport t = transport;
        transport = null;
        if (t != null) {
            stopQuietly(t);
        }
        encoder.close();
        LOG.info("Session closed after {} frames ({} repeated)", stats.framesSent.get(), stats.framesRepeated.get());
    }

    /**
     * Builds and starts a session from plugin objects given directly, for use without OSGi.
     * Names are the plugins' {@code framewire.name}s; {@link #select} picks among them.
     */
    public static final class Builder {
        private final ServerConfig config;
        private final PluginRegistry registry = new PluginRegistry();
        private String source = PluginSelection.DEFAULT.source();
        private String encoder = PluginSelection.DEFAULT.encoder();
        private String transport = PluginSelection.DEFAULT.transport();
        private PacingClock clock = PacingClock.SYSTEM;

        private Builder(ServerConfig config) {
            this.config = config;
        }

        /** Adds a frame source and makes it the active one. */
        public Builder source(String name, io.framewire.api.spi.FrameSource frameSource) {
            registry.addSource(name, frameSource);
            source = name;
            return this;
        }

        /** Adds an encoder factory and selects it by name. */
        public Builder encoder(String name, EncoderFactory factory) {
            registry.addEncoder(name, factory);
            encoder = name;
            return this;
        }

        /** Adds a transport and makes it the active one. */
        public Builder transport(String name, Transport t) {
            registry.addTransport(name, t);
            transport = name;
            return this;
        }

        /** Adds a stage loader. */
        public Builder stageLoader(String name, io.framewire.api.spi.StageLoader loader) {
            registry.addStageLoader(name, loader);
            return this;
        }

        /** Adds a frame importer (DLPack, CUDA device frames). */
        public Builder importer(String name, io.framewire.api.spi.FrameImporter frameImporter) {
            registry.addImporter(name, frameImporter);
            return this;
        }

        /** Frames only from {@code streamVideo()}: no pull source. */
        public Builder noSource() {
            source = "none";
            return this;
        }

        Builder clock(PacingClock pacingClock) {
            clock = pacingClock;
            return this;
        }

        PluginRegistry registry() {
            return registry;
        }

        /** @return the session, created but not started (package use: tests drive it tick by tick) */
        StreamSession build() {
            return new StreamSession(config, new PluginSelection(source, encoder, transport), registry, clock);
        }

        /** @return the started session */
        public StreamSession start() {
            StreamSession session = build();
            session.start();
            return session;
        }
    }

    /** What the transport sees of the session. */
    private final class SessionTransportContext implements TransportContext {
        @Override
        public ServerConfig config() {
            return config;
        }

        @Override
        public void onMessage(String peerId, String json) {
            messages.onMessage(peerId, json);
        }

        @Override
        public void requestKeyframe() {
            scheduler.requestKeyframe();
        }

        @Override
        public HealthReport health() {
            return StreamSession.this.health();
        }
    }
}
