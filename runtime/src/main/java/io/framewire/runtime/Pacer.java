package io.framewire.runtime;

import io.framewire.api.spi.FrameSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Owns time: the tick grid, the wake-up for pushed frames, and the guard against a stalled source.
 * Each tick, on the pacer thread, it asks {@link SourcePull} to render (which may take long) and
 * then has the {@link EncoderStage} encode and send, so a frame goes one way:
 * pacer → source → ingest → encoder stage → transport.
 *
 * <p>A frame pushed through {@code streamVideo()} from another thread ({@link #framePushed}) is sent
 * at once instead of at the next tick, and moves the grid: the next tick comes 1.5 intervals later,
 * so a producer at the session's fps, with some jitter, sets the pace and the last good frame is
 * repeated only when it is late. Pushed frames are never sent less than 3/4 of an interval apart,
 * and a token bucket keeps the average at the session's fps however fast they come.
 *
 * <p>Rendering inline costs one thread wake-up per tick. A source that stalls would hold the pacer,
 * so a guard thread, waking every two intervals (at most every 50 ms), takes over: it has the last
 * good frame sent on the tick grid until the source returns, and if the stuck source is swapped for
 * another, it starts a fresh pacer thread and abandons the stuck one.
 *
 * <p>One lock discipline: {@link #lock} guards the grid, the emit step (pacer and guard never emit
 * at once) and the threads' life; the wake-up flags are atomics read without it.
 */
final class Pacer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);

    private final PacingClock clock;
    private final SourcePull source;
    private final EncoderStage encoder;
    private final RuntimeCounters counters;
    private final Object lock = new Object();

    // Guarded by lock (running is also read without it: a stale read costs one more tick at most).
    private TickPlan plan;
    private long interval;
    private long startNanos;
    private volatile boolean running;
    private Thread guard;

    /** Which pacer thread is the live one; a stuck one that returns later sees it changed and exits. */
    private volatile Thread pacer;
    /** When the pacer entered the source, or 0 when it is not inside it. */
    private volatile long renderStartedNanos;
    private volatile FrameSource renderingSource;
    /** Set when a frame was pushed from outside the pacer: send it now. */
    private final AtomicBoolean pushed = new AtomicBoolean();
    /** Set by {@link #setFps}: the pacer's current wait was computed with the old interval. */
    private final AtomicBoolean retimed = new AtomicBoolean();
    /** Cuts the pacer's wait short; one instance, not a new lambda each tick. */
    private final BooleanSupplier wakeEarly = () -> pushed.get() || retimed.get();

    // The pacer thread's own.
    /** Ticks the pacer may send ahead of the fps: one more per interval, two at most. */
    private double tokens = 1;
    /** When the last tick started. */
    private long lastTickNanos = Long.MIN_VALUE / 2;
    private long tokensAt = Long.MIN_VALUE;

    Pacer(PacingClock clock, long intervalNanos, SourcePull source, EncoderStage encoder, RuntimeCounters counters) {
        this.clock = clock;
        this.interval = intervalNanos;
        this.source = source;
        this.encoder = encoder;
        this.counters = counters;
    }

    /** Starts the pacer and the guard. */
    void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            running = true;
            startNanos = clock.nanoTime();
            plan = new TickPlan(startNanos, interval);
            startPacerThread();
            guard = new Thread(this::guardLoop, "framewire-pacer-guard");
            guard.setDaemon(true);
            guard.start();
        }
    }

    /** Starts a pacer thread (holding lock). */
    private void startPacerThread() {
        Thread thread = new Thread(this::pacerLoop, "framewire-pacer");
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY + 2);
        pacer = thread;
        thread.start();
    }

    /** A frame was handed over from outside the pacer: wake it to send the frame now. */
    void framePushed() {
        Thread p = pacer;
        if (p != null && Thread.currentThread() != p) {
            pushed.set(true);
            LockSupport.unpark(p);
        }
    }

    /** Changes the frame rate while streaming: the next tick comes one new interval from now. */
    void setFps(int fps) {
        synchronized (lock) {
            interval = 1_000_000_000L / fps;
            if (plan != null) {
                plan.retime(interval, clock.nanoTime());
            }
        }
        retimed.set(true);
        LockSupport.unpark(pacer); // a pacer asleep on the old interval looks again
    }

    private void pacerLoop() {
        Thread self = Thread.currentThread();
        try {
            while (isLive(self)) {
                pace(self);
            }
        } catch (InterruptedException e) {
            // closed, or abandoned while stuck in a source: this pacer ends
        }
    }

    private boolean isLive(Thread self) {
        return running && pacer == self;
    }

    /**
     * Waits for the next tick, or less for a pushed frame, and runs it. The loop body is a method of
     * its own on purpose: a loop that turns only fps times a second stays in the interpreter for
     * minutes (on-stack replacement waits for tens of thousands of turns), while a method called once
     * a tick is compiled within seconds.
     */
    private void pace(Thread self) throws InterruptedException {
        long deadline;
        long tickInterval;
        synchronized (lock) {
            deadline = plan.nextDeadline();
            tickInterval = interval;
        }
        clock.sleepUntil(deadline, wakeEarly);
        if (retimed.getAndSet(false)) {
            return; // the grid changed while waiting: wait for the new deadline
        }
        long now = clock.nanoTime();
        if (pushed.getAndSet(false) && now < deadline) {
            now = sendPushedFrameNow(now, tickInterval);
        }
        lastTickNanos = now;
        takeToken(now, tickInterval);
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
    private long sendPushedFrameNow(long now, long tickInterval) throws InterruptedException {
        refillTokens(now, tickInterval);
        long allowedAt = Math.max(lastTickNanos + tickInterval * 3 / 4,
                tokens < -2 ? now + (long) ((-2 - tokens) * tickInterval) : now);
        if (allowedAt > now) {
            clock.sleepUntil(allowedAt);
            now = clock.nanoTime();
        }
        synchronized (lock) {
            plan.rebase(now + interval / 2); // this tick runs now; the next one 1.5 intervals later
        }
        return now;
    }

    private void refillTokens(long now, long tickInterval) {
        if (tokensAt != Long.MIN_VALUE) {
            tokens = Math.min(2, tokens + (double) (now - tokensAt) / tickInterval);
        }
        tokensAt = now;
    }

    private void takeToken(long now, long tickInterval) {
        refillTokens(now, tickInterval);
        tokens -= 1;
    }

    /** One tick on the pacer, started at {@code now}: render (bounded only by the source), then emit. */
    private void runTick(Thread self, long now) {
        long tick;
        synchronized (lock) {
            tick = plan.nextTick();
        }
        FrameSource active = source.active();
        renderingSource = active;
        renderStartedNanos = now;
        try {
            source.render(active, tick, ptsAt(now));
        } finally {
            renderStartedNanos = 0;
        }
        synchronized (lock) {
            if (pacer != self || !running) {
                return; // abandoned while stuck in the source, or closed: the live pacer owns the grid
            }
            emit();
        }
    }

    /** Has the encoder stage send the plan's next tick, then advances the grid. Holds lock. */
    private void emit() {
        long frameNumber = plan.nextTick();
        try {
            encoder.emit(frameNumber, ptsAt(clock.nanoTime())); // frames carry the time they are sent
        } finally {
            plan.advance(clock.nanoTime());
            counters.skippedTicks.set(plan.skipped());
        }
    }

    /** @return the presentation time of a moment read from the clock (microseconds since the start) */
    private long ptsAt(long nanos) {
        return (nanos - startNanos) / 1000;
    }

    /**
     * Wakes every two intervals, at most every 50 ms (one timed wait), and checks that the pacer is
     * not stuck in the source; when it is, keeps the stream alive on the tick grid.
     */
    private void guardLoop() {
        while (true) {
            long tickInterval;
            synchronized (lock) {
                if (!running) {
                    return;
                }
                tickInterval = interval;
            }
            // two intervals, but no more often than every 50 ms: each look is a thread wake-up
            LockSupport.parkNanos(Math.max(2 * tickInterval, TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.interrupted()) {
                return;
            }
            long started = renderStartedNanos;
            if (started != 0 && clock.nanoTime() - started > tickInterval) {
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
        while (renderStartedNanos == started) {
            long deadline;
            synchronized (lock) {
                if (!running || renderStartedNanos != started) {
                    break;
                }
                counters.stalledTicks.incrementAndGet();
                emit();
                deadline = plan.nextDeadline();
            }
            if (!warned && clock.nanoTime() > warnAfter) {
                warned = true;
                LOG.warn("Frame source {} has not returned for 1 s; sending the last good frame until it does", stuckSource);
            }
            if (source.active() != stuckSource) {
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
        Thread stuck;
        synchronized (lock) {
            stuck = pacer;
            if (running) {
                startPacerThread();
            }
        }
        stuck.interrupt();
    }

    /** Stops the pacer and the guard, and waits for them. */
    @Override
    public void close() {
        Thread[] threads;
        synchronized (lock) {
            running = false;
            threads = new Thread[] {pacer, guard};
        }
        for (Thread t : threads) {
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
