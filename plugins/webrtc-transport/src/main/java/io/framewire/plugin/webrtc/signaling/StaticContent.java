package io.framewire.plugin.webrtc.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web client's files, read from the bundle class path and kept in memory. Only flat names
 * with a known extension are served ({@code [A-Za-z0-9_-]+(.[A-Za-z0-9_-]+)*.ext}): no folders, no
 * {@code ..}, no directory listing.
 */
final class StaticContent {
    /** One file: bytes and content type. */
    record Entry(byte[] bytes, String contentType) {
    }

    static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.[a-z]{2,4}");
    private static final int MAX_BYTES = 4 << 20;

    private final ClassLoader loader;
    private final String base;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    StaticContent(ClassLoader loader, String base) {
        this.loader = loader;
        this.base = base;
    }

    /**
     * @param path the request path ({@code /} means {@code /index.html})
     * @return the file, or null when there is none to serve
     */
    Entry get(String path) throws IOException {
        if (path == null || path.isEmpty() || "/".equals(path)) {
            path = "/index.html";
        }
        if (path.charAt(0) != '/') {
            return null;
        }
        String name = path.substring(1);
        if (!NAME.matcher(name).matches()) {
            return null;
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return null;
        }
        Entry cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = loader.getResourceAsStream(base + name)) {
            if (in == null) {
                return null; // not cached: misses must not grow the cache
            }
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("resource too large: " + base + name);
            }
            Entry entry = new Entry(bytes, type);
            cache.put(name, entry);
            return entry;
        }
    }
}
