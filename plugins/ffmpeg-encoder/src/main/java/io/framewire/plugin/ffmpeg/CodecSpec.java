package io.framewire.plugin.ffmpeg;

import io.framewire.api.Codec;

/**
 * The FFmpeg encoders this plugin offers, with their low-latency defaults.
 */
public enum CodecSpec {
    /** x264: ultrafast, zerolatency, constrained baseline, sliced threads, bitrate changes live. */
    LIBX264("libx264", Codec.H264, false, "ultrafast", "zerolatency", "baseline", true),
    /** x265: ultrafast, zerolatency; a bitrate change reopens the encoder (next frame is an IDR). */
    LIBX265("libx265", Codec.H265, false, "ultrafast", "zerolatency", "main", false),
    /** SVT-AV1: preset 10 (SVT 3.1 maps 11-13 to 10 in low delay), low-delay prediction; a bitrate change reopens the encoder. */
    LIBSVTAV1("libsvtav1", Codec.AV1, false, "10", null, null, false),
    /** NVENC H.264: p1, ultra-low-latency tuning, CBR; bitrate changes live. */
    H264_NVENC("h264_nvenc", Codec.H264, true, "p1", "ull", "baseline", true),
    /** NVENC HEVC. */
    HEVC_NVENC("hevc_nvenc", Codec.H265, true, "p1", "ull", "main", true),
    /** NVENC AV1 (Ada and newer). */
    AV1_NVENC("av1_nvenc", Codec.AV1, true, "p1", "ull", null, true);

    private final String encoderName;
    private final Codec codec;
    private final boolean hardware;
    private final String defaultPreset;
    private final String defaultTune;
    private final String defaultProfile;
    private final boolean liveBitrate;

    CodecSpec(String encoderName, Codec codec, boolean hardware, String defaultPreset, String defaultTune,
              String defaultProfile, boolean liveBitrate) {
        this.encoderName = encoderName;
        this.codec = codec;
        this.hardware = hardware;
        this.defaultPreset = defaultPreset;
        this.defaultTune = defaultTune;
        this.defaultProfile = defaultProfile;
        this.liveBitrate = liveBitrate;
    }

    /** @return FFmpeg's encoder name, also the plugin's {@code framewire.name} */
    public String encoderName() { return encoderName; }

    /** @return H264, H265 or AV1 */
    public Codec codec() { return codec; }

    /** @return true for NVENC */
    public boolean hardware() { return hardware; }

    /** @return the preset used when none is configured */
    public String defaultPreset() { return defaultPreset; }

    /** @return the tune used when none is configured, or null */
    public String defaultTune() { return defaultTune; }

    /** @return the profile used when none is configured, or null (encoder default) */
    public String defaultProfile() { return defaultProfile; }

    /** @return true when a bitrate change is applied to the running encoder, false when it reopens it */
    public boolean liveBitrate() { return liveBitrate; }
}
