package io.framewire.plugin.webrtc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration Admin settings of the WebRTC transport (PID {@value #PID}). The HTTP port and bind
 * address come from the server's settings ({@code io.framewire.server}).
 */
@ObjectClassDefinition(name = "Framewire WebRTC transport")
public @interface WebRtcSettings {
    /** The configuration PID. */
    String PID = "io.framewire.webrtc";

    @AttributeDefinition(description = "Access token for /signal; empty = generate one at start (printed in the URL)")
    String accessToken() default "";

    @AttributeDefinition(description = "Origins allowed besides same-origin, e.g. https://app.example.org")
    String[] allowedOrigins() default {};

    @AttributeDefinition(description = "STUN/TURN servers handed to the browser, e.g. stun:stun.example.org:3478 "
            + "or turn:user:pass@turn.example.org:3478")
    String[] iceServers() default {};

    @AttributeDefinition(description = "IP addresses to announce as host candidates; empty = the bind address, "
            + "or every local address when binding 0.0.0.0")
    String[] mediaAddresses() default {};

    @AttributeDefinition(description = "Largest RTP packet in bytes (before SRTP)")
    int maxPacketSize() default 1200;

    @AttributeDefinition(description = "Most browsers connected at once")
    int maxPeers() default 16;
}
