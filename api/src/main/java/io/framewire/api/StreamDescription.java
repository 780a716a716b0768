package io.framewire.api;

/**
 * What a session streams, known before the first frame: the transport answers a browser's offer
 * from it (codec) and tells the page the size and rate.
 *
 * @param codec      the codec of the encoded frames (the encoder's, or the bitstream input's)
 * @param width      stream width in pixels, fixed for the session
 * @param height     stream height in pixels, fixed for the session
 * @param fps        frames per second now (fps may change while streaming)
 * @param videoInput the kind of frames the session takes
 */
public record StreamDescription(Codec codec, int width, int height, int fps, VideoInput videoInput) {
    /** @throws IllegalArgumentException naming a missing field */
    public StreamDescription {
        if (codec == null) {
            throw new IllegalArgumentException("codec=null: a stream needs a codec");
        }
        if (videoInput == null) {
            throw new IllegalArgumentException("videoInput=null: a stream needs an input kind");
        }
    }

    /**
     * @param config the session's settings
     * @param codec  the codec frames are encoded in
     * @return the description of a session with {@code config} producing {@code codec}
     */
    public static StreamDescription of(ServerConfig config, Codec codec) {
        return new StreamDescription(codec, config.width(), config.height(), config.fps(), config.videoInput());
    }
}
