/**
 * RTP media path pieces: payload packetizers ({@link io.framewire.plugin.webrtc.rtp.H264Packetizer},
 * {@link io.framewire.plugin.webrtc.rtp.H265Packetizer}, {@link io.framewire.plugin.webrtc.rtp.Av1Packetizer})
 * writing into a {@link io.framewire.plugin.webrtc.rtp.PacketSink}, the 90 kHz
 * {@link io.framewire.plugin.webrtc.rtp.RtpClock}, the retransmission
 * {@link io.framewire.plugin.webrtc.rtp.RtpHistory}, and RTCP parsing
 * ({@link io.framewire.plugin.webrtc.rtp.Rtcp}) and writing ({@link io.framewire.plugin.webrtc.rtp.RtcpWriter}).
 *
 * <p>This package is private to the bundle (not exported).
 */
package io.framewire.plugin.webrtc.rtp;
