package io.framewire.api;

/**
 * A running streaming session: frames in, video and app messages out to the connected browsers.
 * Registered as an OSGi service by the runtime; applications (or embedded code) stream through it.
 *
 * <h2>The {@code streamVideo} contract</h2>
 * {@link #streamVideo(VideoFrame)} does not copy the caller's buffer. The server reads it (converts
 * it into its own encoder input, on the GPU for device frames) at some point before the NEXT
 * {@code streamVideo()} on the same server returns. The caller keeps the buffer alive and unchanged
 * until then; after that call returns, the buffer may be reused or freed. Close releases it too.
 *
 * <p>Frames are paced by the server's scheduler: streaming faster than the configured fps replaces
 * the pending frame (the newest wins); streaming slower repeats the last good frame.
 */
public interface StreamServer extends AutoCloseable {

    /** @return the session's fixed settings */
    ServerConfig config();

    /**
     * Hands one frame to the server (see the class comment for buffer lifetime).
     *
     * @throws InvalidFrameException when a field breaks a rule; the server keeps streaming its last good frame
     * @throws IllegalStateException when the server is closed
     */
    void streamVideo(VideoFrame frame);

    /** Sends an app message (a JSON object as text) to every connected peer. Never blocks on the network. */
    void sendMessage(String json);

    /**
     * Adds a listener for app messages from peers.
     *
     * @return a handle that removes the listener when closed
     */
    AutoCloseable addMessageListener(MessageListener listener);

    /**
     * Adds a listener told when a viewer needs a key frame (rate-limited: at most one call per
     * {@link Defaults#KEYFRAME_REQUEST_INTERVAL_MILLIS}). Producers of pre-encoded input
     * ({@link VideoInput#isBitstream()}) must answer with a key frame soon: a viewer that joins
     * or loses packets sees nothing new until one comes. See {@link KeyframeRequestListener}.
     *
     * @return a handle that removes the listener when closed
     */
    AutoCloseable onKeyframeRequest(KeyframeRequestListener listener);

    /**
     * Starts loading a stage (a scene) on the server's loader thread, as a peer's {@code stage.load}
     * request does: the newest request wins, the video goes on (the last good frame repeats while the
     * stage lock is held), and every peer is told of the progress. Returns at once; {@link #health()}
     * names the URI while it loads.
     *
     * @param uri the stage to load, e.g. {@code scene:demo}; a stage loader plugin must accept it
     * @throws InvalidFrameException naming {@code uri} when it is not a valid URI
     * @throws IllegalStateException when the server is closed
     */
    void loadStage(String uri);

    /**
     * @return the page a viewer opens, with the access token it needs (the transport's; it changes
     *         when the transport moves to another port), or null while the transport serves none
     */
    String url();

    /** @return true once the first valid frame has been converted (the stream is worth watching) */
    boolean isReady();

    /** @return a health snapshot (readiness, frame age, counters) */
    HealthReport health();

    /** Stops streaming, releases native and GPU memory. Idempotent. */
    @Override
    void close();
}
