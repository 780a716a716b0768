/**
 * Browser input helpers: {@link io.framewire.plugin.webrtc.input.LetterboxMapper} maps pointer
 * positions on the {@code <video>} element to stream pixels.
 *
 * <p>This package is private to the bundle (not exported).
 */
package io.framewire.plugin.webrtc.input;
