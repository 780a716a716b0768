package io.framewire.runtime;

import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Holds the session's current encoder so it can be swapped while the stream runs. Submitting
 * (ingest thread) and encoding (pacer thread) share the read lock and may overlap, as the
 * {@link Encoder} contract allows; a swap takes the write lock so no one uses a closed encoder.
 */
final class EncoderSlot implements AutoCloseable {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private Encoder encoder;

    /** Installs {@code next} (may be null) and closes the previous encoder. */
    void replace(Encoder next) {
        Encoder previous;
        lock.writeLock().lock();
        try {
            previous = encoder;
            encoder = next;
        } finally {
            lock.writeLock().unlock();
        }
        if (previous != null && previous != next) {
            previous.close();
        }
    }

    /** @return true when an encoder is installed */
    boolean isPresent() {
        lock.readLock().lock();
        try {
            return encoder != null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return the kinds the current encoder's submit takes (empty when there is no encoder) */
    java.util.Set<VideoFrame.Kind> acceptedKinds() {
        lock.readLock().lock();
        try {
            return encoder == null ? java.util.Set.of() : encoder.acceptedKinds();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * @return false when there is no encoder (the frame is dropped)
     */
    boolean submit(VideoFrame frame) throws Exception {
        lock.readLock().lock();
        try {
            if (encoder == null) {
                return false;
            }
            encoder.submit(frame);
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return the encoded frame, or null when there is no encoder or it had nothing to send */
    EncodedFrame encode(long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) throws Exception {
        lock.readLock().lock();
        try {
            return encoder == null ? null : encoder.encode(frameNumber, ptsMicros, keyframe, repeat);
        } finally {
            lock.readLock().unlock();
        }
    }

    void requestKeyframe() {
        lock.readLock().lock();
        try {
            if (encoder != null) {
                encoder.requestKeyframe();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    void setBitrateKbps(int kbps) {
        lock.readLock().lock();
        try {
            if (encoder != null) {
                encoder.setBitrateKbps(kbps);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    void setFps(int fps) {
        lock.readLock().lock();
        try {
            if (encoder != null) {
                encoder.setFps(fps);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        replace(null);
    }
}
