package io.framewire.runtime;

import io.framewire.api.Codec;
import io.framewire.api.Defaults;
import io.framewire.api.ServerConfig;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameImporter;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.StageLoader;
import io.framewire.api.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plugins known now, by their {@code framewire.name}. Filled by the OSGi component's service
 * bindings (or directly, when embedded); read by the session on every lookup, so a plugin that
 * comes or goes takes effect at once.
 */
final class PluginRegistry {
    /** The encoder setting that lets the runtime choose. */
    static final String AUTO = Defaults.AUTO_ENCODER;
    /** The order {@value #AUTO} prefers codecs in, among encoders of the same kind. */
    static final List<Codec> CODEC_PREFERENCE = List.of(Codec.H264, Codec.H265, Codec.AV1);
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final Map<String, FrameSource> sources = new ConcurrentHashMap<>();
    private final Map<String, EncoderFactory> encoders = new ConcurrentHashMap<>();
    private final Map<String, Transport> transports = new ConcurrentHashMap<>();
    private final Map<String, StageLoader> stageLoaders = new ConcurrentHashMap<>();
    private final Map<String, FrameImporter> importers = new ConcurrentHashMap<>();
    private final Map<String, String> loggedUnavailable = new ConcurrentHashMap<>();

    void addSource(String name, FrameSource source) { sources.put(name, source); }

    void removeSource(String name, FrameSource source) { sources.remove(name, source); }

    void addEncoder(String name, EncoderFactory factory) { encoders.put(name, factory); }

    void removeEncoder(String name, EncoderFactory factory) { encoders.remove(name, factory); }

    void addTransport(String name, Transport transport) { transports.put(name, transport); }

    void removeTransport(String name, Transport transport) { transports.remove(name, transport); }

    void addStageLoader(String name, StageLoader loader) { stageLoaders.put(name, loader); }

    void removeStageLoader(String name, StageLoader loader) { stageLoaders.remove(name, loader); }

    void addImporter(String name, FrameImporter importer) { importers.put(name, importer); }

    void removeImporter(String name, FrameImporter importer) { importers.remove(name, importer); }

    /** @return an importer that takes {@code kind} (the first by name, for a stable choice), or null */
    FrameImporter importerFor(VideoFrame.Kind kind) {
        return importers.entrySet().stream().filter(e -> e.getValue().accepts(kind))
                .min(Map.Entry.comparingByKey()).map(Map.Entry::getValue).orElse(null);
    }

    FrameSource source(String name) { return name == null ? null : sources.get(name); }

    Transport transport(String name) { return name == null ? null : transports.get(name); }

    Collection<StageLoader> stageLoaders() { return List.copyOf(stageLoaders.values()); }

    /** @return the installed sources' names, sorted (for messages and health) */
    List<String> sourceNames() { return sorted(sources.keySet()); }

    /** @return the installed encoders' names, sorted */
    List<String> encoderNames() { return sorted(encoders.keySet()); }

    /** @return the installed transports' names, sorted */
    List<String> transportNames() { return sorted(transports.keySet()); }

    private static List<String> sorted(Collection<String> names) {
        return names.stream().sorted().toList();
    }

    /**
     * Picks the encoder factory: the named one, or with {@value #AUTO} the best available one for
     * the session (hardware first unless SOFTWARE is preferred; H.264, then H.265, then AV1; the RAW
     * test codec last).
     * An unavailable factory is skipped with one log line naming why.
     *
     * @return the name and factory, or empty when none fits (yet)
     */
    Optional<Map.Entry<String, EncoderFactory>> encoderFor(String name, ServerConfig config) {
        return encoderFor(name, config, null);
    }

    /**
     * As {@link #encoderFor(String, ServerConfig)}, and with {@value #AUTO} an encoder of {@code keep}
     * first (after the RAW test codec's rank): the codec the peers negotiated, so a fallback does
     * not make every browser negotiate again.
     *
     * @param keep the codec on the wire now, or null
     */
    Optional<Map.Entry<String, EncoderFactory>> encoderFor(String name, ServerConfig config, Codec keep) {
        Comparator<Map.Entry<String, EncoderFactory>> rank = Comparator
                .comparing((Map.Entry<String, EncoderFactory> e) -> e.getValue().codec() == Codec.RAW)
                .thenComparing(e -> keep != null && e.getValue().codec() != keep)
                .thenComparing(e -> e.getValue().hardware() != (config.encoderPreference() != ServerConfig.EncoderPreference.SOFTWARE))
                .thenComparing(e -> codecRank(e.getValue().codec()))
                .thenComparing(Map.Entry::getKey);
        return encoders.entrySet().stream()
                .filter(e -> AUTO.equals(name) || e.getKey().equals(name))
                .filter(e -> e.getValue().inputs().contains(config.videoInput()))
                .filter(e -> config.encoderPreference() != ServerConfig.EncoderPreference.HARDWARE || e.getValue().hardware())
                .filter(e -> config.encoderPreference() != ServerConfig.EncoderPreference.SOFTWARE || !e.getValue().hardware())
                .filter(this::available)
                .sorted(rank)
                .findFirst()
                .map(e -> Map.entry(e.getKey(), e.getValue()));
    }

    /** H.264 first: every browser decodes it, and its encoders have the lowest latency. */
    private static int codecRank(Codec codec) {
        int rank = CODEC_PREFERENCE.indexOf(codec);
        return rank < 0 ? CODEC_PREFERENCE.size() : rank;
    }

    private boolean available(Map.Entry<String, EncoderFactory> entry) {
        String reason = entry.getValue().unavailableReason();
        if (reason != null && loggedUnavailable.put(entry.getKey(), reason) == null) {
            LOG.info("Encoder {} is not available here ({}); falling back", entry.getKey(), reason);
        }
        return reason == null;
    }
}
