/**
 * DTLS 1.2 with the {@code use_srtp} extension (DTLS-SRTP, RFC 5764) over the ICE-lite agent,
 * built on BouncyCastle bctls ({@code DTLSServerProtocol}, {@code BcTlsCrypto}).
 *
 * <p>Design decision: Framewire does <em>not</em> use {@code org.jitsi:ice4j} /
 * {@code jitsi-srtp} because their dependency trees (Kotlin, jitsi-utils, ...) are not OSGi
 * bundles. ICE-lite (RFC 8445 §2.5) + STUN (RFC 5389) and SRTP (RFC 3711) are implemented in this
 * plugin on {@code javax.crypto}; only DTLS uses BouncyCastle (which ships as OSGi bundles).
 *
 * <p>Wiring: {@code IceLiteAgent} → {@link io.framewire.plugin.webrtc.dtls.DtlsSrtpServer} (which
 * registers itself as the agent's DTLS handler) → {@code SrtpKeyMaterial} →
 * {@code SrtpContext}s.
 */
package io.framewire.plugin.webrtc.dtls;
