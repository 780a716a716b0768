package io.framewire.runtime;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a recurring failure at most once per interval: a source that throws at every tick must not
 * flood the log, while the counters still count every failure.
 */
final class ThrottledWarning {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Logger log;
    private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);

    ThrottledWarning(Logger log) {
        this.log = log;
    }

    /** Logs {@code message} with {@code t} unless a warning went out in the last 5 s. */
    void warn(String message, Throwable t) {
        long now = System.nanoTime();
        long last = lastNanos.get();
        if (last != Long.MIN_VALUE && now - last < INTERVAL_NANOS) {
            return;
        }
        if (lastNanos.compareAndSet(last, now)) {
            log.warn("{} (further failures within 5 s are only counted)", message, t);
        }
    }
}
