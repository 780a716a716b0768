/**
 * SDP offer parsing ({@link io.framewire.plugin.webrtc.sdp.SdpParser} into
 * {@link io.framewire.plugin.webrtc.sdp.SessionDescription}) and answer writing for our ICE-lite,
 * send-only video endpoint ({@link io.framewire.plugin.webrtc.sdp.SdpAnswer},
 * {@link io.framewire.plugin.webrtc.sdp.CodecSelector}).
 *
 * <p>This package is private to the bundle (not exported).
 */
package io.framewire.plugin.webrtc.sdp;
