package io.framewire.runtime;

import io.framewire.api.FrameRules;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameImporter;
import io.framewire.api.spi.ImportedFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The one door frames come in by, from the pacer (pull sources) or from callers of
 * {@code streamVideo()} (push): checks the session rules, hands the frame to the encoder for
 * conversion, and marks readiness at the first valid converted frame. A refused frame changes
 * nothing: the encoder keeps its last good picture.
 *
 * <p>A frame the encoder cannot take as it is (a DLPack tensor, a CUDA device buffer) goes through a
 * chain of {@link FrameImporter}s first. Importers may start GPU work and return at once: the import
 * waits as "pending" and the pacer submits it to the encoder at its next tick, after
 * {@link ImportedFrame#awaitReady()}. Imports are closed (their memory released, a DLPack deleter
 * called) once the encoder has moved on to a newer picture, when a newer frame replaces them before
 * the pacer took them, or at close. Closing waits for GPU work still reading the caller's buffer, so
 * the caller's buffer is free once the next {@code streamVideo()} returns.
 */
final class FrameIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameIngest.class);
    private static final int MAX_IMPORT_CHAIN = 4;

    private final ServerConfig config;
    private final EncoderSlot encoder;
    private final Function<VideoFrame.Kind, FrameImporter> importers;
    /** One encoder submit at a time (the encoder's memory contract); guards submittedImport. */
    private final Object submitLock = new Object();
    /** Guards pendingImport only, so streamVideo() never waits for the pacer's conversion. */
    private final Object pendingLock = new Object();
    private final AtomicBoolean pendingPicture = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Imported, not yet given to the encoder (guarded by pendingLock). */
    private List<ImportedFrame> pendingImport;
    /** The last import accepted, pending or taken by the pacer (guarded by pendingLock). */
    private List<ImportedFrame> lastImport;
    /** What the encoder's current picture came from (guarded by submitLock). */
    private List<ImportedFrame> submittedImport;

    FrameIngest(ServerConfig config, EncoderSlot encoder, Function<VideoFrame.Kind, FrameImporter> importers) {
        this.config = config;
        this.encoder = encoder;
        this.importers = importers;
    }

    /** Told of every accepted frame (the scheduler sends pushed frames at once). */
    private volatile Runnable onAccepted = () -> { };

    void onAccepted(Runnable listener) {
        this.onAccepted = listener;
    }

    FrameIngest(ServerConfig config, EncoderSlot encoder) {
        this(config, encoder, kind -> null);
    }

    /**
     * Validates and converts (or imports) one frame. One frame at a time: the encoder's submit
     * contract (memory released when the next submit returns) relies on it.
     *
     * @throws InvalidFrameException when a rule is broken (nothing changes)
     * @throws Exception when the encoder or an importer cannot convert it (the previous picture stays)
     */
    void accept(VideoFrame frame) throws Exception {
        try {
            FrameRules.check(frame, config);
        } catch (IllegalArgumentException e) {
            refused.incrementAndGet();
            throw e;
        }
        Set<VideoFrame.Kind> direct = encoder.acceptedKinds();
        if (direct.isEmpty()) {
            return; // no encoder bound yet: nothing to convert into
        }
        if (direct.contains(frame.kind())) {
            synchronized (submitLock) {
                if (!encoder.submit(frame)) {
                    return;
                }
                closeAll(submittedImport);
                submittedImport = null;
            }
            onConverted();
            onAccepted.run();
            return;
        }
        List<ImportedFrame> chain = importChain(frame, direct);
        List<ImportedFrame> replaced;
        List<ImportedFrame> previous;
        synchronized (pendingLock) {
            replaced = pendingImport;
            previous = lastImport;
            pendingImport = chain;
            lastImport = chain;
        }
        // The streamVideo() contract: once this call returns, the previous caller's buffer is no
        // longer read. A replaced import was never encoded: the newest frame wins; close waits for
        // its GPU reads. One the pacer took is awaited (normally finished long ago: no wait).
        closeAll(replaced);
        if (previous != null && previous != replaced) {
            previous.get(previous.size() - 1).awaitReady();
        }
        onAccepted.run();
    }

    private List<ImportedFrame> importChain(VideoFrame frame, Set<VideoFrame.Kind> direct) throws Exception {
        List<ImportedFrame> chain = new ArrayList<>();
        VideoFrame current = frame;
        try {
            while (!direct.contains(current.kind())) {
                if (chain.size() == MAX_IMPORT_CHAIN) {
                    throw new InvalidFrameException("kind", frame.kind(), "no importer chain reaches what the encoder takes " + direct);
                }
                FrameImporter importer = importers.apply(current.kind());
                if (importer == null) {
                    throw new InvalidFrameException("kind", current.kind(), "no frame importer is installed for it"
                            + " (device frames need the cuda-source plugin, DLPack tensors the dlpack-source plugin)");
                }
                ImportedFrame imported = importer.importFrame(current, config);
                chain.add(imported);
                current = imported.frame();
            }
            FrameRules.checkStreamSize(current.width(), current.height(), config);
            return chain;
        } catch (Exception e) {
            refused.incrementAndGet();
            closeAll(chain);
            throw e;
        }
    }

    private void onConverted() {
        accepted.incrementAndGet();
        pendingPicture.set(true);
        if (ready.compareAndSet(false, true)) {
            if (config.videoInput().isBitstream()) {
                LOG.info("First {} frame ready: {}x{}", config.videoInput().codec(), config.width(), config.height());
            } else {
                LOG.info("First BGRA frame ready: {}x{}", config.width(), config.height());
            }
        }
    }

    /** Submits the loading picture shown before the first real frame; it does not make the server ready. */
    void submitLoadingPicture() throws Exception {
        if (config.videoInput().isBitstream()) {
            return; // a bitstream session has nothing to encode a loading picture with
        }
        synchronized (submitLock) {
            if (encoder.submit(LoadingFrame.create(config.width(), config.height()))) {
                pendingPicture.set(true);
            }
        }
    }

    /**
     * Called by the pacer before it encodes: gives a pending import to the encoder, then reports
     * whether a new picture arrived since the last call.
     */
    boolean takeNewPicture() {
        List<ImportedFrame> chain;
        synchronized (pendingLock) {
            chain = pendingImport;
            pendingImport = null;
        }
        if (chain != null) {
            submitImported(chain);
        }
        return pendingPicture.getAndSet(false);
    }

    private void submitImported(List<ImportedFrame> chain) {
        ImportedFrame last = chain.get(chain.size() - 1);
        try {
            last.awaitReady();
            synchronized (submitLock) {
                if (!encoder.submit(last.frame())) {
                    closeAll(chain);
                    return;
                }
                closeAll(submittedImport);
                submittedImport = chain;
            }
            onConverted();
        } catch (Exception e) {
            refused.incrementAndGet();
            closeAll(chain);
            LOG.warn("Imported frame could not be converted; the last good frame stays", e);
        }
    }

    private static void closeAll(List<ImportedFrame> chain) {
        if (chain == null) {
            return;
        }
        for (int i = chain.size() - 1; i >= 0; i--) { // the last import reads what the earlier ones hold
            try {
                chain.get(i).close();
            } catch (RuntimeException e) {
                LOG.warn("Releasing an imported frame failed", e);
            }
        }
    }

    /** @return true after the first valid frame */
    boolean isReady() {
        return ready.get();
    }

    long acceptedFrames() {
        return accepted.get();
    }

    long refusedFrames() {
        return refused.get();
    }

    /** Releases every import still held. */
    @Override
    public void close() {
        List<ImportedFrame> pending;
        synchronized (pendingLock) {
            pending = pendingImport;
            pendingImport = null;
        }
        closeAll(pending);
        synchronized (pendingLock) {
            lastImport = null;
        }
        synchronized (submitLock) {
            closeAll(submittedImport);
            submittedImport = null;
        }
    }
}
