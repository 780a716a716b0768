/**
 * A Java test receiver (test scope): the client side of the WebRTC stack, for the places a browser
 * cannot go (H.265, the GPU machine). {@link io.framewire.testing.receiver.WebRtcTestReceiver}
 * connects to a running transport like a browser (signaling, ICE controlling, DTLS client, SRTP),
 * depacketizes ({@link io.framewire.testing.receiver.Depacketizer}: H.264, H.265, AV1) and
 * decodes with FFmpeg ({@link io.framewire.testing.receiver.FfmpegDecoder}) into
 * {@link io.framewire.testing.receiver.DecodedFrame}s.
 *
 * <p>Limits: one IPv4 host candidate (the first in the answer), the AES_CM_128_HMAC_SHA1_80 SRTP
 * profile, no NACK (a lost packet drops the frame and a PLI asks for a key frame), no jitter buffer
 * (packets reordered on the wire count as a loss), decoding on the network thread.
 */
package io.framewire.testing.receiver;
