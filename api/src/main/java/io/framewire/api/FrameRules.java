package io.framewire.api;

/**
 * The session rules a frame must meet before the server touches its memory: the fixed stream
 * size and the {@link VideoInput} chosen at start. The server applies them in
 * {@link StreamServer#streamVideo(VideoFrame)}; sources can apply them early.
 */
public final class FrameRules {
    private FrameRules() {
    }

    /**
     * @throws InvalidFrameException naming the field and value of the first rule broken
     */
    public static void check(VideoFrame frame, ServerConfig config) {
        if (frame == null) {
            throw new InvalidFrameException("frame", null, "must not be null");
        }
        VideoInput input = config.videoInput();
        if (!accepts(input, frame.kind())) {
            throw new InvalidFrameException("kind", frame.kind(), "does not match the session's videoInput " + input
                    + " (expected " + expectedKinds(input) + ")");
        }
        if (frame.kind() == VideoFrame.Kind.DLPACK) {
            return; // shape is read from the tensor by the DLPack plugin, which checks it there
        }
        checkStreamSize(frame.width(), frame.height(), config);
    }

    /**
     * Checks a size against the session's fixed stream size. There is no live resize: a frame of
     * another size is refused, and a new size needs a new session.
     */
    public static void checkStreamSize(int width, int height, ServerConfig config) {
        if (width != config.width()) {
            throw new InvalidFrameException("width", width, "must equal the stream width " + config.width()
                    + " (the stream size is fixed for the session; restart with a new size)");
        }
        if (height != config.height()) {
            throw new InvalidFrameException("height", height, "must equal the stream height " + config.height()
                    + " (the stream size is fixed for the session; restart with a new size)");
        }
    }

    /** @return whether a session of {@code input} takes frames of {@code kind} */
    public static boolean accepts(VideoInput input, VideoFrame.Kind kind) {
        switch (input) {
            case BGRA:
                return kind == VideoFrame.Kind.HOST_BGRA || kind == VideoFrame.Kind.DEVICE_BGRA
                        || kind == VideoFrame.Kind.CUDA_ARRAY;
            case TENSOR:
                return kind == VideoFrame.Kind.DLPACK || kind == VideoFrame.Kind.CUDA_ARRAY;
            default:
                return kind == VideoFrame.Kind.BITSTREAM;
        }
    }

    private static String expectedKinds(VideoInput input) {
        switch (input) {
            case BGRA:
                return "HOST_BGRA, DEVICE_BGRA or CUDA_ARRAY";
            case TENSOR:
                return "DLPACK or CUDA_ARRAY";
            default:
                return "BITSTREAM of " + input.codec();
        }
    }
}
