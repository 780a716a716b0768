package io.framewire.runtime;

import io.framewire.api.Defaults;

/**
 * Which plugins a session uses, by {@code framewire.name}. Can change while the stream runs.
 *
 * @param source    the active frame source, or {@code "none"} when frames only come from {@code streamVideo()}
 * @param encoder   an encoder name, or {@code "auto"}
 * @param transport the transport name
 */
record PluginSelection(String source, String encoder, String transport) {
    /** The defaults: the test pattern, the best available encoder, WebRTC to browsers. */
    static final PluginSelection DEFAULT = new PluginSelection(Defaults.SOURCE, Defaults.ENCODER, Defaults.TRANSPORT);
}
