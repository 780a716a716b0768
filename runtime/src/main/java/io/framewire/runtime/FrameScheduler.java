package io.framewire.runtime;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Paces the stream. Each tick, on the pacer thread:
 * <ol>
 *   <li>TRY-locks the stage lock (never waits on it); with it, asks the active {@link FrameSource}
 *       for a frame and feeds it through {@link FrameIngest}; without it (a stage load runs), renders
 *       nothing;</li>
 *   <li>encodes the newest picture, or the last good one again when nothing new came;</li>
 *   <li>hands the result to the transport.</li>
 * </ol>
 * <p>A frame pushed through {@code streamVideo()} from another thread wakes the pacer, which sends
 * it at once instead of at the next tick, and moves the grid: the next tick comes 1.5 intervals
 * later, so a producer at the session's fps, with some jitter, sets the pace and the last good frame
 * is repeated only when it is late. Pushed frames are never sent less than 3/4 of an interval
 * apart, and a token bucket keeps the average at the session's fps however fast they come.
 *
 * <p>Rendering inline costs one thread wake-up per tick. A source that stalls would hold the pacer, so
 * a guard thread, waking every two intervals (at most every 50 ms), takes over: it sends the last good frame on the tick
 * grid until the source returns, and if the stuck source is swapped for another, it starts a fresh
 * pacer thread and abandons the stuck one.
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
    private volatile long interval;
    private final AtomicBoolean keyframeRequested = new AtomicBoolean(true);

    /** Guards {@link #plan} and the encode-and-send step, shared by the pacer and the guard. */
    private final Object tickLock = new Object();
    private TickPlan plan;
    /** Which pacer thread is the live one; a stuck one that returns later sees it changed and exits. */
    private volatile Thread pacer;
    /** When the pacer entered the source, or 0 when it is not inside it. */
    private volatile long renderStartedNanos;
    private volatile FrameSource renderingSource;
    private volatile boolean running;
    private Thread guard;
    /** Set when a frame was pushed from outside the pacer: send it now. */
    private final AtomicBoolean pushed = new AtomicBoolean();
    /** Set by {@link #setFps}: the pacer's current wait was computed with the old interval. */
    private final AtomicBoolean retimed = new AtomicBoolean();
    /** Cuts the pacer's wait short; one instance, not a new lambda each tick. */
    private final BooleanSupplier wakeEarly = () -> pushed.get() || retimed.get();
    /** Ticks the pacer may send ahead of the fps (pacer thread only): one more per interval, two at most. */
    private double tokens = 1;
    /** When the last tick started (pacer thread only). */
    private long lastTickNanos = Long.MIN_VALUE / 2;
    private long tokensAt = Long.MIN_VALUE;
    private long startNanos;
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
        this.interval = config.frameIntervalNanos();
    }

    /** Starts the pacer and the guard. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        synchronized (tickLock) {
            startNanos = clock.nanoTime();
            plan = new TickPlan(startNanos, interval);
        }
        startPacer();
        guard = new Thread(this::guardLoop, "framewire-pacer-guard");
        guard.setDaemon(true);
        guard.start();
    }

    private void startPacer() {
        Thread thread = new Thread(this::pacerLoop, "framewire-pacer");
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY + 2);
        pacer = thread;
        thread.start();
    }

    /** Asks for a key frame at the next tick. */
    void requestKeyframe() {
        keyframeRequested.set(true);
    }

    private void pacerLoop() {
        Thread self = Thread.currentThread();
        try {
            while (running && pacer == self) {
                pace(self);
            }
        } catch (InterruptedException e) {
            // closed, or abandoned while stuck in a source: this pacer ends
        }
    }

    /**
     * Waits for the next tick, or less for a pushed frame, and runs it. The loop body is a method of
     * its own on purpose: a loop that turns only fps times a second stays in the interpreter for
     * minutes (on-stack replacement waits for tens of thousands of turns), while a method called once
     * a tick is compiled within seconds.
     */
    private void pace(Thread self) throws InterruptedException {
        long deadline;
        synchronized (tickLock) {
            deadline = plan.nextDeadline();
        }
        clock.sleepUntil(deadline, wakeEarly);
        if (retimed.getAndSet(false)) {
            return; // the grid changed while waiting: wait for the new deadline
        }
        long now = clock.nanoTime();
        if (pushed.getAndSet(false) && now < deadline) {
            now = sendPushedFrameNow(now);
        }
        lastTickNanos = now;
        takeToken(now);
        runTick(self, now);
    }

    /**
     * Sends a pushed frame now, unless that would be too soon: at least 3/4 of an interval after the
     * last tick (a producer at the fps, early now and then, never waits, and a wait does not carry
     * over to the next frame), and no more than two ticks ahead of the fps on average (pushes faster
     * than the fps are held back). Then moves the grid: the next tick comes 1.5 intervals later.
     *
     * @return when the tick starts
     */
    private long sendPushedFrameNow(long now) throws InterruptedException {
        refillTokens(now);
        long allowedAt = Math.max(lastTickNanos + interval * 3 / 4,
                tokens < -2 ? now + (long) ((-2 - tokens) * interval) : now);
        if (allowedAt > now) {
            clock.sleepUntil(allowedAt);
            now = clock.nanoTime();
        }
        synchronized (tickLock) {
            plan.rebase(now + interval / 2); // this tick runs now; the next one 1.5 intervals later
        }
        return now;
    }

    private void refillTokens(long now) {
        if (tokensAt != Long.MIN_VALUE) {
            tokens = Math.min(2, tokens + (double) (now - tokensAt) / interval);
        }
        tokensAt = now;
    }

    private void takeToken(long now) {
        refillTokens(now);
        tokens -= 1;
    }

    /** Changes the frame rate while streaming: the next tick comes one new interval from now. */
    void setFps(int fps) {
        synchronized (tickLock) {
            interval = 1_000_000_000L / fps;
            if (plan != null) {
                plan.retime(interval, clock.nanoTime());
            }
        }
        retimed.set(true);
        LockSupport.unpark(pacer); // a pacer asleep on the old interval looks again
    }

    /** A frame was accepted: if pushed from outside the pacer, wake it to send the frame now. */
    void onFrameAccepted() {
        Thread p = pacer;
        if (p != null && Thread.currentThread() != p) {
            pushed.set(true);
            LockSupport.unpark(p);
        }
    }

    /** @return microseconds since the session started: frames carry the time they are sent */
    private long ptsNow() {
        return ptsAt(clock.nanoTime());
    }

    /** @return the presentation time of a moment read from the clock (microseconds since the start) */
    private long ptsAt(long nanos) {
        return (nanos - startNanos) / 1000;
    }

    /**
     * One tick on the pacer, started at {@code now}: render inline (bounded only by the source), then
     * encode and send.
     */
    private void runTick(Thread self, long now) {
        long tick;
        synchronized (tickLock) {
            tick = plan.nextTick();
        }
        renderingSource = activeSource.get();
        renderStartedNanos = now;
        try {
            renderOnce(renderingSource, new FrameRequest(config.width(), config.height(), tick, ptsAt(now)));
        } finally {
            renderStartedNanos = 0;
        }
        synchronized (tickLock) {
            if (pacer != self || !running) {
                return; // abandoned while stuck in the source, or closed: the live pacer owns the grid
            }
            encodeAndSend();
        }
    }

    /** Encodes the newest (or last good) picture for the plan's next tick and sends it. Holds tickLock. */
    private void encodeAndSend() {
        long frameNumber = plan.nextTick();
        try {
            boolean fresh = ingest.takeNewPicture();
            EncodedFrame frame = encoder.encode(frameNumber, ptsNow(), keyframeRequested.getAndSet(false), !fresh);
            if (frame != null) {
                sink.accept(frame);
                stats.framesSent.incrementAndGet();
                if (!fresh) {
                    stats.framesRepeated.incrementAndGet();
                }
                stats.lastSendNanos = clock.nanoTime();
            }
        } catch (Throwable t) {
            stats.encodeErrors.incrementAndGet();
            logRateLimited("Tick " + frameNumber + " failed to encode or send; the next tick goes on", t);
        } finally {
            plan.advance(clock.nanoTime());
            stats.skippedTicks.set(plan.skipped());
        }
    }

    private void renderOnce(FrameSource source, FrameRequest request) {
        if (source == null) {
            return;
        }
        if (!stageLock.tryLock()) {
            stats.lockBusyTicks.incrementAndGet(); // a stage load runs: repeat the last good frame
            return;
        }
        try {
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

    /**
     * Wakes every two intervals, at most every 50 ms (one timed wait), and checks that the pacer is not stuck in
     * the source; when it is, keeps the stream alive on the tick grid.
     */
    private void guardLoop() {
        while (running) {
            // two intervals, but no more often than every 50 ms: each look is a thread wake-up
            LockSupport.parkNanos(Math.max(2 * interval, TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.interrupted()) {
                break;
            }
            long started = renderStartedNanos;
            if (running && started != 0 && clock.nanoTime() - started > interval) {
                keepStreamAliveWhileStuck(started);
            }
        }
    }

    private void keepStreamAliveWhileStuck(long started) {
        FrameSource stuckSource = renderingSource;
        // a slow first frame (class loading, JIT) is normal: warn only about stalls a person would notice
        long warnAfter = started + TimeUnit.SECONDS.toNanos(1);
        boolean warned = false;
        LOG.debug("Frame source {} is late; sending the last good frame until it returns", stuckSource);
        while (running && renderStartedNanos == started) {
            long deadline;
            synchronized (tickLock) {
                if (renderStartedNanos != started) {
                    break;
                }
                stats.stalledTicks.incrementAndGet();
                encodeAndSend();
                deadline = plan.nextDeadline();
            }
            if (!warned && clock.nanoTime() > warnAfter) {
                warned = true;
                LOG.warn("Frame source {} has not returned for 1 s; sending the last good frame until it does", stuckSource);
            }
            if (activeSource.get() != stuckSource) {
                abandonStuckPacer(stuckSource);
                return;
            }
            try {
                clock.sleepUntil(deadline);
            } catch (InterruptedException e) {
                return;
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - started);
        if (warned) {
            LOG.info("Frame source {} returned after {} ms", stuckSource, millis);
        } else {
            LOG.debug("Frame source {} returned after {} ms", stuckSource, millis);
        }
    }

    /** The stuck source was swapped out: a new pacer renders the new source; the stuck thread exits when (if) it returns. */
    private void abandonStuckPacer(FrameSource stuckSource) {
        LOG.warn("Abandoning the pacer thread stuck in source {}; starting a new one", stuckSource);
        Thread stuck = pacer;
        synchronized (this) {
            if (running) {
                startPacer();
            }
        }
        stuck.interrupt();
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

    /** Stops the pacer and the guard. */
    @Override
    public synchronized void close() {
        running = false;
        Thread p = pacer;
        for (Thread t : new Thread[] {p, guard}) {
            if (t != null) {
                t.interrupt();
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
