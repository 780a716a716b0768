package io.framewire.api.spi;

import io.framewire.api.VideoFrame;

/** The result of a {@link FrameImporter}: a frame, and what to release when it is no longer needed. */
public interface ImportedFrame extends AutoCloseable {
    /** @return the imported frame (its memory is valid until {@link #close()}) */
    VideoFrame frame();

    /**
     * Waits until {@link #frame()}'s memory holds the result (e.g. the GPU copy finished), and so
     * until the work that reads the caller's buffer is done. Returns at once after {@link #close()}.
     */
    default void awaitReady() throws Exception {
    }

    /**
     * Releases the import exactly once (idempotent): waits for any work still reading the source,
     * then frees or hands back its memory (a DLPack tensor's deleter is called here).
     */
    @Override
    void close();
}
