package io.framewire.runtime;

import io.framewire.api.spi.LogText;
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
 * loaded, cancelled, failed; each carries the URI. The stage is shared, so every peer (the requester
 * among them) learns that a load failed and why: the loader's exception message, cut to
 * {@value #MAX_ERROR_CHARS} chars. A loader must therefore keep file content out of its messages
 * (the scene loader names only the URI and a short reason).
 *
 * <p>Peers trigger loads, so failures are logged through {@link RemoteFailureLog} (one line, no
 * stack trace, rate-limited); URIs are logged through {@link LogText}.
 */
final class StageManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageManager.class);
    /** The longest error text a {@code stage.failed} carries. */
    static final int MAX_ERROR_CHARS = 200;

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
    private final RemoteFailureLog failures = new RemoteFailureLog(LOG);

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
            logFailure(request.uri, "no stage loader accepts it", null);
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
                LOG.info("Stage {} loaded in {} ms", LogText.of(request.uri.toString()), millis);
                announce(StageEvent.loaded(request.uri, millis));
            }
        } catch (Throwable t) {
            String error = errorText(t);
            logFailure(request.uri, error, t);
            announce(StageEvent.failed(request.uri, error));
        } finally {
            running = null;
            stageLock.unlock();
        }
    }

    private boolean accepts(StageLoader loader, URI uri) {
        try {
            return loader.canLoad(uri);
        } catch (RuntimeException e) {
            logFailure(uri, "stage loader " + loader + " failed in canLoad: " + errorText(e), e);
            return false;
        }
    }

    /** The error a peer is shown: the exception's message (its class when it has none), bounded. */
    static String errorText(Throwable t) {
        String message = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
        return message.length() <= MAX_ERROR_CHARS ? message : message.substring(0, MAX_ERROR_CHARS) + "...";
    }

    /** A peer can make loads fail at will: see {@link RemoteFailureLog}. */
    private void logFailure(URI uri, String error, Throwable t) {
        failures.warn("Stage " + LogText.of(uri.toString()) + " failed to load: " + LogText.of(error)
                + "; the previous stage stays", t);
    }

    private void announce(StageEvent event) {
        try {
            announcer.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("Could not announce {} of {}: {}", event.kind(), LogText.of(event.uri().toString()), e.toString());
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
