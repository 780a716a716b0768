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
import java.util.function.Function;

/**
 * The one door frames come in by, from a pull source (on the pacer thread) or from callers of
 * {@code streamVideo()}: checks the session rules, imports what the encoder cannot take as it is,
 * and hands the result forward to the {@link EncoderStage}. A refused frame changes nothing: the
 * encoder keeps its last good picture.
 *
 * <p>A DLPack tensor or a CUDA device frame goes through a chain of {@link FrameImporter}s; they may
 * start GPU work and return at once (the encoder stage waits for it before it converts). Stateless
 * apart from the counters: it holds no lock.
 */
final class FrameIngest {
    private static final Logger LOG = LoggerFactory.getLogger(FrameIngest.class);
    private static final int MAX_IMPORT_CHAIN = 4;

    private final ServerConfig config;
    private final EncoderStage encoder;
    private final Function<VideoFrame.Kind, FrameImporter> importers;
    private final RuntimeCounters counters;

    FrameIngest(ServerConfig config, EncoderStage encoder, Function<VideoFrame.Kind, FrameImporter> importers,
                RuntimeCounters counters) {
        this.config = config;
        this.encoder = encoder;
        this.importers = importers;
        this.counters = counters;
    }

    /**
     * Validates, imports if needed, and hands one frame to the encoder stage.
     *
     * @throws InvalidFrameException when a rule is broken (nothing changes)
     * @throws Exception when an importer fails (it has released what the frame handed over)
     */
    void accept(VideoFrame frame) throws Exception {
        try {
            FrameRules.check(frame, config);
        } catch (IllegalArgumentException e) {
            counters.refused(e, "rules");
            releaseUnused(frame);
            throw e;
        }
        Set<VideoFrame.Kind> direct = encoder.acceptedKinds();
        if (direct.isEmpty()) {
            releaseUnused(frame);
            return; // no encoder bound yet: nothing to convert into
        }
        if (direct.contains(frame.kind())) {
            try {
                encoder.check(frame); // e.g. a pre-encoded access unit is parsed here, on the caller's thread
            } catch (IllegalArgumentException e) {
                counters.refused(e, "encoder");
                throw e;
            }
        }
        Picture picture = direct.contains(frame.kind()) ? Picture.direct(frame) : Picture.imported(importChain(frame, direct));
        encoder.hand(picture);
    }

    /**
     * A DLPack frame hands the tensor's ownership over: one the server will not use is released now,
     * through the DLPack importer (which calls the deleter exactly once), so that a refusal never
     * leaks the producer's tensor. Without that importer nothing here can call a native deleter.
     */
    private void releaseUnused(VideoFrame frame) {
        if (frame == null || frame.kind() != VideoFrame.Kind.DLPACK) {
            return;
        }
        FrameImporter importer = importers.apply(VideoFrame.Kind.DLPACK);
        if (importer == null) {
            LOG.warn("DLPack tensor at 0x{} not used and not released: no frame importer for DLPack is installed",
                    Long.toHexString(frame.dlpackAddress()));
            return;
        }
        try {
            importer.importFrame(frame, config).close();
        } catch (Exception e) {
            LOG.debug("Unused DLPack tensor refused by the importer (it released it): {}", e.getMessage());
        }
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
            counters.refused(e, "import");
            Picture.closeAll(chain);
            throw e;
        }
    }
}
