package io.framewire.runtime;

import io.framewire.api.Defaults;
import io.framewire.api.KeyframeRequestListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Tells the session's {@link KeyframeRequestListener}s that a viewer needs a key frame, at most once
 * per {@link Defaults#KEYFRAME_REQUEST_INTERVAL_MILLIS}. A request that comes within the interval is
 * not lost: it stays pending and goes out at the first tick after the interval, unless a key frame
 * was sent in between (every waiting viewer starts at any key frame).
 *
 * <p>One lock discipline: this object's monitor guards the timing fields; listeners are called
 * outside it, on the thread that requested (a transport's) or the pacer's.
 */
final class KeyframeRequests {
    private static final Logger LOG = LoggerFactory.getLogger(KeyframeRequests.class);
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(Defaults.KEYFRAME_REQUEST_INTERVAL_MILLIS);

    private final PacingClock clock;
    private final List<KeyframeRequestListener> listeners = new CopyOnWriteArrayList<>();
    private final ThrottledWarning listenerFailures = new ThrottledWarning(LOG);
    private boolean pending;
    private boolean fired;
    private long lastFiredNanos;
    private long notified;

    KeyframeRequests(PacingClock clock) {
        this.clock = clock;
    }

    /** @return a handle that removes {@code listener} */
    AutoCloseable add(KeyframeRequestListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** A viewer wants a key frame: tells the listeners now, or at the first tick after the interval. */
    void request() {
        synchronized (this) {
            pending = true;
        }
        fireIfDue();
    }

    /** A key frame went out: every pending request is answered. */
    synchronized void keyframeSent() {
        pending = false;
    }

    /** Called every tick: delivers a request held back by the interval. */
    void tick() {
        fireIfDue();
    }

    /** @return how many times the listeners were told (for tests and health) */
    synchronized long notified() {
        return notified;
    }

    private void fireIfDue() {
        synchronized (this) {
            long now = clock.nanoTime();
            if (!pending || (fired && now - lastFiredNanos < INTERVAL_NANOS)) {
                return;
            }
            pending = false;
            fired = true;
            lastFiredNanos = now;
            notified++;
        }
        for (KeyframeRequestListener l : listeners) {
            try {
                l.keyframeRequested();
            } catch (RuntimeException e) {
                listenerFailures.warn("A keyframe-request listener failed", e);
            }
        }
    }
}
