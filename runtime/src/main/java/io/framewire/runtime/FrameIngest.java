package io.framewire.runtime;

import io.framewire.api.FrameRules;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one door frames come in by, from the render thread (pull sources) or from callers of
 * {@code streamVideo()} (push): checks the session rules, hands the frame to the encoder for
 * conversion, and marks readiness at the first valid frame. A refused frame changes nothing: the
 * encoder keeps its last good picture.
 */
final class FrameIngest {
    private static final Logger LOG = LoggerFactory.getLogger(FrameIngest.class);

    private final ServerConfig config;
    private final EncoderSlot encoder;
    private final Object submitLock = new Object();
    private final AtomicBoolean pendingPicture = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    FrameIngest(ServerConfig config, EncoderSlot encoder) {
        this.config = config;
        this.encoder = encoder;
    }

    /**
     * Validates and converts one frame. One frame at a time: the encoder's submit contract (memory
     * released when the next submit returns) relies on it.
     *
     * @throws io.framewire.api.InvalidFrameException when a rule is broken (nothing changes)
     * @throws Exception when the encoder cannot convert it (its previous picture stays)
     */
    void accept(VideoFrame frame) throws Exception {
        try {
            FrameRules.check(frame, config);
        } catch (IllegalArgumentException e) {
            refused.incrementAndGet();
            throw e;
        }
        boolean submitted;
        synchronized (submitLock) {
            submitted = encoder.submit(frame);
        }
        if (!submitted) {
            return; // no encoder bound yet: nothing to convert into
        }
        accepted.incrementAndGet();
        pendingPicture.set(true);
        if (ready.compareAndSet(false, true)) {
            if (config.videoInput().isBitstream()) {
                LOG.info("First {} frame ready: {}x{}", config.videoInput().codec(), frame.width(), frame.height());
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

    /** @return true once (per new picture) when a picture arrived since the last call */
    boolean takeNewPicture() {
        return pendingPicture.getAndSet(false);
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
}
