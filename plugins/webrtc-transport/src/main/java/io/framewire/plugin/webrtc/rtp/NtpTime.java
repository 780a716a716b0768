package io.framewire.plugin.webrtc.rtp;

import java.time.Instant;

/**
 * 64-bit NTP timestamps (seconds since 1900 in the high 32 bits, binary fraction in the low 32).
 */
public final class NtpTime {

    /** Seconds from 1900-01-01 to 1970-01-01. */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private NtpTime() {
    }

    /** @return the NTP timestamp of an instant */
    public static long fromInstant(Instant t) {
        long seconds = t.getEpochSecond() + UNIX_EPOCH_OFFSET_SECONDS;
        long fraction = ((long) t.getNano() << 32) / 1_000_000_000L;
        return (seconds << 32) | fraction;
    }

    /** @return the NTP timestamp of the wall clock now */
    public static long now() {
        return fromInstant(Instant.now());
    }

    /** @return the instant of an NTP timestamp (nanosecond precision, truncated) */
    public static Instant toInstant(long ntp) {
        long seconds = (ntp >>> 32) - UNIX_EPOCH_OFFSET_SECONDS;
        long nanos = ((ntp & 0xFFFFFFFFL) * 1_000_000_000L) >>> 32;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** @return the middle 32 bits (the "compact" form used by LSR and DLSR, units of 1/65536 s) */
    public static long middle32(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }
}
