package io.framewire.api.spi;

/**
 * What the scheduler asks a {@link FrameSource} for.
 *
 * @param width       the session's stream width
 * @param height      the session's stream height
 * @param frameNumber the scheduler's tick number, from 0
 * @param ptsMicros   presentation time of this tick, microseconds since the session started
 */
public record FrameRequest(int width, int height, long frameNumber, long ptsMicros) {
}
