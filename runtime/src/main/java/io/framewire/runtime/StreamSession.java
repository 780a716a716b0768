package io.framewire.runtime;

import io.framewire.api.Codec;
import io.framewire.api.Defaults;
import io.framewire.api.HealthReport;
import io.framewire.api.MessageListener;
import io.framewire.api.ServerConfig;
import io.framewire.api.StreamDescription;
import io.framewire.api.StreamServer;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.InputEvent;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One streaming session with a fixed size and input: wires the stages a frame goes through, and
 * the control side (stage loads, messages, plugin changes). Plain Java (no OSGi), so it can be
 * embedded and unit-tested; {@link StreamServerComponent} runs it inside OSGi.
 *
 * <pre>
 * streamVideo() ─► FrameIngest ─► EncoderStage ◄─ Pacer (tick) ─► SourcePull ─► FrameIngest
 *                  (check, import)  (convert, encode) ─► Transport.send
 * </pre>
 * Every collaborator is given in the constructor; nothing is wired afterwards.
 */
public final class StreamSession implements StreamServer {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);

    private volatile ServerConfig config;
    private final PluginRegistry registry;
    private final PacingClock clock;
    private final Lock stageLock = new ReentrantLock();
    private final RuntimeCounters counters = new RuntimeCounters();
    private final EncoderStage encoder;
    private final FrameIngest ingest;
    private final Pacer pacer;
    private final StageManager stages;
    private final MessageRouter messages;
    private final KeyframeRequests keyframeRequests;
    private final TransportContext transportContext = new SessionTransportContext();

    // Plugin state, changed only under this session's monitor (refreshPlugins, close).
    private volatile PluginSelection selection;
    /** The source in use: the selected one, or the one kept while the selected one is not installed; null: none. */
    private volatile String activeSource;
    /** The encoder in use, by name; null: none. */
    private volatile String encoderName;
    /** The transport in use (or waiting for a codec), by name; null: none. */
    private volatile String transportName;
    /** What is selected but cannot be used, by a key per plugin kind and name; shown in health, logged once. */
    private volatile Map<String, String> problems = Map.of();
    private volatile long maxFrameAgeMillis = Defaults.MAX_FRAME_AGE_MILLIS;
    /**
     * For this long after start a missing plugin is logged at INFO: bundles start in any order, so
     * the selected ones may still be on their way; one still missing then is WARNed.
     */
    static final long STARTUP_GRACE_MILLIS = 5000;
    private volatile long startGraceEndsNanos = Long.MIN_VALUE;
    private volatile Transport transport;
    /** The codec the running transport was started with; null until an encoder fixes it. */
    private volatile Codec codec;
    private EncoderFactory encoderFactory;
    private volatile boolean closed;
    /** The transport's estimate, kbit/s; 0 = none. */
    private volatile int networkKbps;
    /** The rates in use: the configured ones, limited by {@link #networkKbps}. */
    private volatile NetworkRates rates;

    StreamSession(ServerConfig config, PluginSelection selection, PluginRegistry registry, PacingClock clock) {
        this.config = config;
        this.rates = NetworkRates.of(config, 0);
        this.selection = selection;
        this.registry = registry;
        this.clock = clock;
        this.keyframeRequests = new KeyframeRequests(clock);
        this.encoder = new EncoderStage(config, this::sendToTransport, counters, clock, keyframeRequests);
        this.ingest = new FrameIngest(config, encoder, registry::importerFor, counters);
        SourcePull pull = new SourcePull(config.width(), config.height(), stageLock, this::currentSource, ingest,
                counters, clock);
        this.pacer = new Pacer(clock, config.frameIntervalNanos(), pull, encoder, counters);
        this.stages = new StageManager(stageLock, registry::stageLoaders, event -> {
            countStageEnd(event);
            sendTo(null, event);
        });
        this.messages = new MessageRouter(stages::requestLoad, this::sendTo);
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
        startGraceEndsNanos = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_GRACE_MILLIS);
        refreshPlugins();
        pacer.start();
        CompletableFuture.delayedExecutor(STARTUP_GRACE_MILLIS, TimeUnit.MILLISECONDS).execute(this::warnLingeringProblems);
    }

    /** A selection still missing once the plugins had time to start is WARNed after all. */
    private synchronized void warnLingeringProblems() {
        if (!closed) {
            problems.values().forEach(p -> LOG.warn("{}", capitalised(p)));
        }
    }

    /** Changes plugins while streaming (the stream goes on with the last good frame while swapping). */
    void select(PluginSelection next) {
        if (!next.equals(selection)) {
            LOG.info("Plugin selection changed: {} -> {}", selection, next);
            selection = next;
            refreshPlugins();
        }
    }

    /**
     * Applies the live settings of {@code next} (same stream: size and input unchanged): fps,
     * bitrate and encoder preference. Only a changed preference may pick another encoder.
     */
    void retune(ServerConfig next) {
        if (!next.sameStream(config)) {
            throw new IllegalArgumentException(next + " is another stream than " + config + ": it needs a new session");
        }
        ServerConfig previous = config;
        config = next;
        applyRates();
        if (next.encoderPreference() != previous.encoderPreference()) {
            LOG.info("Encoder preference changed to {}", next.encoderPreference());
            refreshPlugins();
        }
    }

    /**
     * The transport's estimate of what the network carries (kbit/s, 0 = none): the encoder's
     * bitrate and the frame rate follow it within the configured ones ({@link NetworkRates}).
     */
    void networkBitrate(int kbps) {
        networkKbps = Math.max(0, kbps);
        applyRates();
    }

    /** @return the rates the encoder and the pacer run at now */
    NetworkRates rates() {
        return rates;
    }

    /** Hands the configured rates, limited by the network's, to the pacer and the encoder when they changed. */
    private synchronized void applyRates() {
        NetworkRates previous = rates;
        NetworkRates next = NetworkRates.of(config, networkKbps);
        if (next.equals(previous)) {
            return;
        }
        rates = next;
        if (next.fps() != previous.fps()) {
            LOG.info("Frame rate changed to {} fps{}", next.fps(),
                    next.fps() < config.fps() ? " (the network carries " + next.bitrateKbps() + " kbit/s)" : "");
            pacer.setFps(next.fps());
        }
        encoder.rates(next.bitrateKbps(), next.fps());
    }

    /** Changes the encoder's target bitrate while streaming (where the encoder supports it). */
    void setBitrateKbps(int kbps) {
        retune(config.toBuilder().bitrateKbps(kbps).build());
    }

    /** Changes the frame rate while streaming: the pacer's interval and the encoder's rate control. */
    void setFps(int fps) {
        retune(config.toBuilder().fps(fps).build()); // validates the range
    }

    PluginSelection selection() {
        return selection;
    }

    /**
     * Re-resolves the source, the encoder and the transport against the registry: call after a
     * plugin came or went. Cheap when nothing changed. The encoder comes before the transport: it
     * fixes the codec the transport negotiates. A selected plugin that is not installed never
     * replaces the one in use: that one stays, the gap is logged once and shown in health, and the
     * selected one takes over when it appears.
     */
    synchronized void refreshPlugins() {
        if (closed) {
            return;
        }
        Map<String, String> found = new LinkedHashMap<>();
        refreshSource(found);
        refreshEncoder(found);
        refreshTransport(found);
        boolean starting = clock.nanoTime() < startGraceEndsNanos;
        for (Map.Entry<String, String> p : found.entrySet()) {
            if (!problems.containsKey(p.getKey())) {
                if (starting) {
                    LOG.info("Waiting: {}", p.getValue()); // bundles start in any order; WARNed if it lasts
                } else {
                    LOG.warn("{}", capitalised(p.getValue()));
                }
            }
        }
        for (String key : problems.keySet()) {
            if (!found.containsKey(key)) {
                String[] kindAndName = key.split(":", 2);
                LOG.info("Resolved: {} {}", kindAndName[0], "none".equals(kindAndName[1]) ? "available"
                        : "'" + kindAndName[1] + "' in use or no longer selected");
            }
        }
        problems = java.util.Collections.unmodifiableMap(found); // in the order found: source, encoder, transport
        encoder.notice(found.isEmpty() ? null : found.values().iterator().next().replaceFirst(" \\(installed.*", ""));
    }

    /** The frame source for this tick: the selected one as soon as it is there, else the one kept. */
    private FrameSource currentSource() {
        FrameSource selected = registry.source(selection.source());
        if (selected != null) {
            return selected;
        }
        String kept = activeSource;
        return kept == null ? null : registry.source(kept);
    }

    private void refreshSource(Map<String, String> found) {
        String selected = selection.source();
        if (Defaults.NO_SOURCE.equals(selected)) {
            activeSource = null;
            return;
        }
        if (registry.source(selected) != null) {
            if (!selected.equals(activeSource)) {
                LOG.info("Frame source '{}' in use", selected);
            }
            activeSource = selected;
            return;
        }
        String kept = activeSource != null && registry.source(activeSource) != null ? activeSource : null;
        activeSource = kept;
        found.put("source:" + selected, "source '" + selected + "' is not installed (installed: "
                + names(registry.sourceNames()) + "); " + (kept != null ? "'" + kept + "' stays in use until it is"
                : "the last good picture is repeated until it is"));
    }

    private void refreshEncoder(Map<String, String> found) {
        String selected = selection.encoder();
        Codec onTheWire = transport == null ? null : codec;
        Optional<Map.Entry<String, EncoderFactory>> choice = registry.encoderFor(selected, config, onTheWire);
        String previous = encoderName;
        if (choice.isEmpty() && !PluginRegistry.AUTO.equals(selected)) {
            String why = registry.encoderNames().contains(selected)
                    ? "cannot encode " + config.videoInput() + " here (encoderPreference " + config.encoderPreference() + ")"
                    : "is not installed";
            String problem = "encoder '" + selected + "' " + why + " (installed: " + names(registry.encoderNames()) + "); ";
            Optional<Map.Entry<String, EncoderFactory>> kept = previous == null ? Optional.empty()
                    : registry.encoderFor(previous, config);
            if (kept.isPresent() && kept.get().getValue() == encoderFactory) {
                found.put("encoder:" + selected, problem + "'" + previous + "' stays in use until it is");
                return;
            }
            choice = registry.encoderFor(PluginRegistry.AUTO, config, onTheWire);
            found.put("encoder:" + selected, problem + choice.map(c -> "auto chose '" + c.getKey() + "'")
                    .orElse("no installed encoder can take over"));
        }
        EncoderFactory next = choice.map(Map.Entry::getValue).orElse(null);
        if (next == encoderFactory) {
            return;
        }
        if (next == null) {
            found.putIfAbsent("encoder:none", "no installed encoder takes " + config.videoInput() + " input (installed: "
                    + names(registry.encoderNames()) + "); the stream waits for one");
            encoder.install(null);
            encoderFactory = null;
            encoderName = null;
            return;
        }
        String name = choice.get().getKey();
        try {
            Encoder created = next.create(config);
            if (previous != null) {
                warmUp(created, name);
            }
            encoder.install(created);
            encoderFactory = next;
            encoderName = name;
            if (previous != null && !previous.equals(name) && registry.encoderFor(previous, config).isEmpty()) {
                LOG.warn("Encoder '{}' went away; falling back to '{}' ({}, {}) from the last good picture", previous, name,
                        next.codec(), next.hardware() ? "hardware" : "software");
            } else {
                LOG.info("Encoder {} ({}, {}) in use", name, next.codec(), next.hardware() ? "hardware" : "software");
            }
        } catch (Exception e) {
            LOG.error("Encoder {} failed to start; keeping the previous one", name, e);
        }
    }

    /**
     * Encodes one loading picture with an encoder that replaces a running one, here, before it is
     * installed: an encoder's first frame costs far more than the next (libx264 starts its threads and
     * look-ahead: 30-60 ms), and on the pacer thread that would open a gap in the stream at every
     * swap. The output is dropped; the first frame the pacer asks for is a key frame anyway.
     * Pre-encoded sessions have no picture to warm up with.
     */
    private void warmUp(Encoder created, String name) {
        if (config.videoInput().isBitstream()) {
            return;
        }
        try {
            created.submit(LoadingFrame.create(config.width(), config.height()));
            created.encode(0, 0, true, false);
        } catch (Exception e) {
            LOG.debug("Encoder {} warm-up failed ({}); it starts cold", name, e.toString());
        }
    }

    private static String names(java.util.List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** @return the codec frames go out in: the bitstream input's, or the encoder's; null while unknown */
    private Codec streamCodec() {
        if (config.videoInput().isBitstream()) {
            return config.videoInput().codec();
        }
        EncoderFactory factory = encoderFactory;
        return factory == null ? null : factory.codec();
    }

    /**
     * Starts the selected transport once the codec is known, so it can answer offers before the
     * first frame; restarts it when the codec changes (peers negotiate again).
     */
    private void refreshTransport(Map<String, String> found) {
        String selected = selection.transport();
        String nextName = selected;
        Transport next = registry.transport(selected);
        if (next == null) {
            String problem = "transport '" + selected + "' is not installed (installed: "
                    + names(registry.transportNames()) + "); ";
            Transport kept = transportName == null ? null : registry.transport(transportName);
            if (kept != null) {
                next = kept;
                nextName = transportName;
                found.put("transport:" + selected, problem + "'" + transportName + "' keeps serving until it is");
            } else {
                found.put("transport:" + selected, problem + "frames are encoded but not sent until it is");
            }
        }
        Codec nextCodec = streamCodec();
        if (nextCodec == null) {
            nextCodec = codec; // an encoder went away: the transport keeps its codec until another comes
        }
        Transport previous = transport;
        if (next == previous && nextCodec == codec) {
            return;
        }
        if (previous != null) {
            transport = null;
            stopQuietly(previous);
            networkBitrate(0); // its estimate went with it
        }
        transportName = next == null ? null : nextName;
        if (next == null) {
            return;
        }
        if (nextCodec == null) {
            LOG.info("Transport '{}' starts once an encoder fixes the codec", nextName);
            return;
        }
        codec = nextCodec;
        try {
            next.start(transportContext);
            transport = next;
            encoder.requestKeyframe();
            LOG.info("Transport {} started ({})", nextName, nextCodec);
        } catch (Exception e) {
            LOG.error("Transport {} failed to start", nextName, e);
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

    private void countStageEnd(io.framewire.api.spi.StageEvent event) {
        switch (event.kind()) {
            case LOADED, FAILED, CANCELLED -> counters.stageLoads
                    .computeIfAbsent(event.kind().name().toLowerCase(java.util.Locale.ROOT), k -> new java.util.concurrent.atomic.AtomicLong())
                    .incrementAndGet();
            default -> { }
        }
    }

    private void sendTo(String peerId, OutgoingMessage message) {
        Transport t = transport;
        if (t != null) {
            t.sendMessage(peerId, message);
        }
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Checks the frame, imports it if needed and hands it to the encoder stage, then wakes the
     * pacer to send it now. Conversion errors surface in the counters and the log, not here.
     */
    @Override
    public void streamVideo(VideoFrame frame) {
        if (closed) {
            throw new IllegalStateException("the server is closed");
        }
        try {
            ingest.accept(frame);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing the frame over", e);
        } catch (Exception e) {
            throw new IllegalStateException("frame could not be imported: " + e.getMessage(), e);
        }
        pacer.framePushed();
    }

    @Override
    public void sendMessage(String json) {
        sendTo(null, new AppMessage(json));
    }

    @Override
    public AutoCloseable addMessageListener(MessageListener listener) {
        return messages.addListener(listener);
    }

    @Override
    public AutoCloseable onKeyframeRequest(io.framewire.api.KeyframeRequestListener listener) {
        return keyframeRequests.add(listener);
    }

    /** Requests a stage load, as a peer's request would. Returns at once. */
    void requestStageLoad(URI uri) {
        stages.requestLoad(uri);
    }

    @Override
    public String url() {
        Transport t = transport;
        return t == null ? null : t.url();
    }

    @Override
    public void loadStage(String uri) {
        if (closed) {
            throw new IllegalStateException("the server is closed");
        }
        requestStageLoad(parseStageUri(uri));
    }

    /** @throws InvalidFrameException naming {@code uri} when it is missing, relative or malformed */
    static URI parseStageUri(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new io.framewire.api.InvalidFrameException("uri", uri, "must be a stage URI such as scene:demo");
        }
        try {
            URI parsed = new URI(uri);
            if (parsed.getScheme() == null) {
                throw new io.framewire.api.InvalidFrameException("uri", uri, "must have a scheme, e.g. scene:demo or file:/...");
            }
            return parsed;
        } catch (java.net.URISyntaxException e) {
            throw new io.framewire.api.InvalidFrameException("uri", uri, "is not a URI: " + e.getReason());
        }
    }

    @Override
    public boolean isReady() {
        return encoder.isReady();
    }

    @Override
    public HealthReport health() {
        URI loading = stages.loading();
        long now = clock.nanoTime();
        long sendAge = ageMillis(counters.lastSendNanos, now);
        long freshAge = ageMillis(counters.lastFreshNanos, now);
        long max = maxFrameAgeMillis;
        boolean stale = max > 0 && (sendAge > max || freshAge > max || freshAge < 0);
        HealthReport.State state = closed ? HealthReport.State.STOPPED
                : !encoder.isReady() ? HealthReport.State.STARTING
                : loading != null ? HealthReport.State.TEMPORARILY_UNAVAILABLE
                : stale ? HealthReport.State.STALLED
                : HealthReport.State.READY;
        String source = Defaults.NO_SOURCE.equals(selection.source()) ? Defaults.NO_SOURCE : activeSource;
        HealthReport.ActivePlugins plugins = new HealthReport.ActivePlugins(source, encoderName,
                transport == null ? null : transportName);
        return new HealthReport(state, sendAge, loading == null ? null : loading.toString(),
                counters.snapshot(messages.droppedMessages()), freshAge, max, plugins,
                java.util.List.copyOf(problems.values()));
    }

    private static long ageMillis(long thenNanos, long nowNanos) {
        return thenNanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nowNanos - thenNanos);
    }

    /**
     * Sets the age above which health reports {@link HealthReport.State#STALLED} (live).
     *
     * @param millis the age in milliseconds; 0 turns the check off
     */
    void maxFrameAgeMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("maxFrameAgeMillis=" + millis + ": must be >= 0 (0 turns the check off)");
        }
        maxFrameAgeMillis = millis;
    }

    /**
     * The active frame source is going away (its bundle stops): the last good picture is made
     * independent of its memory first, so a later encoder change can still start from it.
     *
     * @param name the source's {@code framewire.name}
     */
    void sourceRemoved(String name) {
        if (!name.equals(activeSource)) {
            return;
        }
        try {
            boolean locked = stageLock.tryLock(2 * config.frameIntervalNanos(), TimeUnit.NANOSECONDS);
            try {
                encoder.detachCurrent(locked); // no render of it runs while the lock is held
            } finally {
                if (locked) {
                    stageLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the session's metrics in the Prometheus text format ({@link TransportContext#METRICS_CONTENT_TYPE}) */
    String metrics() {
        Transport t = transport;
        Codec c = codec;
        java.util.List<io.framewire.api.spi.PeerStats> peers = java.util.List.of();
        if (t != null) {
            try {
                peers = t.peerStats();
            } catch (RuntimeException e) {
                LOG.debug("The transport's peer stats failed", e);
            }
        }
        return PrometheusMetrics.render(health(), c == null ? null : StreamDescription.of(config, c), counters, peers, rates);
    }

    RuntimeCounters counters() {
        return counters;
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
        pacer.close();
        stages.close();
        messages.close();
        Transport t = transport;
        transport = null;
        if (t != null) {
            stopQuietly(t);
        }
        encoder.close();
        LOG.info("Session closed after {} frames ({} repeated)", counters.framesSent.get(), counters.framesRepeated.get());
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
        private long maxFrameAgeMillis = Defaults.MAX_FRAME_AGE_MILLIS;

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
            source = Defaults.NO_SOURCE;
            return this;
        }

        /**
         * Sets the age above which health reports {@link HealthReport.State#STALLED}.
         *
         * @param millis milliseconds without a new frame or without a frame sent; 0 turns the check off
         */
        public Builder maxFrameAgeMillis(long millis) {
            maxFrameAgeMillis = millis;
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
            StreamSession session = new StreamSession(config, new PluginSelection(source, encoder, transport), registry, clock);
            session.maxFrameAgeMillis(maxFrameAgeMillis);
            return session;
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
        public StreamDescription stream() {
            Codec c = codec;
            if (c == null) {
                throw new IllegalStateException("the codec is not known yet: no encoder has been chosen");
            }
            return StreamDescription.of(config, c);
        }

        @Override
        public void onAppMessage(String peerId, AppMessage message) {
            messages.onAppMessage(peerId, message);
        }

        @Override
        public void onStageLoad(String peerId, URI uri) {
            messages.onStageLoad(peerId, uri);
        }

        @Override
        public void onInput(String peerId, InputEvent event) {
            messages.onInput(peerId, event);
        }

        @Override
        public void requestKeyframe() {
            encoder.requestKeyframe();
            keyframeRequests.request();
        }

        @Override
        public void setNetworkBitrateKbps(int kbps) {
            networkBitrate(kbps);
        }

        @Override
        public int configuredBitrateKbps() {
            return config.bitrateKbps();
        }

        @Override
        public HealthReport health() {
            return StreamSession.this.health();
        }

        @Override
        public String metrics() {
            return StreamSession.this.metrics();
        }
    }
}
