package io.framewire.runtime;

import io.framewire.api.spi.StageEvent;
import io.framewire.api.spi.StageLoadContext;
import io.framewire.api.spi.StageLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs stage loads on a background thread while holding the stage lock, and announces their
 * progress. Policy: the NEWEST request wins. A new request cancels the running load (its loader
 * sees {@link StageLoadContext#isCancelled()}) and replaces any queued one; a cancelled queued
 * request is announced as cancelled and never runs. {@link #requestLoad} never blocks.
 *
 * <p>Announcements go to every peer as {@link StageEvent}s: started, progress (0..1 and a detail),
 * loaded, cancelled, failed; each carries the URI.
 */
final class StageManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageManager.class);

    private final Lock stageLock;
    private final Supplier<Collection<StageLoader>> loaders;
    private final Consumer<StageEvent> announcer;
    private final ExecutorService loaderThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "framewire-stage-loader");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<LoadRequest> newest = new AtomicReference<>();
    private volatile LoadRequest running;

    StageManager(Lock stageLock, Supplier<Collection<StageLoader>> loaders, Consumer<StageEvent> announcer) {
        this.stageLock = stageLock;
        this.loaders = loaders;
        this.announcer = announcer;
    }

    /** Queues a load of {@code uri}; cancels the running and any queued load. Returns at once. */
    void requestLoad(URI uri) {
        LoadRequest request = new LoadRequest(uri);
        LoadRequest previous = newest.getAndSet(request);
        if (previous != null) {
            previous.cancelled = true;
        }
        loaderThread.execute(() -> run(request));
    }

    /** @return the URI being loaded now, or null */
    URI loading() {
        LoadRequest r = running;
        return r == null ? null : r.uri;
    }

    private void run(LoadRequest request) {
        if (request.cancelled) {
            announce(StageEvent.cancelled(request.uri));
            return;
        }
        StageLoader loader = loaders.get().stream().filter(l -> accepts(l, request.uri)).findFirst().orElse(null);
        if (loader == null) {
            announce(StageEvent.failed(request.uri, "no stage loader accepts uri=" + request.uri));
            return;
        }
        stageLock.lock(); // the render thread only try-locks, so this wait is short
        running = request;
        long start = System.nanoTime();
        try {
            announce(StageEvent.started(request.uri));
            loader.load(request.uri, request);
            if (request.cancelled) {
                announce(StageEvent.cancelled(request.uri));
            } else {
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                LOG.info("Stage {} loaded in {} ms", request.uri, millis);
                announce(StageEvent.loaded(request.uri, millis));
            }
        } catch (Throwable t) {
            LOG.warn("Stage {} failed to load; the previous stage stays", request.uri, t);
            announce(StageEvent.failed(request.uri, String.valueOf(t.getMessage())));
        } finally {
            running = null;
            stageLock.unlock();
        }
    }

    private static boolean accepts(StageLoader loader, URI uri) {
        try {
            return loader.canLoad(uri);
        } catch (RuntimeException e) {
            LOG.warn("Stage loader {} failed in canLoad({})", loader, uri, e);
            return false;
        }
    }

    private void announce(StageEvent event) {
        try {
            announcer.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("Could not announce {}", event, e);
        }
    }

    @Override
    public void close() {
        LoadRequest r = newest.get();
        if (r != null) {
            r.cancelled = true;
        }
        loaderThread.shutdownNow();
    }

    /** One request; it is its own load context. */
    private final class LoadRequest implements StageLoadContext {
        final URI uri;
        volatile boolean cancelled;

        LoadRequest(URI uri) {
            this.uri = uri;
        }

        @Override
        public void progress(double fraction, String detail) {
            announce(StageEvent.progress(uri, fraction, detail));
        }

        @Override
        public boolean isCancelled() {
            return cancelled || Thread.currentThread().isInterrupted();
        }
    }
}
