/**
 * SRTP/SRTCP (RFC 3711) for the WebRTC transport.
 *
 * <p>The crypto is done by {@code org.jitsi:jitsi-srtp} (the SRTP library of Jitsi Videobridge:
 * maintained, OpenSSL-accelerated where its native library loads, JCE otherwise);
 * {@link io.framewire.plugin.webrtc.srtp.SrtpContext} adapts it to in-place {@code byte[]}
 * protection per direction. DTLS 1.2 with the {@code use_srtp} extension (RFC 5764) is done with
 * BouncyCastle bctls in {@code io.framewire.plugin.webrtc.dtls}, which exports the keys
 * ({@link io.framewire.plugin.webrtc.srtp.SrtpKeyMaterial}). Tests check the libsrtp and RFC 3711
 * Appendix B.3 known answers.
 *
 * <p>Supported profile: {@link io.framewire.plugin.webrtc.srtp.SrtpProfile#AES_CM_128_HMAC_SHA1_80}.
 */
package io.framewire.plugin.webrtc.srtp;
