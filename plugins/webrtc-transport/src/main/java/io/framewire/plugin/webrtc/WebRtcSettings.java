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
}
