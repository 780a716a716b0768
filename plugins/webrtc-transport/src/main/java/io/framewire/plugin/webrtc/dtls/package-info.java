/**
 * DTLS 1.2 with the {@code use_srtp} extension (DTLS-SRTP, RFC 5764) over the ICE-lite agent,
 * built on BouncyCastle bctls ({@code DTLSServerProtocol}, {@code BcTlsCrypto}).
 *
 * <p>STUN is ice4j's and SRTP jitsi-srtp's (see their packages and docs/protocol.md); DTLS stays
 * on BouncyCastle, which ships as OSGi bundles.
 *
 * <p>Wiring: {@code IceLiteAgent} → {@link io.framewire.plugin.webrtc.dtls.DtlsSrtpServer} (which
 * registers itself as the agent's DTLS handler) → {@code SrtpKeyMaterial} →
 * {@code SrtpContext}s.
 */
package io.framewire.plugin.webrtc.dtls;
