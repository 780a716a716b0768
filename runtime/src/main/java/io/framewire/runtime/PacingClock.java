package io.framewire.runtime;

/**
 * Time as the scheduler sees it: a monotonic clock and a way to wait for a deadline. Tests use a
 * fake one, so pacing is checked without reading the wall clock.
 */
public interface PacingClock {
    /** @return monotonic nanoseconds */
    long nanoTime();

    /** Waits until {@link #nanoTime()} reaches {@code deadline}. */
    void sleepUntil(long deadline) throws InterruptedException;

    /**
     * Waits until {@code deadline}, or less once {@code wakeEarly} is true (the waiting thread is
     * unparked to look at it).
     */
    default void sleepUntil(long deadline, java.util.function.BooleanSupplier wakeEarly) throws InterruptedException {
        sleepUntil(deadline);
    }

    /** The system's monotonic clock. */
    PacingClock SYSTEM = new PacingClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadline) throws InterruptedException {
            sleepUntil(deadline, () -> false);
        }

        @Override
        public void sleepUntil(long deadline, java.util.function.BooleanSupplier wakeEarly) throws InterruptedException {
            long remaining;
            while ((remaining = deadline - System.nanoTime()) > 0 && !wakeEarly.getAsBoolean()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                // parkNanos overshoots by ~50-100 µs on Linux; good enough at <= 240 fps.
                java.util.concurrent.locks.LockSupport.parkNanos(remaining);
            }
        }
    };
}
