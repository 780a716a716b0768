/**
 * Pacing of the outgoing RTP packets: {@link io.framewire.plugin.webrtc.pacer.PacedSender} spreads
 * each encoded frame's packets over time at a pacing rate derived from the congestion controller's
 * target bitrate ({@link io.framewire.plugin.webrtc.pacer.PacerSettings}), with retransmissions
 * ahead of media and a queue time limit, and hands each packet to a
 * {@link io.framewire.plugin.webrtc.pacer.Transmitter} (which stamps the transport-wide sequence
 * number, SRTP-protects and sends it). {@link io.framewire.plugin.webrtc.pacer.RetransmissionBudget}
 * bounds the NACK-driven resends to a share of the target bitrate and refuses a repeat within one
 * round trip.
 *
 * <p>The design follows libwebrtc's {@code modules/pacing} (interval budget, prioritized packet
 * queue, queue time limit); both classes take an injectable nanosecond clock, and a
 * {@link io.framewire.plugin.webrtc.pacer.PacedSender#manual manual} sender runs without a thread,
 * so tests drive them deterministically.
 *
 * <p>This package is private to the bundle (not exported).
 */
package io.framewire.plugin.webrtc.pacer;
