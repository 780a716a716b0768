package io.framewire.api;

/**
 * Every default and limit of the stream settings, in one place: {@link ServerConfig}'s builder,
 * the runtime's Configuration Admin settings and the plugin selection all read them from here.
 */
public final class Defaults {
    /** Default stream width in pixels. */
    public static final int WIDTH = 1920;
    /** Default stream height in pixels. */
    public static final int HEIGHT = 1080;
    /** Smallest accepted stream side, in pixels. */
    public static final int MIN_SIDE = 16;
    /** Largest accepted stream side: 8K. */
    public static final int MAX_SIDE = 8192;

    /** Default frames per second. */
    public static final int FPS = 30;
    /** Lowest accepted frame rate. */
    public static final int MIN_FPS = 1;
    /** Highest accepted frame rate. */
    public static final int MAX_FPS = 240;

    /** Default target bitrate, kbit/s. */
    public static final int BITRATE_KBPS = 8000;
    /** Lowest accepted target bitrate, kbit/s. */
    public static final int MIN_BITRATE_KBPS = 100;
    /** Highest accepted target bitrate, kbit/s. */
    public static final int MAX_BITRATE_KBPS = 500_000;

    /** Default input kind (a {@link VideoInput} name; a String so annotations can use it). */
    public static final String VIDEO_INPUT = "BGRA";
    /** Default encoder preference (a {@link ServerConfig.EncoderPreference} name). */
    public static final String ENCODER_PREFERENCE = "AUTO";

    /** The source setting's value for "frames come only from {@code streamVideo()}". */
    public static final String NO_SOURCE = "none";
    /** The encoder setting's value for "pick the best available encoder". */
    public static final String AUTO_ENCODER = "auto";
    /** Default frame source: the test pattern. */
    public static final String SOURCE = "test-pattern";
    /** Default encoder: the best available. */
    public static final String ENCODER = AUTO_ENCODER;
    /** Default transport: WebRTC to browsers. */
    public static final String TRANSPORT = "webrtc";

    /** Default address a transport's HTTP server binds. */
    public static final String BIND_ADDRESS = "0.0.0.0";
    /** Default HTTP port (web client, signaling, {@code /health}). */
    public static final int HTTP_PORT = 8080;

    /** Largest app message, in bytes (UTF-8): the signaling protocol's limit. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    /**
     * Keyframe-request listeners hear at most one request per this many milliseconds: browsers
     * repeat PLIs while they wait, and a producer needs one frame to answer.
     */
    public static final int KEYFRAME_REQUEST_INTERVAL_MILLIS = 500;
    /**
     * A pre-encoded (bitstream) session whose producer sent nothing for this long re-sends the
     * last key frame, start-only, to viewers that have no picture yet (they joined during the
     * silence), and again every this many milliseconds while it lasts.
     */
    public static final int BITSTREAM_STALL_RESEND_MILLIS = 1000;
    /**
     * {@code /health} reports {@code STALLED} (503) when the producer delivered nothing, or nothing
     * was sent, for longer than this many milliseconds; browsers drop a stream after about 7 s
     * without frames, so an operator hears of it before they do.
     */
    public static final int MAX_FRAME_AGE_MILLIS = 5000;

    private Defaults() {
    }
}
