/**
 * SRTP/SRTCP (RFC 3711) for the WebRTC transport, implemented on {@code javax.crypto} only.
 *
 * <p>Design decision: Framewire does <em>not</em> use {@code org.jitsi:jitsi-srtp} (nor
 * {@code ice4j}) because their dependency trees (Kotlin, jitsi-utils, ...) are not OSGi bundles.
 * ICE-lite and STUN live in {@code io.framewire.plugin.webrtc.ice}, DTLS 1.2 with the
 * {@code use_srtp} extension (RFC 5764) is done with BouncyCastle bctls in
 * {@code io.framewire.plugin.webrtc.dtls}, and this package does the media protection.
 * Correctness is checked against the RFC 3711 Appendix B test vectors.
 *
 * <p>Supported profile: {@link io.framewire.plugin.webrtc.srtp.SrtpProfile#AES_CM_128_HMAC_SHA1_80}.
 */
package io.framewire.plugin.webrtc.srtp;
