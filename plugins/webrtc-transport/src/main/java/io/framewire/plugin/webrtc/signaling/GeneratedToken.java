package io.framewire.plugin.webrtc.signaling;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The access token of every {@link SignalingServer} that has none configured: generated once per
 * process (per load of this bundle, strictly: one class loader) and then kept, so that a session
 * restart (new stream size, new codec, transport swapped back), a new HTTP port, or a new
 * transport component after reconfiguration all keep the token the open pages hold, and those pages
 * reconnect by themselves. It lives in memory only: no secret on disk, and a new process (or an
 * updated bundle) prints a new URL. Why not the bundle's data area: see docs/security.md.
 */
public final class GeneratedToken {
    /** 32 random bytes: 256 bits. */
    static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile String token;

    private GeneratedToken() {
    }

    /** @return the process-wide generated token (URL-safe base64 of {@value #BYTES} random bytes), made on first use */
    public static String get() {
        String t = token;
        if (t == null) {
            synchronized (GeneratedToken.class) {
                t = token;
                if (t == null) {
                    t = random(BYTES);
                    token = t;
                }
            }
        }
        return t;
    }

    /** @return {@code bytes} random bytes as URL-safe base64 without padding */
    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
