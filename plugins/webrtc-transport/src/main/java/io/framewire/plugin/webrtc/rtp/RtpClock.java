package io.framewire.plugin.webrtc.rtp;

import java.security.SecureRandom;

/**
 * Converts presentation times to RTP timestamps: {@code (offset + pts * clockRate / 10^6) mod 2^32},
 * with a random initial offset as RFC 3550 recommends.
 */
public final class RtpClock {

    /** The clock rate of every video payload format. */
    public static final int VIDEO_CLOCK_RATE = 90_000;

    private final int clockRate;
    private final long offset;

    /**
     * @param clockRate ticks per second, positive
     * @param offset    timestamp of pts 0 (low 32 bits used)
     */
    public RtpClock(int clockRate, long offset) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive, got " + clockRate);
        }
        this.clockRate = clockRate;
        this.offset = offset & 0xFFFFFFFFL;
    }

    /** @return a 90 kHz clock with a random offset */
    public static RtpClock video() {
        return new RtpClock(VIDEO_CLOCK_RATE, new SecureRandom().nextInt() & 0xFFFFFFFFL);
    }

    /**
     * @param ptsMicros presentation time in microseconds (may be negative)
     * @return the RTP timestamp, 0..2<sup>32</sup>-1
     */
    public long timestamp(long ptsMicros) {
        long seconds = Math.floorDiv(ptsMicros, 1_000_000L);
        long micros = Math.floorMod(ptsMicros, 1_000_000L);
        long ticks = seconds * clockRate + micros * clockRate / 1_000_000L;
        return (offset + ticks) & 0xFFFFFFFFL;
    }

    /** @return ticks per second */
    public int clockRate() {
        return clockRate;
    }

    /** @return the timestamp of pts 0 */
    public long offset() {
        return offset;
    }
}
