package io.framewire.testing.net;

/**
 * The impairments of one direction of an emulated link, applied by {@link ImpairedLink} in this
 * order: random loss at the entrance, then a bottleneck (a token bucket of {@link #rateKbps()}
 * served from a drop-tail queue), then a one-way delay with optional jitter.
 *
 * <p>Immutable; change a running relay's link with {@link UdpImpairmentRelay#setToClient} /
 * {@link UdpImpairmentRelay#setToServer}. Build from {@link #CLEAN} with the {@code with...} methods:
 * <pre>{@code
 * LinkProfile bottleneck = LinkProfile.CLEAN.withRateKbps(3000).withQueueMillis(100)
 *         .withDelayMillis(20).withLossPercent(1).withSeed(42);
 * }</pre>
 *
 * @param rateKbps    bottleneck rate in kbit/s (1 kbit = 1000 bit, counting UDP payload bytes); 0 = no limit, no queue
 * @param burstBytes  token bucket depth in bytes; 0 = one packet (strict serialization at the rate, as a router's
 *                    output link); at least the size of the packet at hand is always allowed
 * @param queueBytes  drop-tail queue limit in bytes; 0 = use {@link #queueMillis()}
 * @param queueMillis drop-tail queue limit as time at the current rate (used when {@code queueBytes == 0}); the
 *                    limit is never below {@link #MIN_QUEUE_BYTES}
 * @param delayMillis fixed one-way delay added after the bottleneck, ms
 * @param jitterMillis each packet's delay varies uniformly within {@code delay ± jitter} (never below 0); without
 *                    {@link #reorder()} a packet never overtakes an earlier one, so it may wait longer than drawn
 * @param reorder     let jitter reorder packets
 * @param lossPercent random (Bernoulli) loss at the link's entrance, 0..100
 * @param seed        seed of the loss and jitter random generators (taken when a link is created; later changes of
 *                    the seed do not reseed a running link)
 */
public record LinkProfile(int rateKbps, int burstBytes, int queueBytes, int queueMillis, double delayMillis,
                          double jitterMillis, boolean reorder, double lossPercent, long seed) {

    /** The smallest queue limit in bytes: two full-size datagrams, so that a packet can always wait. */
    public static final int MIN_QUEUE_BYTES = 3000;
    /** The default queue limit, ms at the rate. */
    public static final int DEFAULT_QUEUE_MILLIS = 100;
    /** No rate limit, no delay, no loss. */
    public static final LinkProfile CLEAN = new LinkProfile(0, 0, 0, DEFAULT_QUEUE_MILLIS, 0, 0, false, 0, 1);

    /** Checks the ranges. */
    public LinkProfile {
        if (rateKbps < 0 || burstBytes < 0 || queueBytes < 0 || queueMillis < 0) {
            throw new IllegalArgumentException("rate, burst and queue must be >= 0");
        }
        if (delayMillis < 0 || jitterMillis < 0) {
            throw new IllegalArgumentException("delay and jitter must be >= 0");
        }
        if (!(lossPercent >= 0 && lossPercent <= 100)) {
            throw new IllegalArgumentException("lossPercent must be within 0..100, got " + lossPercent);
        }
    }

    /** @return this profile with a bottleneck of {@code kbps} kbit/s (0 = none) */
    public LinkProfile withRateKbps(int kbps) {
        return new LinkProfile(kbps, burstBytes, queueBytes, queueMillis, delayMillis, jitterMillis, reorder, lossPercent, seed);
    }

    /** @return this profile with a token bucket depth of {@code bytes} (0 = one packet) */
    public LinkProfile withBurstBytes(int bytes) {
        return new LinkProfile(rateKbps, bytes, queueBytes, queueMillis, delayMillis, jitterMillis, reorder, lossPercent, seed);
    }

    /** @return this profile with a drop-tail queue of {@code bytes} (overrides the queue time) */
    public LinkProfile withQueueBytes(int bytes) {
        return new LinkProfile(rateKbps, burstBytes, bytes, queueMillis, delayMillis, jitterMillis, reorder, lossPercent, seed);
    }

    /** @return this profile with a drop-tail queue of {@code millis} at the current rate (and no byte limit) */
    public LinkProfile withQueueMillis(int millis) {
        return new LinkProfile(rateKbps, burstBytes, 0, millis, delayMillis, jitterMillis, reorder, lossPercent, seed);
    }

    /** @return this profile with a fixed one-way delay */
    public LinkProfile withDelayMillis(double millis) {
        return new LinkProfile(rateKbps, burstBytes, queueBytes, queueMillis, millis, jitterMillis, reorder, lossPercent, seed);
    }

    /** @return this profile with jitter ± {@code millis}; {@code reorder} lets packets overtake each other */
    public LinkProfile withJitterMillis(double millis, boolean reorder) {
        return new LinkProfile(rateKbps, burstBytes, queueBytes, queueMillis, delayMillis, millis, reorder, lossPercent, seed);
    }

    /** @return this profile with random loss of {@code percent} % */
    public LinkProfile withLossPercent(double percent) {
        return new LinkProfile(rateKbps, burstBytes, queueBytes, queueMillis, delayMillis, jitterMillis, reorder, percent, seed);
    }

    /** @return this profile with another random seed */
    public LinkProfile withSeed(long newSeed) {
        return new LinkProfile(rateKbps, burstBytes, queueBytes, queueMillis, delayMillis, jitterMillis, reorder, lossPercent, newSeed);
    }

    /**
     * Applies settings written as {@code key=value} pairs separated by commas or spaces, e.g.
     * {@code rate=3000,queue=100ms,delay=20,jitter=5,loss=1,seed=7}, to this profile. Keys:
     * {@code rate} (kbit/s, 0 = none), {@code burst} (bytes), {@code queue} ({@code 100ms} or bytes
     * as {@code 25000} / {@code 25000b}), {@code delay} and {@code jitter} (ms), {@code reorder}
     * ({@code true}/{@code false}), {@code loss} (%), {@code seed}; {@code clean} resets to
     * {@link #CLEAN}.
     *
     * @throws IllegalArgumentException naming the pair that is not understood
     */
    public LinkProfile with(String settings) {
        LinkProfile p = this;
        for (String pair : settings.trim().split("[,\\s]+")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (pair.equals("clean")) {
                p = CLEAN;
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("'" + pair + "': expected key=value");
            }
            String key = pair.substring(0, eq);
            String value = pair.substring(eq + 1).toLowerCase(java.util.Locale.ROOT);
            try {
                switch (key) {
                    case "rate" -> p = p.withRateKbps(Integer.parseInt(value));
                    case "burst" -> p = p.withBurstBytes(Integer.parseInt(value));
                    case "queue" -> p = value.endsWith("ms") ? p.withQueueMillis(Integer.parseInt(value.substring(0, value.length() - 2)))
                            : p.withQueueBytes(Integer.parseInt(value.endsWith("b") ? value.substring(0, value.length() - 1) : value));
                    case "delay" -> p = p.withDelayMillis(Double.parseDouble(value));
                    case "jitter" -> p = p.withJitterMillis(Double.parseDouble(value), p.reorder());
                    case "reorder" -> p = p.withJitterMillis(p.jitterMillis(), Boolean.parseBoolean(value));
                    case "loss" -> p = p.withLossPercent(Double.parseDouble(value));
                    case "seed" -> p = p.withSeed(Long.parseLong(value));
                    default -> throw new IllegalArgumentException("unknown key");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + pair + "': " + e.getMessage()
                        + " (keys: rate, burst, queue, delay, jitter, reorder, loss, seed; or clean)", e);
            }
        }
        return p;
    }

    /** @return the queue limit in bytes at this profile's rate (meaningless when {@code rateKbps == 0}) */
    public long queueLimitBytes() {
        long limit = queueBytes > 0 ? queueBytes : (long) rateKbps * queueMillis / 8;
        return Math.max(MIN_QUEUE_BYTES, limit);
    }

    /** @return a short description, e.g. {@code 3000 kbit/s q 100 ms, delay 20 ms, loss 1 %} */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (rateKbps == 0) {
            s.append("no rate limit");
        } else {
            s.append(rateKbps).append(" kbit/s, queue ");
            s.append(queueBytes > 0 ? queueBytes + " B" : queueMillis + " ms (" + queueLimitBytes() + " B)");
            if (burstBytes > 0) {
                s.append(", burst ").append(burstBytes).append(" B");
            }
        }
        s.append(", delay ").append(fmt(delayMillis)).append(" ms");
        if (jitterMillis > 0) {
            s.append(" ± ").append(fmt(jitterMillis)).append(" ms").append(reorder ? " (reordering)" : "");
        }
        s.append(", loss ").append(fmt(lossPercent)).append(" %");
        return s.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
