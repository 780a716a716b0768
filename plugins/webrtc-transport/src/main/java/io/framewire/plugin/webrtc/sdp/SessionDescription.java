package io.framewire.plugin.webrtc.sdp;

import java.util.List;

/**
 * A parsed SDP (see {@link SdpParser}).
 *
 * @param iceUfrag    session-level ICE username fragment, or null
 * @param icePwd      session-level ICE password, or null
 * @param fingerprint session-level DTLS fingerprint, or null
 * @param setup       session-level DTLS role, or null
 * @param iceLite     {@code a=ice-lite} present
 * @param bundle      the mids of the first {@code a=group:BUNDLE}, empty if none
 * @param attributes  all session-level attributes in order
 * @param media       the m-sections in order
 */
public record SessionDescription(String iceUfrag, String icePwd, Fingerprint fingerprint, Setup setup,
                                 boolean iceLite, List<String> bundle, List<Attribute> attributes,
                                 List<MediaDescription> media) {
}
