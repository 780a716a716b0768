package io.framewire.runtime;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs failures that a peer can trigger at will (a stage load that fails, a message a listener
 * chokes on): one WARN line without a stack trace, at most one per {@value #INTERVAL_SECONDS} s;
 * the lines left out are counted and the next line says how many. The stack trace goes to DEBUG.
 * Unlike {@link ThrottledWarning} (the server's own recurring faults), no stack at WARN: forty
 * failed loads from one peer once wrote 280 lines. Callers escape peer text with
 * {@link io.framewire.api.spi.LogText} before it gets here.
 */
final class RemoteFailureLog {
    static final long INTERVAL_SECONDS = 5;
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS);

    private final Logger log;
    private final LongSupplier nanoClock;
    private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong notLogged = new AtomicLong();

    RemoteFailureLog(Logger log) {
        this(log, System::nanoTime);
    }

    /** For tests: a clock in nanoseconds. */
    RemoteFailureLog(Logger log, LongSupplier nanoClock) {
        this.log = log;
        this.nanoClock = nanoClock;
    }

    /**
     * @param line  the whole line, peer text already escaped
     * @param cause logged at DEBUG with its stack; may be null
     */
    void warn(String line, Throwable cause) {
        if (cause != null && log.isDebugEnabled()) {
            log.debug(line, cause);
        }
        long now = nanoClock.getAsLong();
        long last = lastNanos.get();
        if ((last != Long.MIN_VALUE && now - last < INTERVAL_NANOS) || !lastNanos.compareAndSet(last, now)) {
            notLogged.incrementAndGet();
            return;
        }
        long skipped = notLogged.getAndSet(0);
        if (skipped == 0) {
            log.warn("{}", line);
        } else {
            log.warn("{} ({} more like it since the last such line were not logged)", line, skipped);
        }
    }
}
