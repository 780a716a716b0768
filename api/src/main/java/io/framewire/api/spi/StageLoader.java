package io.framewire.api.spi;

import java.net.URI;

/**
 * Loads a stage (scene) named by a URI. Register as a service with {@link Plugins#NAME}.
 *
 * <p>The runtime calls {@link #load} on its loader thread while it HOLDS the stage lock, so the
 * frame source never renders a half-loaded scene. Meanwhile the scheduler repeats the last good
 * frame. A load may take seconds; report progress and check {@link StageLoadContext#isCancelled()}.
 */
public interface StageLoader {
    /** @return whether this loader understands {@code uri} (by scheme or file extension) */
    boolean canLoad(URI uri);

    /**
     * Loads the stage. Returning normally means the new stage is in place.
     *
     * @throws Exception when it fails; the previous stage must stay usable
     */
    void load(URI uri, StageLoadContext context) throws Exception;
}
