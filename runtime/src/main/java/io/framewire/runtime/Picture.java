package io.framewire.runtime;

import io.framewire.api.spi.ImportedFrame;
import io.framewire.api.VideoFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One accepted frame on its way to the encoder: either the caller's frame as it is (the encoder
 * converts it directly, reading the caller's memory) or the end of a chain of imports (a DLPack
 * tensor or CUDA frame turned into something the encoder takes), which owns what it imported.
 */
final class Picture {
    private static final Logger LOG = LoggerFactory.getLogger(Picture.class);

    private final VideoFrame frame;
    private final List<ImportedFrame> imports;

    private Picture(VideoFrame frame, List<ImportedFrame> imports) {
        this.frame = frame;
        this.imports = imports;
    }

    /** @return a picture the encoder converts straight from the caller's memory */
    static Picture direct(VideoFrame frame) {
        return new Picture(frame, List.of());
    }

    /** @return a picture made by a chain of imports; its last import is what the encoder converts */
    static Picture imported(List<ImportedFrame> chain) {
        return new Picture(chain.get(chain.size() - 1).frame(), List.copyOf(chain));
    }

    /**
     * @return a picture owning a host copy of {@code frame} (host BGRA or NV12, tightly as the
     *         frame's buffers are), or null for kinds that live elsewhere (device memory)
     */
    static Picture copyOf(VideoFrame frame) {
        return switch (frame.kind()) {
            case HOST_BGRA -> direct(VideoFrame.hostBuffer(copy(frame.hostBuffer()), frame.width(), frame.height(),
                    frame.pitchBytes()));
            case HOST_NV12 -> direct(VideoFrame.hostNv12(copy(frame.hostBuffer()), copy(frame.chromaBuffer()),
                    frame.width(), frame.height(), frame.pitchBytes()));
            default -> null;
        };
    }

    private static ByteBuffer copy(ByteBuffer source) {
        ByteBuffer from = source.duplicate(); // from its position, as the encoder reads it
        ByteBuffer to = ByteBuffer.allocateDirect(from.remaining()).order(source.order());
        to.put(from).flip();
        return to;
    }

    /** @return what the encoder converts */
    VideoFrame frame() {
        return frame;
    }

    /** @return true when converting it reads the caller's own buffer (no import made a copy) */
    boolean readsCallerMemory() {
        return imports.isEmpty();
    }

    /** Waits until the imports' asynchronous work (GPU copies reading the caller's buffer) is done. */
    void awaitReady() throws Exception {
        if (!imports.isEmpty()) {
            imports.get(imports.size() - 1).awaitReady();
        }
    }

    /** Releases the imports exactly once, last first (the last import reads what the earlier ones hold). */
    void release() {
        closeAll(imports);
    }

    /** Closes a chain of imports, last first; a failing close is logged and the others still run. */
    static void closeAll(List<ImportedFrame> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            try {
                chain.get(i).close();
            } catch (RuntimeException e) {
                LOG.warn("Releasing an imported frame failed", e);
            }
        }
    }
}
