package io.framewire.plugin.bitstream.browser;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

/**
 * libx264 streams whose every picture carries its own frame number: a row of {@link #BITS} black or
 * white blocks (bit b of the number, least significant first) on a mid-grey picture, so a page can
 * read back which source frame it shows (and in which order). Key frames forced every 30 frames.
 */
final class NumberedFrames {
    static final int W = 640;
    static final int H = 360;
    static final int BITS = 8;
    /** Block b covers x in [BLOCK_X0 + b * BLOCK, BLOCK_X0 + (b + 1) * BLOCK), y in [BLOCK_Y0, BLOCK_Y0 + BLOCK). */
    static final int BLOCK = 64;
    static final int BLOCK_X0 = 64;
    static final int BLOCK_Y0 = 144;
    private static final int AV_FRAME_FLAG_KEY = 1 << 1;

    record Packet(byte[] data, boolean key, long pts) {
    }

    static {
        av_log_set_level(AV_LOG_ERROR);
    }

    private NumberedFrames() {
    }

    /**
     * @param bframes 0: x264 High with no B-frames; n: n forced B-frames (b-adapt off, so every GOP reorders)
     * @return the packets in decoding order
     */
    static List<Packet> x264High(int bframes, int frames) {
        Set<Integer> keys = new java.util.HashSet<>();
        for (int i = 0; i < frames; i += 30) {
            keys.add(i);
        }
        AVCodec codec = avcodec_find_encoder_by_name("libx264");
        AVCodecContext c = avcodec_alloc_context3(codec);
        AVFrame f = av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        List<Packet> out = new ArrayList<>();
        try {
            c.width(W).height(H).pix_fmt(AV_PIX_FMT_YUV420P).time_base(av_make_q(1, 30)).framerate(av_make_q(30, 1));
            c.max_b_frames(bframes).thread_count(1).bit_rate(1_500_000);
            av_opt_set(c.priv_data(), "preset", "veryfast", 0);
            av_opt_set(c.priv_data(), "profile", "high", 0);
            av_opt_set(c.priv_data(), "forced-idr", "1", 0);
            av_opt_set(c.priv_data(), "x264-params", "keyint=infinite:scenecut=0:repeat-headers=1:b-adapt=0:rc-lookahead=4"
                    + ":bframes=" + bframes, 0);
            check(avcodec_open2(c, codec, (AVDictionary) null), "avcodec_open2");
            f.format(AV_PIX_FMT_YUV420P).width(W).height(H);
            check(av_frame_get_buffer(f, 0), "av_frame_get_buffer");
            for (int i = 0; i < frames; i++) {
                check(av_frame_make_writable(f), "av_frame_make_writable");
                paint(f, i);
                f.pts(i);
                boolean key = keys.contains(i);
                f.pict_type(key ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
                f.flags(key ? f.flags() | AV_FRAME_FLAG_KEY : f.flags() & ~AV_FRAME_FLAG_KEY);
                check(avcodec_send_frame(c, f), "avcodec_send_frame");
                drain(c, pkt, out);
            }
            check(avcodec_send_frame(c, (AVFrame) null), "flush");
            drain(c, pkt, out);
            return out;
        } finally {
            av_packet_free(pkt);
            av_frame_free(f);
            avcodec_free_context(c);
        }
    }

    private static void paint(AVFrame f, int n) {
        for (int plane = 0; plane < 3; plane++) {
            int w = plane == 0 ? W : W / 2;
            int h = plane == 0 ? H : H / 2;
            int s = plane == 0 ? 1 : 2;
            byte[] row = new byte[w];
            BytePointer data = f.data(plane);
            for (int r = 0; r < h; r++) {
                int y = r * s;
                for (int x = 0; x < w; x++) {
                    int xs = x * s;
                    int v = plane == 0 ? 126 : 128;
                    if (plane == 0 && y >= BLOCK_Y0 && y < BLOCK_Y0 + BLOCK && xs >= BLOCK_X0 && xs < BLOCK_X0 + BITS * BLOCK) {
                        int b = (xs - BLOCK_X0) / BLOCK;
                        v = ((n >> b) & 1) != 0 ? 235 : 16;
                    } else if (plane == 0 && y >= 20 && y < 60) { // a moving stripe: every frame has motion
                        v = ((xs + 6 * n) / 20) % 2 == 0 ? 60 : 200;
                    }
                    row[x] = (byte) v;
                }
                data.position((long) r * f.linesize(plane)).put(row, 0, w);
            }
        }
    }

    private static void drain(AVCodecContext c, AVPacket pkt, List<Packet> out) {
        while (true) {
            int ret = avcodec_receive_packet(c, pkt);
            if (ret == AVERROR_EOF || ret == -11) {
                return;
            }
            check(ret, "avcodec_receive_packet");
            byte[] data = new byte[pkt.size()];
            pkt.data().get(data);
            out.add(new Packet(data, (pkt.flags() & AV_PKT_FLAG_KEY) != 0, pkt.pts()));
            av_packet_unref(pkt);
        }
    }

    private static void check(int ret, String what) {
        if (ret < 0) {
            throw new IllegalStateException(what + " failed: " + ret);
        }
    }
}
