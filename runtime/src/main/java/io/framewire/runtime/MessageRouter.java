package io.framewire.runtime;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.MessageListener;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.ErrorMessage;
import io.framewire.api.spi.InputEvent;
import io.framewire.api.spi.LogText;
import io.framewire.api.spi.OutgoingMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Handles control messages from peers on its own thread, so the network thread that delivers them
 * never waits: the {@code on...} methods only queue. The messages arrive typed (the transport parsed
 * them at its edge); a stage-load request starts a load, and every message also reaches the
 * application's {@link MessageListener}s as JSON text: app messages as they came, stage loads as
 * {@code stage.load}, input as {@code input.pointer} / {@code input.key}. While the queue is full
 * (a slow listener), messages are dropped and counted, never the network thread blocked; the sender
 * is told with an {@link ErrorMessage}, at most once a second. Peers can cause both drops and
 * listener failures at will, so both are logged through {@link RemoteFailureLog} (one line, no
 * stack trace, rate-limited).
 */
final class MessageRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRouter.class);
    private static final int QUEUE_CAPACITY = 1024;

    private static final long BUSY_REPLY_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Consumer<URI> stageLoads;
    private final BiConsumer<String, OutgoingMessage> replyToPeer;
    private final AtomicLong lastBusyReplyNanos = new AtomicLong(Long.MIN_VALUE);
    private final List<MessageListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final RemoteFailureLog listenerFailures = new RemoteFailureLog(LOG);
    private final RemoteFailureLog drops = new RemoteFailureLog(LOG);
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY), r -> {
                Thread t = new Thread(r, "framewire-messages");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param stageLoads  where stage-load requests go
     * @param replyToPeer sends a message to one peer (the busy reply)
     */
    MessageRouter(Consumer<URI> stageLoads, BiConsumer<String, OutgoingMessage> replyToPeer) {
        this.stageLoads = stageLoads;
        this.replyToPeer = replyToPeer;
    }

    AutoCloseable addListener(MessageListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Queues an app message from a peer; returns at once. */
    void onAppMessage(String peerId, AppMessage message) {
        queue(peerId, () -> deliver(peerId, message.json()));
    }

    /** Queues a stage-load request from a peer; returns at once. */
    void onStageLoad(String peerId, URI uri) {
        queue(peerId, () -> {
            stageLoads.accept(uri);
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("type", "stage.load");
            request.put("uri", uri.toString());
            deliver(peerId, json(request));
        });
    }

    /** Queues input from a peer; returns at once. */
    void onInput(String peerId, InputEvent event) {
        queue(peerId, () -> deliver(peerId, json(event.toMap())));
    }

    /** @return messages dropped because the queue was full */
    long droppedMessages() {
        return dropped.get();
    }

    private void queue(String peerId, Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException e) {
            long count = dropped.incrementAndGet(); // the queue is full (a slow app listener) or closed
            if (!thread.isShutdown()) {
                drops.warn("Message from peer " + LogText.of(peerId) + " dropped: the queue is full (" + count
                        + " dropped so far; the application's listeners are behind)", null);
            }
            long now = System.nanoTime();
            long last = lastBusyReplyNanos.get();
            if (!thread.isShutdown() && (last == Long.MIN_VALUE || now - last >= BUSY_REPLY_INTERVAL_NANOS)
                    && lastBusyReplyNanos.compareAndSet(last, now)) {
                replyToPeer.accept(peerId, new ErrorMessage("server busy: message dropped (" + count
                        + " dropped so far; the application's listeners are behind)"));
            }
        }
    }

    private void deliver(String peerId, String json) {
        for (MessageListener listener : listeners) {
            try {
                listener.onMessage(peerId, json);
            } catch (RuntimeException e) {
                listenerFailures.warn("Message listener " + listener + " failed on a message from peer "
                        + LogText.of(peerId) + ": " + LogText.of(e.toString()), e);
            }
        }
    }

    private static String json(Map<String, Object> fields) {
        try {
            return JSON.std.asString(fields);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + fields, e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
