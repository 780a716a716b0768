/**
 * WebSocket signaling and the web client for the WebRTC transport.
 *
 * <p>{@link io.framewire.plugin.webrtc.signaling.SignalingServer} is a Jetty 12 core server that
 * serves the browser client ({@code /}), {@code /health}, and the {@code /signal} WebSocket speaking
 * the {@link io.framewire.plugin.webrtc.signaling.SignalingProtocol}. The transport implements
 * {@link io.framewire.plugin.webrtc.signaling.SignalingListener}; its callbacks run on one listener
 * thread, never on Jetty's network threads. Security (access token, Origin check, size and rate
 * limits) is described in {@link io.framewire.plugin.webrtc.signaling.SignalingConfig}.
 */
package io.framewire.plugin.webrtc.signaling;
