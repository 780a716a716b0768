package io.framewire.runtime;

import io.framewire.api.Defaults;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoInput;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the {@link ServerSettings} keys from Configuration Admin properties ourselves, so a bad value
 * is refused with one line naming the key, the value and the rule (the container's own conversion
 * throws a stack trace and names nothing) and the running stream can keep its last good settings.
 * A missing key takes its {@link Defaults} value.
 */
final class ServerSettingsParser {
    /**
     * The keys this PID understands (the attributes of {@link ServerSettings}, sorted); others are
     * reported as unknown (a typo must not pass silently).
     */
    static final List<String> KEYS = Arrays.stream(ServerSettings.class.getDeclaredMethods()).map(Method::getName)
            .sorted().toList();

    /** Settings that passed every rule. */
    record Parsed(ServerConfig config, PluginSelection selection, long maxFrameAgeMillis) {
    }

    private ServerSettingsParser() {
    }

    /**
     * @return the settings in {@code properties}
     * @throws IllegalArgumentException with the message {@code key=value: rule} for the first bad value
     */
    static Parsed parse(Map<String, ?> properties) {
        ServerConfig config = ServerConfig.builder()
                .width(integer(properties, "width", Defaults.WIDTH))
                .height(integer(properties, "height", Defaults.HEIGHT))
                .fps(integer(properties, "fps", Defaults.FPS))
                .videoInput(choice(properties, "videoInput", VideoInput.class, Defaults.VIDEO_INPUT))
                .bitrateKbps(integer(properties, "bitrateKbps", Defaults.BITRATE_KBPS))
                .encoderPreference(choice(properties, "encoderPreference", ServerConfig.EncoderPreference.class,
                        Defaults.ENCODER_PREFERENCE))
                .build(); // range rules: ServerConfig names the field and the value
        PluginSelection selection = new PluginSelection(name(properties, "source", Defaults.SOURCE),
                name(properties, "encoder", Defaults.ENCODER), name(properties, "transport", Defaults.TRANSPORT));
        long maxAge = integer(properties, "maxFrameAgeMillis", Defaults.MAX_FRAME_AGE_MILLIS);
        if (maxAge < 0) {
            throw new IllegalArgumentException("maxFrameAgeMillis=" + maxAge + ": must be >= 0 (0 turns the check off)");
        }
        return new Parsed(config, selection, maxAge);
    }

    /** @return the keys in {@code properties} that are neither ours nor the container's, sorted */
    static List<String> unknownKeys(Map<String, ?> properties) {
        return properties.keySet().stream()
                .filter(k -> !KEYS.contains(k))
                .filter(k -> !k.startsWith("service.") && !k.startsWith("component.") && !k.startsWith("felix.")
                        && !k.startsWith(".") && !k.startsWith("osgi."))
                .sorted().toList();
    }

    private static int integer(Map<String, ?> properties, String key, int fallback) {
        Object v = properties.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Integer i) {
            return i;
        }
        String text = v.toString().trim();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": must be a whole number");
        }
    }

    private static <E extends Enum<E>> E choice(Map<String, ?> properties, String key, Class<E> type, String fallback) {
        Object v = properties.get(key);
        String text = (v == null ? fallback : v.toString()).trim();
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + v + ": must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    private static String name(Map<String, ?> properties, String key, String fallback) {
        Object v = properties.get(key);
        String text = v == null ? fallback : v.toString().trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(key + "=\"\": must name a plugin (its framewire.name)"
                    + ("source".equals(key) ? " or be '" + Defaults.NO_SOURCE + "'" : "")
                    + ("encoder".equals(key) ? " or be '" + Defaults.AUTO_ENCODER + "'" : ""));
        }
        return text;
    }
}
