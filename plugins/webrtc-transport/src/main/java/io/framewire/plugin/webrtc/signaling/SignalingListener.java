package io.framewire.plugin.webrtc.signaling;

import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.KeyInput;

import java.net.URI;

/**
 * The application side of the signaling server (the WebRTC transport). Every callback runs on the
 * server's single listener thread ({@code <name>-listener}), in arrival order, never on a Jetty
 * network thread; a slow callback delays the following callbacks but not the network (pings are
 * still answered). The queue is bounded: while it is full, client messages are dropped and answered
 * with {@code {"type":"error","error":"server busy: ..."}}; connect/disconnect are never dropped.
 *
 * <p>A callback that throws (other than {@link #onOffer}, see there) is logged and the client gets
 * an {@code error} message naming the message type; the connection stays open.
 *
 * <p>Messages arrive parsed and validated, as typed values: the listener never sees JSON.
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
     * @param message the {@code data} object (checked to be a JSON object)
     */
    default void onAppMessage(SignalingPeer peer, AppMessage message) {
    }

    /**
     * A pointer event, in element coordinates: the transport maps it to stream pixels with
     * {@link io.framewire.plugin.webrtc.input.LetterboxMapper}.
     */
    default void onPointer(SignalingPeer peer, PointerEvent event) {
    }

    /** A keyboard event ({@code key} and {@code code} at most {@value SignalingProtocol#MAX_KEY_CHARS} characters). */
    default void onKey(SignalingPeer peer, KeyInput event) {
    }

    /** A stage-load request; {@code uri} is at most {@value SignalingProtocol#MAX_URI_CHARS} characters. */
    default void onStageLoad(SignalingPeer peer, URI uri) {
    }

    /** The client disconnected (or the server stopped). Called exactly once per connected peer. */
    default void onDisconnect(SignalingPeer peer) {
    }
}
