/**
 * ICE-lite (RFC 8445 §2.5) for the WebRTC transport, on Jitsi's {@code ice4j} STUN stack.
 *
 * <p>{@link io.framewire.plugin.webrtc.ice.IceLiteAgent} owns the single UDP socket of a session
 * and demultiplexes it (RFC 7983): STUN binding requests are decoded, checked (FINGERPRINT,
 * USERNAME, MESSAGE-INTEGRITY) and answered with ice4j's message classes; DTLS and RTP/RTCP go to
 * handlers. {@code SharedStunStack} holds the one ice4j {@code StunStack} whose credentials
 * registry the agents use. Why ICE-lite and not ice4j's full agent: docs/protocol.md.
 */
package io.framewire.plugin.webrtc.ice;
