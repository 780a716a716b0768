package io.framewire.runtime;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.MessageListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
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
 * Handles app messages from peers on its own thread, so the network thread that delivers them never
 * waits: {@link #onMessage} only queues. Messages of type {@code stage.load} start a stage load; all
 * valid messages also go to the application's {@link MessageListener}s. Malformed or oversized
 * messages get an {@code error} reply to the sender, and the session stays up.
 */
final class MessageRouter implements AutoCloseable {
    /** Largest accepted message, in characters (the protocol's 64 KiB limit). */
    static final int MAX_MESSAGE_CHARS = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(MessageRouter.class);

    private final Consumer<URI> stageLoads;
    private final BiConsumer<String, String> replyToPeer;
    private final List<MessageListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), r -> {
                Thread t = new Thread(r, "framewire-messages");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param stageLoads  where {@code stage.load} requests go
     * @param replyToPeer sends (peerId, json) back to one peer
     */
    MessageRouter(Consumer<URI> stageLoads, BiConsumer<String, String> replyToPeer) {
        this.stageLoads = stageLoads;
        this.replyToPeer = replyToPeer;
    }

    AutoCloseable addListener(MessageListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Queues a message from a peer; returns at once. */
    void onMessage(String peerId, String json) {
        if (json == null || json.length() > MAX_MESSAGE_CHARS) {
            reply(peerId, "message too large: length=" + (json == null ? 0 : json.length()) + " exceeds " + MAX_MESSAGE_CHARS);
            return;
        }
        try {
            thread.execute(() -> handle(peerId, json));
        } catch (RejectedExecutionException e) {
            dropped.incrementAndGet(); // the queue is full: a slow app listener; never block the network thread
        }
    }

    long droppedMessages() {
        return dropped.get();
    }

    private void handle(String peerId, String json) {
        Map<String, Object> message;
        try {
            Object parsed = JSON.std.anyFrom(json);
            if (!(parsed instanceof Map)) {
                reply(peerId, "message must be a JSON object, got: " + abbreviate(json));
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) parsed;
            message = map;
        } catch (Exception e) {
            reply(peerId, "malformed JSON: " + e.getMessage());
            return;
        }
        if ("stage.load".equals(message.get("type"))) {
            Object uri = message.get("uri");
            try {
                stageLoads.accept(new URI(String.valueOf(uri)));
            } catch (Exception e) {
                reply(peerId, "stage.load: uri=" + uri + " is not a valid URI");
                return;
            }
        }
        for (MessageListener listener : listeners) {
            try {
                listener.onMessage(peerId, json);
            } catch (RuntimeException e) {
                LOG.warn("Message listener {} failed", listener, e);
            }
        }
    }

    private void reply(String peerId, String error) {
        try {
            replyToPeer.accept(peerId, JSON.std.asString(Map.of("type", "error", "error", error)));
        } catch (Exception e) {
            LOG.warn("Could not reply to {}: {}", peerId, error, e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
