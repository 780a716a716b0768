package io.framewire.plugin.webrtc.sdp;

/**
 * An {@code a=} line.
 *
 * @param name  the attribute name
 * @param value the value after the first colon, or null for a flag attribute
 */
public record Attribute(String name, String value) {
}
