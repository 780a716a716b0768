package io.framewire.api;

/**
 * Told when a viewer needs a key frame: a browser joined, or lost packets and sent a PLI/FIR (see
 * {@link StreamServer#onKeyframeRequest}).
 * A producer of pre-encoded input answers by making its next access unit a key frame with its
 * parameter sets (H.264 IDR with SPS/PPS, H.265 IRAP with VPS/SPS/PPS, AV1 key frame with a
 * sequence header). Pixel sessions need no answer: the server's encoder makes the key frame.
 */
@FunctionalInterface
public interface KeyframeRequestListener {
    /**
     * Called on a server thread, at most once per {@link Defaults#KEYFRAME_REQUEST_INTERVAL_MILLIS}
     * however many requests came in that time. Must return quickly and must not call
     * {@link StreamServer#streamVideo} from inside (it may block for the frame it would hand over).
     */
    void keyframeRequested();
}
