package io.framewire.plugin.webrtc.ice;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source IP address for unauthenticated STUN error responses (400, 401). Such a
 * reply is about 3.2 times the size of the request that caused it, and the request's source address
 * can be forged, so without a limit the agent amplifies floods towards a victim. A source gets
 * {@value #BURST} replies at once and {@value #PER_SECOND} per second after that; beyond, requests
 * are dropped silently (and counted by the agent). Per IP address, not per port: a flood can use
 * any source port. At most {@value #MAX_SOURCES} addresses are remembered (least recently seen
 * forgotten first), so memory stays bounded whatever the number of forged sources; a forgotten
 * source starts with a full burst again, which bounds the reply rate to
 * {@value #MAX_SOURCES} × {@value #BURST} per refill at worst.
 *
 * <p>Not thread-safe: used by the agent's one receive thread.
 */
final class ErrorReplyLimiter {
    static final double BURST = 4;
    static final double PER_SECOND = 2;
    static final int MAX_SOURCES = 256;

    private final Map<InetAddress, double[]> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, double[]> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    /** @return whether an error reply to {@code source} may go out now (a token was taken) */
    boolean tryAcquire(InetAddress source, long nowNanos) {
        double[] b = buckets.get(source); // {tokens, last refill nanos}
        if (b == null) {
            b = new double[] {BURST, nowNanos};
            buckets.put(source, b);
        } else {
            double elapsed = nowNanos - b[1];
            if (elapsed > 0) {
                b[0] = Math.min(BURST, b[0] + elapsed * PER_SECOND / 1e9);
                b[1] = nowNanos;
            }
        }
        if (b[0] >= 1) {
            b[0] -= 1;
            return true;
        }
        return false;
    }

    /** @return how many sources are remembered */
    int sources() {
        return buckets.size();
    }
}
