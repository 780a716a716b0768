package io.framewire.plugin.ffmpeg;

/** An FFmpeg call failed; the message names the encoder, the call and FFmpeg's own error text. */
public class FfmpegException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    public FfmpegException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** @return FFmpeg's negative AVERROR code, or 0 when the failure was not a return code */
    public int code() {
        return code;
    }
}
