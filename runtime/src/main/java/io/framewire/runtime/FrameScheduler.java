package io.framewire.runtime;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Paces the stream. Each tick, on the pacer thread:
 * <ol>
 *   <li>asks the render thread for a frame: it TRY-locks the stage lock (never waits on it), calls the
 *       active {@link FrameSource} and feeds the frame through {@link FrameIngest}; the pacer waits at
 *       most half an interval for it;</li>
 *   <li>encodes the newest picture, or the last good one again when nothing new came (a stage load
 *       holds the lock, the source threw, stalled or returned null);</li>
 *   <li>hands the result to the transport.</li>
 * </ol>
 * So a peer gets a frame every tick whatever the loader or the source does. The pacer itself never
 * blocks on the stage lock or on a source.
 */
final class FrameScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameScheduler.class);
    private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ServerConfig config;
    private final PacingClock clock;
    private final Lock stageLock;
    private final Supplier<FrameSource> activeSource;
    private final FrameIngest ingest;
    private final EncoderSlot encoder;
    private final Consumer<EncodedFrame> sink;
    private final SchedulerStats stats;
    private final long renderBudgetNanos;
    private final AtomicBoolean keyframeRequested = new AtomicBoolean(true);

    private volatile boolean running;
    private Thread pacer;
    private ExecutorService renderThread = newRenderThread();
    private Future<?> pendingRender;
    private FrameSource stalledSource;
    private long lastErrorLogNanos = Long.MIN_VALUE;

    FrameScheduler(ServerConfig config, PacingClock clock, Lock stageLock, Supplier<FrameSource> activeSource,
                   FrameIngest ingest, EncoderSlot encoder, Consumer<EncodedFrame> sink, SchedulerStats stats) {
        this.config = config;
        this.clock = clock;
        this.stageLock = stageLock;
        this.activeSource = activeSource;
        this.ingest = ingest;
        this.encoder = encoder;
        this.sink = sink;
        this.stats = stats;
        this.renderBudgetNanos = config.frameIntervalNanos() / 2;
    }

    /** Starts the pacer thread. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        pacer = new Thread(this::loop, "framewire-pacer");
        pacer.setDaemon(true);
        pacer.setPriority(Thread.NORM_PRIORITY + 2);
        pacer.start();
    }

    /** Asks for a key frame at the next tick. */
    void requestKeyframe() {
        keyframeRequested.set(true);
    }

    private void loop() {
        TickPlan plan = new TickPlan(clock.nanoTime(), config.frameIntervalNanos());
        while (running) {
            try {
                clock.sleepUntil(plan.nextDeadline());
            } catch (InterruptedException e) {
                break;
            }
            long tick = plan.nextTick();
            runTick(tick, plan.ptsMicros(tick));
            plan.advance(clock.nanoTime());
            stats.skippedTicks.set(plan.skipped());
        }
    }

    /** One tick: render (bounded wait), encode newest or last good picture, send. Never throws. */
    void runTick(long frameNumber, long ptsMicros) {
        try {
            requestRender(frameNumber, ptsMicros);
            boolean fresh = ingest.takeNewPicture();
            EncodedFrame frame = encoder.encode(frameNumber, ptsMicros, keyframeRequested.getAndSet(false), !fresh);
            if (frame == null) {
                return;
            }
            sink.accept(frame);
            stats.framesSent.incrementAndGet();
            if (!fresh) {
                stats.framesRepeated.incrementAndGet();
            }
            stats.lastSendNanos = clock.nanoTime();
        } catch (Throwable t) {
            stats.encodeErrors.incrementAndGet();
            logRateLimited("Tick " + frameNumber + " failed; the next tick goes on", t);
        }
    }

    private void requestRender(long frameNumber, long ptsMicros) throws InterruptedException {
        if (pendingRender != null && !pendingRender.isDone()) {
            stats.stalledTicks.incrementAndGet();
            abandonStalledRenderIfSourceChanged();
            return;
        }
        FrameRequest request = new FrameRequest(config.width(), config.height(), frameNumber, ptsMicros);
        pendingRender = renderThread.submit(() -> renderOnce(request));
        try {
            pendingRender.get(renderBudgetNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            stalledSource = activeSource.get(); // still rendering: the next ticks repeat the last good frame
        } catch (ExecutionException e) {
            // renderOnce catches everything; nothing to do
        }
    }

    /** A source stuck in render() blocks the render thread; when the source is swapped, start a new thread. */
    private void abandonStalledRenderIfSourceChanged() {
        if (activeSource.get() != stalledSource) {
            LOG.warn("Abandoning the render thread stuck in source {}", stalledSource);
            pendingRender.cancel(true);
            renderThread.shutdownNow();
            renderThread = newRenderThread();
            pendingRender = null;
        }
    }

    private void renderOnce(FrameRequest request) {
        if (!stageLock.tryLock()) {
            stats.lockBusyTicks.incrementAndGet(); // a stage load runs: repeat the last good frame
            return;
        }
        try {
            FrameSource source = activeSource.get();
            if (source == null) {
                return;
            }
            VideoFrame frame = source.render(request);
            if (frame != null) {
                ingest.accept(frame);
            }
        } catch (Throwable t) {
            stats.sourceErrors.incrementAndGet();
            logRateLimited("Frame source failed at frame " + request.frameNumber() + "; repeating the last good frame", t);
        } finally {
            stageLock.unlock();
        }
    }

    private void logRateLimited(String message, Throwable t) {
        long now = System.nanoTime();
        synchronized (this) {
            if (lastErrorLogNanos != Long.MIN_VALUE && now - lastErrorLogNanos < ERROR_LOG_INTERVAL_NANOS) {
                return;
            }
            lastErrorLogNanos = now;
        }
        LOG.warn("{} (source errors so far: {}, further errors within 5 s are only counted)", message,
                stats.sourceErrors.get(), t);
    }

    private static ExecutorService newRenderThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "framewire-render");
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops the pacer and the render thread. */
    @Override
    public synchronized void close() {
        running = false;
        if (pacer != null) {
            pacer.interrupt();
            try {
                pacer.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pacer = null;
        }
        renderThread.shutdownNow();
    }
}
