package io.framewire.plugin.webrtc.sdp;

import java.util.List;
import java.util.Optional;

/**
 * One m-section of an SDP. Session-level ICE credentials, fingerprint, setup, direction and extmap
 * lines are already folded in where the section has none of its own.
 *
 * @param media        {@code audio}, {@code video}, {@code application}, ...
 * @param port         the m-line port (0 = rejected / bundle-only)
 * @param protocol     e.g. {@code UDP/TLS/RTP/SAVPF}
 * @param formats      the m-line format list as written
 * @param mid          the {@code a=mid} value, or null
 * @param direction    the effective direction
 * @param payloadTypes the RTP payload types in m-line order (empty for non-RTP sections)
 * @param iceUfrag     effective ICE username fragment, or null
 * @param icePwd       effective ICE password, or null
 * @param fingerprint  effective DTLS fingerprint, or null
 * @param setup        effective DTLS role, or null
 * @param extmaps      header extension mappings
 * @param rtcpMux      {@code a=rtcp-mux} present
 * @param rtcpRsize    {@code a=rtcp-rsize} present
 * @param attributes   all media-level attributes in order
 */
public record MediaDescription(String media, int port, String protocol, List<String> formats, String mid,
                               Direction direction, List<PayloadType> payloadTypes, String iceUfrag, String icePwd,
                               Fingerprint fingerprint, Setup setup, List<Extmap> extmaps, boolean rtcpMux,
                               boolean rtcpRsize, List<Attribute> attributes) {

    /**
     * @param number a payload type number
     * @return that payload type, if the section lists it
     */
    public Optional<PayloadType> payloadType(int number) {
        return payloadTypes.stream().filter(p -> p.number() == number).findFirst();
    }

    /** @return true for an RTP m-section with an SRTP-capable profile (RTP/SAVP or RTP/SAVPF) */
    public boolean isSecureRtp() {
        return protocol.toUpperCase(java.util.Locale.ROOT).contains("RTP/SAVP");
    }
}
