package io.framewire.plugin.webrtc.signaling;

/**
 * The application side of the signaling server (the WebRTC transport). Every callback runs on the
 * server's single listener thread ({@code <name>-listener}), in arrival order, never on a Jetty
 * network thread; a slow callback delays the following callbacks but not the network (pings are
 * still answered). The queue is bounded: while it is full, client messages are dropped and answered
 * with {@code {"type":"error","error":"server busy: ..."}}; connect/disconnect are never dropped.
 *
 * <p>A callback that throws (other than {@link #onOffer}, see there) is logged and the client gets
 * an {@code error} message naming the message type; the connection stays open.
 */
public interface SignalingListener {
    /** A client connected; its {@code hello} is being sent (the first message it receives). */
    default void onConnect(SignalingPeer peer) {
    }

    /**
     * The client's SDP offer.
     *
     * @return the SDP answer, sent back as {@code {"type":"answer","sdp":...}}; or null when the
     *         listener sends the answer itself later ({@code peer.send(SignalingProtocol.answer(sdp))})
     * @throws Exception to reject the offer: the client gets {@code {"type":"error","error":"offer
     *         rejected: <message>"}}
     */
    String onOffer(SignalingPeer peer, String sdp) throws Exception;

    /**
     * A trickled remote ICE candidate (an ICE-lite server may ignore it).
     *
     * @param candidate     the candidate line, {@code ""} for end-of-candidates
     * @param sdpMid        the media id, or null
     * @param sdpMLineIndex the m-line index, or null
     */
    default void onCandidate(SignalingPeer peer, String candidate, String sdpMid, Integer sdpMLineIndex) {
    }

    /**
     * An application message.
     *
     * @param json the {@code data} object as JSON text
     */
    default void onAppMessage(SignalingPeer peer, String json) {
    }

    /** A pointer event (element coordinates; map with {@link PointerEvent#toFrame(int, int)}). */
    default void onPointer(SignalingPeer peer, PointerEvent event) {
    }

    /** A keyboard event. */
    default void onKey(SignalingPeer peer, KeyEvent event) {
    }

    /**
     * A stage-load request ({@code uri} was checked to parse as a URI). The transport typically
     * hands {@link SignalingProtocol#stageLoad(String)} to {@code TransportContext.onMessage}.
     */
    default void onStageLoad(SignalingPeer peer, String uri) {
    }

    /** The client disconnected (or the server stopped). Called exactly once per connected peer. */
    default void onDisconnect(SignalingPeer peer) {
    }
}
