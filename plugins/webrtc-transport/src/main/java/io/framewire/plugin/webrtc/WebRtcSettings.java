package io.framewire.plugin.webrtc;

import io.framewire.api.Defaults;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration Admin settings of the WebRTC transport (PID {@value #PID}). The transport owns its
 * network settings: {@link #bindAddress()} and {@link #httpPort()} (a change while running moves
 * the HTTP server; browsers reconnect). The other settings apply from the next start. Without OSGi,
 * use {@link WebRtcTransport#defaultSettings(String, String, int)}.
 */
@ObjectClassDefinition(name = "Framewire WebRTC transport")
public @interface WebRtcSettings {
    /** The configuration PID. */
    String PID = "io.framewire.webrtc";

    /** @return the address of the HTTP server and the media (UDP) ports, default {@value Defaults#BIND_ADDRESS} */
    @AttributeDefinition(description = "Address of the HTTP server (web client, signaling, /health) and the media "
            + "ports; 0.0.0.0 = every interface")
    String bindAddress() default Defaults.BIND_ADDRESS;

    /** @return the HTTP port (web client, signaling WebSocket, {@code /health}), default {@value Defaults#HTTP_PORT}; 0 = any free port */
    @AttributeDefinition(description = "HTTP port: web client, signaling WebSocket, /health; 0 = any free port",
            min = "0", max = "65535")
    int httpPort() default Defaults.HTTP_PORT;

    /** @return the access token for {@code /signal}; empty for one generated once per process and kept across restarts */
    @AttributeDefinition(description = "Access token for /signal; empty = one generated once per process, kept "
            + "across session and transport restarts (printed in the URL)")
    String accessToken() default "";

    /** @return origins allowed besides same-origin */
    @AttributeDefinition(description = "Origins allowed besides same-origin, e.g. https://app.example.org")
    String[] allowedOrigins() default {};

    /** @return STUN/TURN server URLs handed to the browser */
    @AttributeDefinition(description = "STUN/TURN servers handed to the browser, e.g. stun:stun.example.org:3478 "
            + "or turn:user:pass@turn.example.org:3478")
    String[] iceServers() default {};

    /** @return the addresses announced as host candidates; empty = derived from the bind address */
    @AttributeDefinition(description = "IP addresses to announce as host candidates; empty = the bind address, "
            + "or every local address when binding 0.0.0.0")
    String[] mediaAddresses() default {};

    /** @return the largest RTP packet in bytes, before SRTP */
    @AttributeDefinition(description = "Largest RTP packet in bytes (before SRTP)")
    int maxPacketSize() default 1200;

    /** @return the most browsers connected at once */
    @AttributeDefinition(description = "Most browsers connected at once")
    int maxPeers() default 16;

    /**
     * @return true (default) to adapt to each path: transport-wide feedback, a GCC-style bandwidth
     *         estimate that sets the encoder's bitrate, a packet pacer and budgeted retransmissions;
     *         false to send at the configured bitrate, each frame in one burst, every NACK answered
     *         (the behaviour before congestion control, kept for comparison)
     */
    @AttributeDefinition(description = "Congestion control: adapt the bitrate to each viewer's path, pace packets, "
            + "budget retransmissions; false = fixed bitrate, frames sent in one burst")
    boolean congestionControl() default true;

    /** @return the estimate a new peer starts from, kbit/s */
    @AttributeDefinition(description = "Bitrate a new viewer starts at, kbit/s (congestion control ramps up from here)",
            min = "100")
    int startBitrateKbps() default 2500;

    /**
     * @return the lowest estimate, kbit/s: the encoder never goes below it for a weak viewer; a
     *         viewer whose path carries less loses frames at its pacer and waits for key frames
     */
    @AttributeDefinition(description = "Lowest bitrate congestion control sets, kbit/s: the floor for the weakest viewer",
            min = "100")
    int minBitrateKbps() default 300;

    /** @return the highest estimate, kbit/s (the encoder is capped by the configured bitrate anyway) */
    @AttributeDefinition(description = "Highest bitrate estimate, kbit/s (the encoder never exceeds the configured "
            + "bitrate)", min = "100")
    int maxBitrateKbps() default 50000;

    /** @return the pacing rate as a multiple of the estimate */
    @AttributeDefinition(description = "Pacing rate as a multiple of the estimate: packets leave at most this fast")
    double pacingFactor() default 2.5;

    /** @return the share of the estimate retransmissions may use */
    @AttributeDefinition(description = "Share of the estimate that NACK-driven retransmissions may use")
    double retransmissionShare() default 0.2;
}
