package io.framewire.plugin.webrtc.signaling;

import com.fasterxml.jackson.jr.ob.JSON;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** A WebSocket test endpoint collecting text messages and the close status. */
public final class TestClient implements Session.Listener.AutoDemanding {
    /** Text messages received, in order. */
    public final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    /** Completes with the close status (-1 on an error). */
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /** The session, once open. */
    public volatile Session session;

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
    }

    @Override
    public void onWebSocketText(String message) {
        messages.add(message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed.complete(statusCode);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed.complete(-1);
    }

    /** Sends one text message. */
    public void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** @return the next message parsed, failing after the timeout */
    public Map<String, Object> next(long millis) throws Exception {
        String m = messages.poll(millis, TimeUnit.MILLISECONDS);
        assertNotNull(m, "no message within " + millis + " ms");
        return JSON.std.mapFrom(m);
    }

    /** Skips messages until one of the given type arrives. */
    public Map<String, Object> next(String type, long millis) throws Exception {
        return nextMatching(m -> type.equals(m.get("type")), "type " + type, millis);
    }

    /** Skips messages until one matches {@code p}. */
    public Map<String, Object> nextMatching(Predicate<Map<String, Object>> p, String what, long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            String m = left <= 0 ? null : messages.poll(left, TimeUnit.MILLISECONDS);
            if (m == null) {
                fail("no message with " + what + " within " + millis + " ms");
            }
            Map<String, Object> map = JSON.std.mapFrom(m);
            if (p.test(map)) {
                return map;
            }
        }
    }

    /** @return the close status, waiting up to {@code millis} */
    public int closeCode(long millis) throws Exception {
        return closed.get(millis, TimeUnit.MILLISECONDS);
    }
}
