/**
 * ICE-lite (RFC 8445 §2.5) and the STUN subset it needs (RFC 5389) for the WebRTC transport.
 *
 * <p>Design decision: Framewire does <em>not</em> use {@code org.jitsi:ice4j} / {@code jitsi-srtp}
 * because their dependency trees (Kotlin, jitsi-utils, ...) are not OSGi bundles. Instead we
 * implement ICE-lite + STUN here and SRTP (RFC 3711) in {@code io.framewire.plugin.webrtc.srtp}
 * on {@code javax.crypto}, and use BouncyCastle bctls for DTLS 1.2 with {@code use_srtp}
 * (RFC 5764) in {@code io.framewire.plugin.webrtc.dtls}. The STUN code is verified with the
 * RFC 5769 test vectors.
 *
 * <p>{@link io.framewire.plugin.webrtc.ice.IceLiteAgent} owns the single UDP socket of a session
 * and demultiplexes it (RFC 7983): STUN is answered here, DTLS and RTP/RTCP go to handlers.
 */
package io.framewire.plugin.webrtc.ice;
