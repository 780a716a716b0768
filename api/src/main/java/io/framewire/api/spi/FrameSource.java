package io.framewire.api.spi;

import io.framewire.api.VideoFrame;

/**
 * Renders, or hands over, the next frame. Register as a service with {@link Plugins#NAME}; the
 * runtime's {@code source} setting picks the active one.
 *
 * <p>Called on the runtime's render thread while it holds the stage lock (so a stage loader never
 * changes the scene under the renderer). A source that throws is logged and counted and the last
 * good frame is repeated; a source that stalls never stops the stream (the pacer goes on without it).
 */
public interface FrameSource {
    /**
     * @return the frame for this tick, or null for "nothing new" (the last good frame is repeated).
     *         The frame's memory must stay valid and unchanged until the next call returns.
     * @throws Exception on failure; the runtime logs it and repeats the last good frame
     */
    VideoFrame render(FrameRequest request) throws Exception;
}
