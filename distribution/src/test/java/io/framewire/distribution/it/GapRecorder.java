package io.framewire.distribution.it;

import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport registered by the test itself: it notes when each frame arrives, so the test sees the
 * largest gap between two sent frames while plugin bundles come and go.
 */
public final class GapRecorder implements Transport {
    /** Its {@code framewire.name}. */
    public static final String NAME = "it-gap-recorder";

    private final AtomicLong frames = new AtomicLong();
    private volatile long lastNanos = -1;
    private volatile long largestGapNanos;

    @Override
    public void start(TransportContext context) {
    }

    @Override
    public synchronized void send(EncodedFrame frame) {
        long now = System.nanoTime();
        if (lastNanos >= 0) {
            largestGapNanos = Math.max(largestGapNanos, now - lastNanos);
        }
        lastNanos = now;
        frames.incrementAndGet();
    }

    @Override
    public void sendMessage(String peerId, OutgoingMessage message) {
    }

    @Override
    public int peerCount() {
        return 0;
    }

    @Override
    public void stop() {
    }

    /** @return frames received so far */
    public long frames() {
        return frames.get();
    }

    /** @return the largest gap since the last call, in milliseconds (and starts a new window) */
    public synchronized double takeLargestGapMillis() {
        double gap = largestGapNanos / 1e6;
        largestGapNanos = 0;
        return gap;
    }
}
