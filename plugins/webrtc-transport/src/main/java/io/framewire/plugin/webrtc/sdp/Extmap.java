package io.framewire.plugin.webrtc.sdp;

/**
 * An RTP header extension mapping ({@code a=extmap:<id>[/<direction>] <uri> [<attributes>]}).
 *
 * @param id         the local identifier, 1..255
 * @param direction  the optional direction, or null
 * @param uri        the extension URI
 * @param attributes extension attributes, or null
 */
public record Extmap(int id, String direction, String uri, String attributes) {

    /**
     * @param value the attribute value
     * @return the mapping
     */
    public static Extmap parse(String value) {
        String[] parts = value.trim().split("\\s+", 3);
        if (parts.length < 2) {
            throw new SdpException("a=extmap needs '<id> <uri>', got '" + value + "'");
        }
        String[] idDir = parts[0].split("/", 2);
        return new Extmap(SdpParser.parseInt(idDir[0], "a=extmap:" + value),
                idDir.length > 1 ? idDir[1] : null, parts[1], parts.length > 2 ? parts[2] : null);
    }
}
