package io.framewire.api.spi;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;

/**
 * Turns a frame the encoder cannot take as it is into one it can: a DLPack tensor into a device or
 * host BGRA view, a CUDA device frame into an NV12 picture in pinned host memory (converted on the
 * GPU). Register as a service with {@link Plugins#NAME}; the runtime chains importers until the
 * encoder {@link Encoder#acceptedKinds() accepts} the result.
 *
 * <p>Called on the ingest thread (the caller of {@code streamVideo()} or the pacer), one frame at a
 * time. {@link #importFrame} may start asynchronous work (GPU kernels, copies) and return at once;
 * the runtime calls {@link ImportedFrame#awaitReady()} before the encoder reads the result.
 */
public interface FrameImporter {
    /** @return whether this importer takes frames of {@code kind} */
    boolean accepts(VideoFrame.Kind kind);

    /**
     * Imports one frame.
     *
     * @return the import; the runtime closes it when the server no longer needs the data
     * @throws io.framewire.api.InvalidFrameException when a field breaks a rule (naming field and value)
     * @throws Exception on other failures; in every failure case the importer has already released
     *                   what the frame handed over (e.g. called the DLPack deleter)
     */
    ImportedFrame importFrame(VideoFrame frame, ServerConfig config) throws Exception;
}
