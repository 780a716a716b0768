package io.framewire.api.spi;

import io.framewire.api.Codec;
import io.framewire.api.VideoFrame;

import java.util.Set;

/**
 * One encoding session, made by an {@link EncoderFactory} for a fixed stream size.
 *
 * <p>The encoder owns its input pictures (e.g. I420 or NV12). {@link #submit} converts a caller's
 * frame into the next picture; {@link #encode} encodes the latest picture, or the same one again
 * when nothing new came (a load is running). The runtime calls every method but {@link #close} from
 * one thread at a time, the pacer's (its encoder stage is the encoder's only user), so an encoder
 * needs no locking of its own.
 */
public interface Encoder extends AutoCloseable {

    /** @return the codec produced */
    Codec codec();

    /**
     * @return the frame kinds {@link #submit} takes; others go through {@link FrameImporter}s first
     *         (default: host BGRA only)
     */
    default Set<VideoFrame.Kind> acceptedKinds() {
        return Set.of(VideoFrame.Kind.HOST_BGRA);
    }

    /**
     * Checks a frame on the caller's thread before it is handed over, so that {@code streamVideo()}
     * refuses bad input at once (a pre-encoded access unit that does not parse, has another coded
     * size, or comes before any key frame). Called from ingest threads in the order frames are
     * streamed, possibly while the pacer runs the other methods; it must not change what
     * {@link #encode} sends. Default: nothing to check.
     *
     * @throws io.framewire.api.InvalidFrameException naming the field and the value
     */
    default void validate(VideoFrame frame) {
    }

    /**
     * Converts {@code frame} into the encoder's own next input picture. After the NEXT call to
     * {@code submit} returns (or {@link #close}), the encoder holds no reference to the frame's memory.
     * On failure the previous picture stays current.
     *
     * @throws Exception when the frame cannot be converted (a clear message naming the field)
     */
    void submit(VideoFrame frame) throws Exception;

    /**
     * Encodes the latest submitted picture.
     *
     * @param keyframe true to encode a key frame (a peer joined or lost packets: the runtime's one
     *                 keyframe-request path ends here)
     * @param repeat   true when no new picture was submitted since the last call
     * @return the access unit, or null when the encoder has nothing to send this tick
     */
    EncodedFrame encode(long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) throws Exception;

    /** Changes the target bitrate while running, where the codec allows it. */
    default void setBitrateKbps(int kbps) {
    }

    /** Changes the frame rate while running (rate control needs it); may start with a key frame. */
    default void setFps(int fps) {
    }

    /** Releases native memory. Idempotent. */
    @Override
    void close();
}
