package io.framewire.plugin.webrtc.rtp;

/**
 * The data of the playout-delay RTP header extension
 * ({@code http://www.webrtc.org/experiments/rtp-hdrext/playout-delay}): the smallest and largest
 * delay the receiver may add between decoding and showing a frame, two 12-bit counts of 10 ms.
 * {@code min = max = 0} tells the browser to show each frame as soon as it is decoded instead of
 * smoothing playout with a buffer, which is what interactive streaming wants.
 */
public final class PlayoutDelay {

    /** Largest delay the 12-bit fields can express. */
    public static final int MAX_DELAY_MILLIS = 4095 * 10;

    private PlayoutDelay() {
    }

    /**
     * Encodes the element data, for {@link RtpHeaderExtensions#with}.
     *
     * @param minDelayMillis smallest delay, a multiple of 10 in 0..{@value #MAX_DELAY_MILLIS}
     * @param maxDelayMillis largest delay, a multiple of 10 in {@code minDelayMillis}..{@value #MAX_DELAY_MILLIS}
     * @return the three data bytes
     */
    public static byte[] data(int minDelayMillis, int maxDelayMillis) {
        if (minDelayMillis < 0 || maxDelayMillis < minDelayMillis || maxDelayMillis > MAX_DELAY_MILLIS
                || minDelayMillis % 10 != 0 || maxDelayMillis % 10 != 0) {
            throw new IllegalArgumentException("playout delay " + minDelayMillis + ".." + maxDelayMillis
                    + " ms: must be multiples of 10 ms with 0 <= min <= max <= " + MAX_DELAY_MILLIS);
        }
        int min = minDelayMillis / 10;
        int max = maxDelayMillis / 10;
        return new byte[] {(byte) (min >>> 4), (byte) (min << 4 | max >>> 8), (byte) max};
    }
}
