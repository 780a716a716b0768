package io.framewire.plugin.webrtc.signaling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the {@link SignalingListener} callbacks on one thread, in order. Client messages are bounded
 * ({@code capacity} waiting); connect/disconnect events are never refused while running, so a
 * listener always sees onConnect ... onDisconnect pairs.
 */
final class ListenerDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);

    private final int capacity;
    private final TrackingThreadFactory threads;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();

    ListenerDispatcher(String threadName, int capacity) {
        this.capacity = capacity;
        this.threads = new TrackingThreadFactory(threadName);
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads);
    }

    /** @return false when the queue is full or the dispatcher stopped (the message is dropped) */
    boolean submitMessage(Runnable task) {
        if (queuedMessages.incrementAndGet() > capacity) {
            queuedMessages.decrementAndGet();
            rejected.incrementAndGet();
            return false;
        }
        try {
            executor.execute(() -> {
                queuedMessages.decrementAndGet();
                run(task);
            });
            return true;
        } catch (RejectedExecutionException e) {
            queuedMessages.decrementAndGet();
            rejected.incrementAndGet();
            return false;
        }
    }

    /** Queues a connect/disconnect callback; ignored only once stopped. */
    void submitLifecycle(Runnable task) {
        try {
            executor.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("Listener dispatcher stopped; lifecycle event dropped");
        }
    }

    long rejectedMessages() {
        return rejected.get();
    }

    int queued() {
        return executor.getQueue().size();
    }

    /**
     * Runs what is queued (up to {@code graceMillis}), then interrupts the listener and waits for
     * its thread to end.
     */
    void shutdown(long graceMillis) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                int dropped = executor.shutdownNow().size();
                LOG.warn("Signaling listener did not finish within {} ms; interrupted it, {} callbacks dropped", graceMillis, dropped);
                executor.awaitTermination(1000, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (!threads.joinAll(1000)) {
            LOG.warn("Signaling listener thread is still running after stop");
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.warn("Signaling listener callback failed", t);
        }
    }
}
