package io.framewire.runtime;

import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * Asks the active {@link FrameSource} for this tick's frame, on the pacer thread, and hands it to
 * {@link FrameIngest}. It only TRY-locks the stage lock: while a stage load holds it, nothing is
 * rendered and the encoder stage repeats the last good picture.
 */
final class SourcePull {
    private static final Logger LOG = LoggerFactory.getLogger(SourcePull.class);

    private final int width;
    private final int height;
    private final Lock stageLock;
    private final Supplier<FrameSource> activeSource;
    private final FrameIngest ingest;
    private final RuntimeCounters counters;
    private final PacingClock clock;
    private final ThrottledWarning failures = new ThrottledWarning(LOG);

    SourcePull(int width, int height, Lock stageLock, Supplier<FrameSource> activeSource, FrameIngest ingest,
               RuntimeCounters counters, PacingClock clock) {
        this.width = width;
        this.height = height;
        this.stageLock = stageLock;
        this.activeSource = activeSource;
        this.ingest = ingest;
        this.counters = counters;
        this.clock = clock;
    }

    /** @return the source the next {@link #render} calls, or null when frames only come from {@code streamVideo()} */
    FrameSource active() {
        return activeSource.get();
    }

    /** Renders one frame from {@code source} (may take long: the pacer's guard watches) and ingests it. */
    void render(FrameSource source, long frameNumber, long ptsMicros) {
        if (source == null) {
            return;
        }
        if (!stageLock.tryLock()) {
            counters.lockBusyTicks.incrementAndGet(); // a stage load runs: repeat the last good frame
            return;
        }
        try {
            VideoFrame frame = source.render(new FrameRequest(width, height, frameNumber, ptsMicros));
            if (frame != null) {
                ingest.accept(frame);
            } else {
                counters.lastFreshNanos = clock.nanoTime(); // nothing new, but the source answered: alive
            }
        } catch (Throwable t) {
            counters.sourceErrors.incrementAndGet();
            failures.warn("Frame source failed at frame " + frameNumber + "; repeating the last good frame", t);
        } finally {
            stageLock.unlock();
        }
    }
}
