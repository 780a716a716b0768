package io.framewire.runtime;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The last stage before the transport: owns the session's encoder, the newest picture waiting to be
 * converted, and encode-and-send. Ingest threads only {@link #hand} pictures over; everything that
 * touches the encoder runs in {@link #emit}, which the {@link Pacer} calls once per tick and never
 * twice at once. So the encoder has one user, and a plugin change ({@link #install}), a new bitrate
 * or fps is taken up at the start of the next tick instead of racing an encode.
 *
 * <p>The {@code streamVideo()} contract lives here: {@link #hand} returns only once the previous
 * picture no longer reads the caller's memory (replaced before it was converted, or converted).
 *
 * <p>A new encoder (a plugin change, a fallback) starts from the last good picture: it is submitted
 * again, or, when its memory may be gone (its source was removed and it could not be copied), a
 * notice picture saying what is missing.
 *
 * <p>One lock discipline: this object's monitor guards the hand-over fields and the current
 * picture; the encoder belongs to the emitting thread.
 */
final class EncoderStage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EncoderStage.class);

    private final ServerConfig config;
    private final Consumer<EncodedFrame> transport;
    private final RuntimeCounters counters;
    private final PacingClock clock;
    private final ThrottledWarning encodeFailures = new ThrottledWarning(LOG);
    private final ThrottledWarning conversionFailures = new ThrottledWarning(LOG);
    private final AtomicBoolean keyframeWanted = new AtomicBoolean(true);
    private final KeyframeRequests keyframeRequests;
    /** Pre-encoded input: nothing to re-encode, every access unit must reach the transport. */
    private final boolean bitstream;
    private final BitstreamContinuity continuity = new BitstreamContinuity();
    private volatile boolean ready;
    /** Replaced encoders being closed off the tick; {@link #close} waits for them. */
    private final java.util.List<Thread> closers = new java.util.ArrayList<>();

    // Hand-over, guarded by this.
    private Encoder incoming;
    private boolean encoderChanged;
    /** Written under the monitor, read without it by ingest threads (once per frame). */
    private volatile Set<VideoFrame.Kind> acceptedKinds = Set.of();
    /** The newest encoder, for {@link #check} on ingest threads (the same write as acceptedKinds). */
    private volatile Encoder checker;
    private Picture pending;
    private Picture converting;
    private Picture lastHanded;
    /** The last converted picture; swapped by the emitting thread, replaced by a copy by {@link #detachCurrent}. */
    private Picture current;
    /** Whether {@link #current} may be submitted again (to a new encoder); false once its memory may be gone. */
    private boolean currentReusable;
    private int bitrateKbps;
    private int fps;
    private boolean rateChanged;
    private boolean closed;

    /** What a notice picture says when an encoder needs a picture and no good one is left; null: the loading picture. */
    private volatile String notice;

    // The emitting thread's own.
    private Encoder encoder;

    /**
     * @param config    the session's fixed size and input (for the loading picture and the first-frame log)
     * @param transport        where encoded frames go
     * @param keyframeRequests  told when a key frame is wanted from the producer and when one went out
     */
    EncoderStage(ServerConfig config, Consumer<EncodedFrame> transport, RuntimeCounters counters, PacingClock clock,
                 KeyframeRequests keyframeRequests) {
        this.config = config;
        this.transport = transport;
        this.counters = counters;
        this.clock = clock;
        this.keyframeRequests = keyframeRequests;
        this.bitstream = config.videoInput().isBitstream();
        this.bitrateKbps = config.bitrateKbps();
        this.fps = config.fps();
    }

    /** Makes {@code next} (may be null) the encoder from the next tick on; the previous one is closed then. */
    void install(Encoder next) {
        Encoder superseded;
        synchronized (this) {
            superseded = encoderChanged ? incoming : null;
            incoming = next;
            encoderChanged = true;
            // a new encoder starts at the configured rates: it takes up the ones in use (network-limited) too
            rateChanged = true;
            acceptedKinds = next == null ? Set.of() : next.acceptedKinds();
            checker = next;
        }
        if (superseded != null && superseded != next) {
            superseded.close(); // installed and replaced between two ticks: never used
        }
    }

    /** @return the frame kinds the newest encoder converts itself (empty without an encoder) */
    Set<VideoFrame.Kind> acceptedKinds() {
        return acceptedKinds;
    }

    /**
     * Lets the newest encoder refuse a frame on the caller's thread, before it is handed over (a
     * pre-encoded access unit that does not parse, for one).
     */
    void check(VideoFrame frame) {
        Encoder e = checker;
        if (e != null) {
            e.validate(frame);
        }
    }

    /** @param text what a notice picture says from now on (what is missing), or null for the plain loading picture */
    void notice(String text) {
        notice = text;
    }

    /**
     * Makes the last good picture independent of its producer's memory, before the producer goes
     * (its source bundle is stopping): a host picture read from the producer's buffer is copied; one
     * that cannot be copied is never submitted again.
     *
     * @param copy whether copying is safe: no render of that producer runs (the stage lock is held);
     *             false forgets the picture instead
     */
    void detachCurrent(boolean copy) throws InterruptedException {
        Picture copied = null;
        Picture old = null;
        synchronized (this) {
            while (current != null && converting == current) {
                wait(); // a new encoder is taking it right now
            }
            if (current == null || !currentReusable || !current.readsCallerMemory()) {
                return;
            }
            copied = copy ? Picture.copyOf(current.frame()) : null;
            if (copied == null) {
                currentReusable = false;
                return;
            }
            old = current;
            current = copied;
        }
        old.release();
    }

    /** Applies a new target bitrate and frame rate at the next tick. */
    synchronized void rates(int bitrateKbps, int fps) {
        this.bitrateKbps = bitrateKbps;
        this.fps = fps;
        rateChanged = true;
    }

    /** Asks for a key frame at the next tick: the end of the one keyframe-request path. */
    void requestKeyframe() {
        keyframeWanted.set(true);
    }

    /**
     * Hands the newest picture over; a picture still waiting is replaced (the newest wins) and
     * released. Returns once the previous picture no longer reads its caller's memory. In a
     * bitstream session nothing is replaced (a dropped access unit would break every later one):
     * the call waits until the previous unit was taken, so a producer faster than the session's fps
     * is held back to it.
     */
    void hand(Picture picture) throws InterruptedException {
        Picture replaced;
        Picture previous;
        synchronized (this) {
            if (closed) {
                replaced = picture;
                previous = null;
            } else {
                while (bitstream && pending != null && !closed) {
                    wait(); // emit() takes it at the next tick and notifies
                }
                replaced = pending;
                previous = lastHanded;
                pending = picture;
                lastHanded = picture;
                while (converting != null && converting == previous && previous.readsCallerMemory()) {
                    wait(); // the encoder is reading the previous caller's buffer right now
                }
            }
        }
        if (replaced != null) {
            replaced.release(); // never encoded; release waits for GPU work still reading the caller's buffer
        }
        if (previous != null && previous != replaced) {
            try {
                previous.awaitReady(); // normally finished long ago: no wait
            } catch (Exception e) {
                LOG.debug("The previous import failed while waiting for it", e);
            }
        }
    }

    /**
     * One tick's work: take up a new encoder or rates, convert the newest picture, encode it (or the
     * last good one again) and send it. Called by the pacer, never by two threads at once.
     */
    void emit(long frameNumber, long ptsMicros) {
        Picture next;
        Encoder swapIn = null;
        boolean swap;
        int newBitrate = 0;
        int newFps = 0;
        boolean retune;
        synchronized (this) {
            swap = encoderChanged;
            if (swap) {
                swapIn = incoming;
                incoming = null;
                encoderChanged = false;
            }
            retune = rateChanged;
            rateChanged = false;
            newBitrate = bitrateKbps;
            newFps = fps;
            next = pending;
            pending = null;
            converting = next;
        }
        boolean submitted = false;
        boolean fresh = false;
        try {
            if (swap) {
                Start start = useEncoder(swapIn, next != null);
                submitted = start != Start.NOTHING;
                fresh = start == Start.LOADING; // the loading picture is not a repeat: nothing was shown before
            }
            if (retune && encoder != null) {
                encoder.setBitrateKbps(newBitrate);
                encoder.setFps(newFps);
            }
            if (next != null) {
                boolean converted = convert(next);
                fresh |= converted;
                submitted |= converted;
            }
        } finally {
            if (next != null) {
                synchronized (this) {
                    converting = null;
                    notifyAll(); // a caller of hand() may wait for this conversion
                }
            }
        }
        encodeAndSend(frameNumber, ptsMicros, submitted, fresh);
    }

    /**
     * Swaps the encoder in and gives it a picture to start from: the loading picture before the
     * first frame, else the last good picture, else a notice picture.
     *
     * @param pictureComing a new picture is converted this tick anyway
     * @return what the new encoder got to send this tick
     */
    private Start useEncoder(Encoder next, boolean pictureComing) {
        Encoder previous = encoder;
        encoder = next;
        if (previous != null && previous != next) {
            closeOffTheTick(previous);
        }
        keyframeWanted.set(true);
        if (next == null || pictureComing || bitstream) {
            return Start.NOTHING; // a bitstream session has no picture to encode: the producer's next key frame starts it
        }
        if (ready && submitCurrent(next)) {
            return Start.LAST_GOOD;
        }
        try {
            String text = notice;
            next.submit(text == null ? LoadingFrame.create(config.width(), config.height())
                    : LoadingFrame.notice(config.width(), config.height(), text));
            return ready ? Start.NOTICE : Start.LOADING;
        } catch (Exception e) {
            LOG.warn("The encoder could not take the loading picture", e);
            return Start.NOTHING;
        }
    }

    /**
     * Closes a replaced encoder on a thread of its own: freeing an encoder joins its threads (libx264's
     * take milliseconds), which on the pacer thread would open a gap in the stream at every swap.
     */
    private void closeOffTheTick(Encoder old) {
        Thread closer = new Thread(() -> {
            try {
                old.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the replaced encoder failed", e);
            }
        }, "framewire-encoder-close");
        closer.setDaemon(true);
        synchronized (closers) {
            closers.removeIf(t -> !t.isAlive());
            closers.add(closer);
        }
        closer.start();
    }

    /** What a new encoder starts from. */
    private enum Start { NOTHING, LOADING, LAST_GOOD, NOTICE }

    /** @return true when {@code next} took the last good picture again */
    private boolean submitCurrent(Encoder next) {
        Picture again;
        synchronized (this) {
            if (current == null || !currentReusable) {
                return false;
            }
            again = current;
            converting = again; // a hand() or detachCurrent() waits until it is taken
        }
        try {
            again.awaitReady();
            next.submit(again.frame());
            return true;
        } catch (Exception e) {
            LOG.info("The new encoder could not take the last good picture ({}); sending a notice picture", e.toString());
            return false;
        } finally {
            synchronized (this) {
                converting = null;
                notifyAll();
            }
        }
    }

    /** @return true when the encoder took the picture */
    private boolean convert(Picture picture) {
        if (encoder == null) {
            picture.release();
            return false;
        }
        try {
            picture.awaitReady();
            encoder.submit(picture.frame());
        } catch (Exception e) {
            counters.refused(e, "convert");
            picture.release();
            conversionFailures.warn("A frame could not be converted; the last good frame stays", e);
            return false;
        }
        counters.lastFreshNanos = clock.nanoTime();
        counters.framesProduced.incrementAndGet();
        Picture replaced;
        synchronized (this) {
            replaced = current;
            current = picture;
            currentReusable = true;
        }
        if (replaced != null) {
            replaced.release(); // the encoder has moved on to a newer picture
        }
        if (!ready) {
            ready = true;
            if (config.videoInput().isBitstream()) {
                LOG.info("First {} frame ready: {}x{}", config.videoInput().codec(), config.width(), config.height());
            } else {
                LOG.info("First BGRA frame ready: {}x{}", config.width(), config.height());
            }
        }
        return true;
    }

    /**
     * @param submitted the encoder got a picture this tick (a new one, or the last good one for a new encoder)
     * @param fresh     that picture is new from the producer
     */
    private void encodeAndSend(long frameNumber, long ptsMicros, boolean submitted, boolean fresh) {
        keyframeRequests.tick();
        if (encoder == null) {
            return;
        }
        long now = clock.nanoTime();
        boolean keyframe;
        if (!bitstream) {
            keyframe = keyframeWanted.getAndSet(false);
        } else if (fresh) {
            keyframe = false; // the producer's unit goes out as it is; listeners were asked for a key frame
            continuity.fresh(now);
        } else if (continuity.resendKeyframe(now, keyframeWanted.get())) {
            keyframe = true; // the passthrough re-sends the last key frame, start-only, for waiting viewers
            keyframeWanted.set(false);
        } else {
            return; // between two access units: nothing to send
        }
        try {
            long started = clock.nanoTime();
            EncodedFrame frame = encoder.encode(frameNumber, ptsMicros, keyframe, !submitted);
            counters.encodeNanos.addAndGet(clock.nanoTime() - started);
            counters.encodes.incrementAndGet();
            if (frame != null) {
                transport.accept(frame);
                counters.framesSent.incrementAndGet();
                if (!fresh) {
                    counters.framesRepeated.incrementAndGet();
                }
                if (frame.keyframe() && !frame.repeat()) {
                    keyframeRequests.keyframeSent();
                    if (bitstream) {
                        keyframeWanted.set(false);
                    }
                }
                counters.lastSendNanos = now;
            }
        } catch (Throwable t) {
            counters.encodeErrors.incrementAndGet();
            encodeFailures.warn("Tick " + frameNumber + " failed to encode or send; the next tick goes on", t);
        }
    }

    /** @return true once the first real frame was converted */
    boolean isReady() {
        return ready;
    }

    /** Releases the encoder and every picture still held. Call after the pacer stopped. */
    @Override
    public void close() {
        Picture waiting;
        Encoder notTaken;
        synchronized (this) {
            closed = true;
            notifyAll(); // a bitstream producer waiting in hand() gives up
            waiting = pending;
            pending = null;
            lastHanded = null;
            notTaken = encoderChanged ? incoming : null;
            incoming = null;
            encoderChanged = false;
            acceptedKinds = Set.of();
            checker = null;
        }
        if (waiting != null) {
            waiting.release();
        }
        Picture last;
        synchronized (this) {
            last = current;
            current = null;
        }
        if (last != null) {
            last.release();
        }
        if (notTaken != null && notTaken != encoder) {
            notTaken.close();
        }
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
        java.util.List<Thread> pending;
        synchronized (closers) {
            pending = new java.util.ArrayList<>(closers);
            closers.clear();
        }
        for (Thread t : pending) {
            try {
                t.join(5000); // every encoder this stage made is closed when close() returns
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
