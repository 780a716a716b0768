package io.framewire.plugin.webrtc.signaling;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs what a remote party can trigger at will (a refused upgrade, a message that fails, a rejected
 * offer) as one line without a stack trace, at most one line per {@value #INTERVAL_SECONDS} s; the
 * lines left out are counted and the next line says how many. A cause's stack trace goes to DEBUG.
 * Peer text in the line must already be escaped ({@link io.framewire.api.spi.LogText}).
 * Thread-safe; one instance per kind of event.
 */
public final class LogLimiter {
    /** At most one line per this many seconds. */
    public static final long INTERVAL_SECONDS = 5;
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS);

    private final Logger log;
    private final LongSupplier nanoClock;
    private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong notLogged = new AtomicLong();

    /** @param log where the lines go */
    public LogLimiter(Logger log) {
        this(log, System::nanoTime);
    }

    /** For tests: a clock in nanoseconds. */
    LogLimiter(Logger log, LongSupplier nanoClock) {
        this.log = log;
        this.nanoClock = nanoClock;
    }

    /** Logs {@code line} at INFO unless a line went out in the last interval. */
    public void info(String line) {
        String l = next(line);
        if (l != null) {
            log.info("{}", l);
        }
    }

    /** Logs {@code line} at WARN unless a line went out in the last interval; {@code cause}'s stack at DEBUG. */
    public void warn(String line, Throwable cause) {
        if (cause != null && log.isDebugEnabled()) {
            log.debug(line, cause);
        }
        String l = next(line);
        if (l != null) {
            log.warn("{}", l);
        }
    }

    /** @return how many lines were left out since the last one logged */
    public long notLogged() {
        return notLogged.get();
    }

    private String next(String line) {
        long now = nanoClock.getAsLong();
        long last = lastNanos.get();
        if ((last != Long.MIN_VALUE && now - last < INTERVAL_NANOS) || !lastNanos.compareAndSet(last, now)) {
            notLogged.incrementAndGet();
            return null;
        }
        long skipped = notLogged.getAndSet(0);
        return skipped == 0 ? line : line + " (" + skipped + " more like it since the last such line were not logged)";
    }
}
