package io.framewire.plugin.webrtc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns configured STUN/TURN URLs into the browser's {@code RTCIceServer} dictionaries. */
final class IceServers {
    private IceServers() {
    }

    /**
     * {@code stun:host:port} becomes {@code {"urls":["stun:host:port"]}};
     * {@code turn:user:pass@host:port[?transport=udp]} becomes
     * {@code {"urls":["turn:host:port?transport=udp"],"username":"user","credential":"pass"}}.
     */
    static Map<String, Object> toBrowser(String url) {
        Map<String, Object> server = new LinkedHashMap<>();
        int at = url.indexOf('@');
        int colon = url.indexOf(':');
        if ((url.startsWith("turn:") || url.startsWith("turns:")) && at > 0) {
            String scheme = url.substring(0, colon);
            String credentials = url.substring(colon + 1, at);
            int split = credentials.indexOf(':');
            if (split < 0) {
                throw new IllegalArgumentException("iceServers=" + url + ": TURN needs user:password@host");
            }
            server.put("urls", List.of(scheme + ":" + url.substring(at + 1)));
            server.put("username", credentials.substring(0, split));
            server.put("credential", credentials.substring(split + 1));
        } else if (url.startsWith("stun:") || url.startsWith("turn:") || url.startsWith("turns:")) {
            server.put("urls", List.of(url));
        } else {
            throw new IllegalArgumentException("iceServers=" + url + ": must start with stun:, turn: or turns:");
        }
        return server;
    }
}
