package io.framewire.plugin.bitstream;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

import java.nio.ByteBuffer;
import java.util.List;

/** An FFmpeg decoder that says how many pictures a sequence of access units decodes to without error. */
final class TestDecoder {
    /** Outcome: pictures out, and whether the decoder refused a packet or flagged a picture as damaged. */
    record Result(int frames, boolean errors) {
        boolean clean(int expected) {
            return frames == expected && !errors;
        }
    }

    private TestDecoder() {
    }

    static {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET);
    }

    /** @param names decoder names to try in order, e.g. {@code "libdav1d", "libaom-av1"} */
    static Result decode(List<ByteBuffer> units, String... names) {
        AVCodec codec = null;
        for (String n : names) {
            codec = avcodec_find_decoder_by_name(n);
            if (codec != null) {
                break;
            }
        }
        if (codec == null) {
            throw new IllegalStateException("no decoder among " + String.join(",", names));
        }
        AVCodecContext c = avcodec_alloc_context3(codec);
        AVPacket pkt = av_packet_alloc();
        AVFrame f = av_frame_alloc();
        int frames = 0;
        boolean errors = false;
        try {
            c.thread_count(1);
            if (avcodec_open2(c, codec, (AVDictionary) null) < 0) {
                throw new IllegalStateException("avcodec_open2 decoder failed");
            }
            for (int i = 0; i <= units.size(); i++) {
                int ret;
                if (i < units.size()) {
                    ByteBuffer u = units.get(i);
                    byte[] b = new byte[u.remaining()];
                    u.duplicate().get(b);
                    BytePointer data = new BytePointer(b.length);
                    data.put(b);
                    pkt.data(data).size(b.length);
                    ret = avcodec_send_packet(c, pkt);
                    pkt.data(null).size(0);
                    data.close();
                } else {
                    ret = avcodec_send_packet(c, (AVPacket) null);
                }
                if (ret < 0 && ret != AVERROR_EOF) {
                    errors = true;
                }
                while (avcodec_receive_frame(c, f) >= 0) {
                    frames++;
                    errors |= f.decode_error_flags() != 0;
                }
            }
            return new Result(frames, errors);
        } finally {
            av_frame_free(f);
            av_packet_free(pkt);
            avcodec_free_context(c);
        }
    }
}
