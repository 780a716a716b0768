package io.framewire.plugin.webrtc.sdp;

import java.util.List;
import java.util.Map;

/**
 * One RTP payload type of an m-section with what the SDP says about it.
 *
 * @param number    the payload type number
 * @param codec     the encoding name from {@code a=rtpmap} (as written, e.g. {@code H264}), or the static
 *                  name for static payload types without rtpmap, or an empty string if unknown
 * @param clockRate the clock rate, 0 if unknown
 * @param channels  audio channels from rtpmap, 0 if not given
 * @param fmtp      the raw {@code a=fmtp} parameter string, or null
 * @param params    the fmtp parameters (keys lower case, in order)
 * @param rtcpFb    the {@code a=rtcp-fb} values for this type (including {@code *} lines), e.g. {@code nack pli}
 */
public record PayloadType(int number, String codec, int clockRate, int channels, String fmtp,
                          Map<String, String> params, List<String> rtcpFb) {

    /** @return true if the encoding name equals {@code name}, ignoring case */
    public boolean is(String name) {
        return codec.equalsIgnoreCase(name);
    }

    /**
     * @param key parameter name (case-insensitive)
     * @return the fmtp parameter value, or null
     */
    public String param(String key) {
        return params.get(key.toLowerCase(java.util.Locale.ROOT));
    }

    /** @return the payload type this RTX type repairs ({@code apt}), or -1 if it is not RTX */
    public int associatedPayloadType() {
        String apt = param("apt");
        return is("rtx") && apt != null ? SdpParser.parseInt(apt, "apt=" + apt) : -1;
    }

    /** @return {@code codec/clockRate} and fmtp, for messages */
    @Override
    public String toString() {
        return number + " " + codec + "/" + clockRate + (fmtp != null ? " [" + fmtp + "]" : "");
    }
}
