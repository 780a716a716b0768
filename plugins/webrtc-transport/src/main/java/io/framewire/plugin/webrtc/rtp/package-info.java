/**
 * RTP media path pieces: payload packetizers ({@link io.framewire.plugin.webrtc.rtp.H264Packetizer},
 * {@link io.framewire.plugin.webrtc.rtp.H265Packetizer}, {@link io.framewire.plugin.webrtc.rtp.Av1Packetizer})
 * writing into a {@link io.framewire.plugin.webrtc.rtp.PacketSink}, the 90 kHz
 * {@link io.framewire.plugin.webrtc.rtp.RtpClock}, the retransmission
 * {@link io.framewire.plugin.webrtc.rtp.RtpHistory}, and RTCP parsing
 * ({@link io.framewire.plugin.webrtc.rtp.Rtcp}) and writing ({@link io.framewire.plugin.webrtc.rtp.RtcpWriter}).
 *
 * <p>The H.264 and H.265 packetizers share {@code NalUnitPacketizer}; every packetizer writes the
 * negotiated {@link io.framewire.plugin.webrtc.rtp.RtpHeaderExtensions} itself. RTP headers are read
 * through {@link io.framewire.plugin.webrtc.rtp.RtpPacket} and network-order integers through
 * {@link io.framewire.plugin.webrtc.rtp.Bytes}, here and in the SRTP package.
 *
 * <p>This package is private to the bundle (not exported).
 */
package io.framewire.plugin.webrtc.rtp;
