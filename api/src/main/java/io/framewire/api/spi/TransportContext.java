package io.framewire.api.spi;

import io.framewire.api.HealthReport;
import io.framewire.api.StreamDescription;

import java.net.URI;

/**
 * What the runtime offers a {@link Transport}. Control messages arrive typed: the transport parses
 * its wire format once, at its edge. All methods return at once; messages are handled off the
 * caller's (network) thread.
 */
public interface TransportContext {
    /**
     * @return what the session streams now: the codec (known before the first frame, so an offer
     *         can be answered at once), the fixed size and the current fps
     */
    StreamDescription stream();

    /** Hands an application message from a peer to the application's listeners. */
    void onAppMessage(String peerId, AppMessage message);

    /** A peer asks for a stage load; progress comes back as {@link StageEvent}s to every peer. */
    void onStageLoad(String peerId, URI uri);

    /** Input from a peer, in stream pixels. */
    void onInput(String peerId, InputEvent event);

    /**
     * Asks for a key frame (a peer joined, PLI/FIR): the one keyframe-request path, to the encoder
     * (and, for pre-encoded input, on to the producer).
     */
    void requestKeyframe();

    /**
     * The transport's estimate of the bitrate the network carries to its viewers (its congestion
     * control; with several viewers, the weakest one's down to a floor the transport chooses). The
     * runtime sets the encoder's bitrate to it, never above the configured bitrate, and lowers the
     * frame rate when the estimate is too low for the stream size. Call it when the estimate
     * changes, a few times a second at most.
     *
     * @param kbps the estimate in kbit/s; 0 = no estimate, back to the configured rates
     * @since 2.4
     */
    default void setNetworkBitrateKbps(int kbps) {
    }

    /**
     * The bitrate the stream is configured for: the most the encoder uses however fast the network
     * is. A transport that probes the network for more bandwidth need not look beyond it.
     *
     * @return kbit/s; 0 when unknown (the default)
     * @since 2.5
     */
    default int configuredBitrateKbps() {
        return 0;
    }

    /** @return the server's health, for a transport that serves {@code /health} */
    HealthReport health();

    /** The content type of {@link #metrics()}: the Prometheus text exposition format 0.0.4. */
    String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * @return the server's metrics in the Prometheus text format ({@link #METRICS_CONTENT_TYPE}), for
     *         a transport that serves {@code /metrics}; includes the transport's {@link Transport#peerStats()}
     * @since 2.2
     */
    default String metrics() {
        return "";
    }
}
