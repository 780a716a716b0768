package io.framewire.plugin.webrtc;

/**
 * Bytes per second over the last second, in ten 100 ms buckets: what was sent to a peer, for the
 * stats and for taking retransmissions out of the encoder's share. Thread-safe.
 */
final class ByteRate {
    private static final long BUCKET_NANOS = 100_000_000L;
    private static final int BUCKETS = 10;

    private final long[] bytes = new long[BUCKETS];
    private long newestBucket = Long.MIN_VALUE;

    /** Counts {@code n} bytes at {@code nowNanos}. */
    synchronized void add(long n, long nowNanos) {
        advance(nowNanos);
        bytes[(int) Math.floorMod(newestBucket, BUCKETS)] += n;
    }

    /** @return bits per second over the second before {@code nowNanos} */
    synchronized long bitsPerSecond(long nowNanos) {
        advance(nowNanos);
        long sum = 0;
        for (long b : bytes) {
            sum += b;
        }
        return sum * 8;
    }

    /** Empties the buckets that fell out of the window since the last call. */
    private void advance(long nowNanos) {
        long bucket = Math.floorDiv(nowNanos, BUCKET_NANOS);
        if (newestBucket == Long.MIN_VALUE || bucket - newestBucket >= BUCKETS) {
            java.util.Arrays.fill(bytes, 0);
        } else {
            for (long b = newestBucket + 1; b <= bucket; b++) {
                bytes[(int) Math.floorMod(b, BUCKETS)] = 0;
            }
        }
        if (bucket > newestBucket || newestBucket == Long.MIN_VALUE) {
            newestBucket = bucket;
        }
    }
}
