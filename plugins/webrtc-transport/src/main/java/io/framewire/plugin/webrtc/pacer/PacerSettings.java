package io.framewire.plugin.webrtc.pacer;

/**
 * How a {@link PacedSender} paces.
 *
 * @param pacingFactor   pacing rate = max({@code minPacingBps}, factor x target bitrate); 1.0..10
 * @param maxQueueMillis when the oldest queued media packet waited longer than this, all queued
 *                       media packets are dropped (an overflow); past half of it the pacing rate is
 *                       raised so the queue drains in the time left; 1..60000
 * @param minPacingBps   the lowest pacing rate in bit/s; 8000..100_000_000_000
 * @param burstMillis    how much budget (in milliseconds of the pacing rate) may build up while
 *                       the queue is empty: the first packets of a frame on an idle link leave at
 *                       once up to this much; 1..1000
 * @param intervalMicros how often the pacer thread wakes while packets wait; 100..1_000_000
 */
public record PacerSettings(double pacingFactor, int maxQueueMillis, long minPacingBps, int burstMillis,
                            int intervalMicros) {

    /** Default {@link #pacingFactor}: libwebrtc's pacing factor. */
    public static final double DEFAULT_PACING_FACTOR = 2.5;
    /** Default {@link #maxQueueMillis}. */
    public static final int DEFAULT_MAX_QUEUE_MILLIS = 400;
    /** Default {@link #minPacingBps}. */
    public static final long DEFAULT_MIN_PACING_BPS = 300_000;
    /** Default {@link #burstMillis}. */
    public static final int DEFAULT_BURST_MILLIS = 5;
    /** Default {@link #intervalMicros}. */
    public static final int DEFAULT_INTERVAL_MICROS = 5000;

    /** Validates; a value out of range throws {@link IllegalArgumentException} naming field and value. */
    public PacerSettings {
        if (!(pacingFactor >= 1.0 && pacingFactor <= 10.0)) {
            throw new IllegalArgumentException("pacingFactor " + pacingFactor + " outside 1.0..10");
        }
        check("maxQueueMillis", maxQueueMillis, 1, 60_000);
        check("minPacingBps", minPacingBps, 8_000, 100_000_000_000L);
        check("burstMillis", burstMillis, 1, 1000);
        check("intervalMicros", intervalMicros, 100, 1_000_000);
    }

    /** factor 2.5, 400 ms queue, 300 kbit/s minimum, 5 ms burst, 5 ms interval. */
    public static PacerSettings defaults() {
        return new PacerSettings(DEFAULT_PACING_FACTOR, DEFAULT_MAX_QUEUE_MILLIS, DEFAULT_MIN_PACING_BPS,
                DEFAULT_BURST_MILLIS, DEFAULT_INTERVAL_MICROS);
    }

    /** A copy with another {@link #pacingFactor}. */
    public PacerSettings withPacingFactor(double factor) {
        return new PacerSettings(factor, maxQueueMillis, minPacingBps, burstMillis, intervalMicros);
    }

    /** A copy with another {@link #maxQueueMillis}. */
    public PacerSettings withMaxQueueMillis(int millis) {
        return new PacerSettings(pacingFactor, millis, minPacingBps, burstMillis, intervalMicros);
    }

    /** A copy with another {@link #minPacingBps}. */
    public PacerSettings withMinPacingBps(long bps) {
        return new PacerSettings(pacingFactor, maxQueueMillis, bps, burstMillis, intervalMicros);
    }

    /** A copy with another {@link #burstMillis}. */
    public PacerSettings withBurstMillis(int millis) {
        return new PacerSettings(pacingFactor, maxQueueMillis, minPacingBps, millis, intervalMicros);
    }

    /** A copy with another {@link #intervalMicros}. */
    public PacerSettings withIntervalMicros(int micros) {
        return new PacerSettings(pacingFactor, maxQueueMillis, minPacingBps, burstMillis, micros);
    }

    private static void check(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " outside " + min + ".." + max);
        }
    }
}
