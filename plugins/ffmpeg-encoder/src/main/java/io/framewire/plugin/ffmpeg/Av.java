package io.framewire.plugin.ffmpeg;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;

/** Small helpers around FFmpeg return codes. */
final class Av {
    /** {@code AVERROR(EAGAIN)} on Linux (EAGAIN = 11); the presets expose no constant for it. */
    static final int AVERROR_EAGAIN = -11;
    /** {@code AV_FRAME_FLAG_KEY} (a macro in frame.h, not mapped by the presets). */
    static final int AV_FRAME_FLAG_KEY = 1 << 1;
    /** {@code FF_THREAD_SLICE} (avcodec.h). */
    static final int FF_THREAD_SLICE = 2;

    private Av() {
    }

    /** @return FFmpeg's text for {@code code} and the code, e.g. "Invalid argument (-22)" */
    static String describe(int code) {
        byte[] buf = new byte[256];
        String text;
        if (av_strerror(code, buf, buf.length) < 0) {
            text = "unknown error";
        } else {
            int n = 0;
            while (n < buf.length && buf[n] != 0) {
                n++;
            }
            text = new String(buf, 0, n, StandardCharsets.UTF_8);
        }
        return text + " (" + code + ")";
    }

    /** @return {@code ret} when it is not negative; otherwise throws naming {@code who} and {@code call} */
    static int check(int ret, String who, String call) throws FfmpegException {
        if (ret < 0) {
            throw new FfmpegException(who + ": " + call + " failed: " + describe(ret), ret);
        }
        return ret;
    }
}
