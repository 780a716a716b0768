package io.framewire.runtime;

import java.util.concurrent.atomic.AtomicLong;

/** Counters the scheduler keeps; read by health checks and tests. */
final class SchedulerStats {
    final AtomicLong framesSent = new AtomicLong();
    final AtomicLong framesRepeated = new AtomicLong();
    final AtomicLong sourceErrors = new AtomicLong();
    final AtomicLong stalledTicks = new AtomicLong();
    final AtomicLong lockBusyTicks = new AtomicLong();
    final AtomicLong encodeErrors = new AtomicLong();
    final AtomicLong skippedTicks = new AtomicLong();
    volatile long lastSendNanos = -1;
}
