package io.framewire.plugin.bitstream;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Real encoders (libavcodec through the JavaCPP presets) making the bitstreams the tests parse:
 * a moving luma gradient, YUV 4:2:0, encoded into packets (one access unit / temporal unit each)
 * with the encoder's own key flag as the independent answer.
 */
public final class TestEncoder {
    /** {@code AV_FRAME_FLAG_KEY} (a macro in frame.h, not mapped by the presets). */
    private static final int AV_FRAME_FLAG_KEY = 1 << 1;

    /** One encoded packet: its bytes, the encoder's key flag and its presentation timestamp. */
    public record Packet(byte[] data, boolean key, long pts) {
        ByteBuffer buffer() {
            return ByteBuffer.wrap(data);
        }
    }

    /** An encoder configuration. */
    record Config(String encoder, int maxBFrames, Map<String, String> options) {
    }

    static {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    private TestEncoder() {
    }

    /** The ffmpeg-encoder plugin's libx264 low-latency defaults: ultrafast, zerolatency, baseline, no B-frames. */
    static Config x264Baseline() {
        return new Config("libx264", 0, opts("preset", "ultrafast", "tune", "zerolatency", "profile", "baseline",
                "forced-idr", "1", "x264-params", "keyint=infinite:scenecut=0:repeat-headers=1"));
    }

    /** libx264 High profile with {@code bf} forced B-frames (b-adapt off), so frames are reordered. */
    static Config x264High(int bf) {
        return new Config("libx264", bf, opts("preset", "veryfast", "profile", "high", "forced-idr", "1",
                "x264-params", "keyint=infinite:scenecut=0:repeat-headers=1:b-adapt=0:rc-lookahead=4"));
    }

    /** libx265 like the plugin (ultrafast, zerolatency, IDR on request), with {@code bf} B-frames. */
    static Config x265(int bf) {
        String tune = bf == 0 ? "zerolatency" : "fastdecode";
        return new Config("libx265", bf, opts("preset", "ultrafast", "tune", tune, "forced-idr", "1", "x265-params",
                "keyint=-1:open-gop=0:scenecut=0:repeat-headers=1:bframes=" + bf + ":b-adapt=0:rc-lookahead="
                        + (bf == 0 ? 0 : 4) + ":frame-threads=1:log-level=error:pools=1"));
    }

    /** libsvtav1 like the plugin: low-delay prediction structure, key frames on request. */
    static Config svtav1() {
        return new Config("libsvtav1", 0, opts("preset", "10", "svtav1-params", "pred-struct=1:keyint=-1:scd=0:lp=1"));
    }

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * Encodes {@code frames} pictures of {@code width}x{@code height}; frames whose index is in
     * {@code forceKey} (and frame 0, by the encoder's choice) are sent as forced key frames.
     *
     * @return the packets in decoding order, drained to the end of the stream
     */
    static List<Packet> encode(Config cfg, int width, int height, int frames, Set<Integer> forceKey) {
        return encode(cfg, width, height, frames, forceKey, false);
    }

    /** The colours of {@link #encode(Config, int, int, int, Set, boolean)}'s quadrants, R, G, B: TL, TR, BL, BR. */
    static final int[][] QUADRANT_RGB = {{0xEB, 0x10, 0x10}, {0x10, 0xEB, 0x10}, {0x10, 0x10, 0xEB}, {0xEB, 0xEB, 0xEB}};
    /** The same colours as BT.601 limited-range Y, U, V. */
    private static final int[][] QUADRANT_YUV = {{81, 90, 240}, {145, 54, 34}, {41, 240, 110}, {235, 128, 128}};

    /**
     * @param quadrants false: a moving grey pattern; true: four coloured quadrants ({@link #QUADRANT_RGB})
     *                  with a dark bar moving across the middle row, so every frame differs a little
     */
    static List<Packet> encode(Config cfg, int width, int height, int frames, Set<Integer> forceKey, boolean quadrants) {
        AVCodec codec = avcodec_find_encoder_by_name(cfg.encoder());
        if (codec == null) {
            throw new IllegalStateException(cfg.encoder() + " not in this FFmpeg build");
        }
        AVCodecContext c = avcodec_alloc_context3(codec);
        AVFrame f = av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        List<Packet> out = new ArrayList<>();
        try {
            c.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P);
            c.time_base(av_make_q(1, 30)).framerate(av_make_q(30, 1));
            c.max_b_frames(cfg.maxBFrames()).thread_count(1);
            if (!cfg.encoder().equals("libsvtav1")) { // SVT-AV1 low delay wants CRF (its default) or CBR
                c.bit_rate(800_000);
            }
            for (Map.Entry<String, String> e : cfg.options().entrySet()) {
                check(av_opt_set(c.priv_data(), e.getKey(), e.getValue(), 0), "av_opt_set " + e.getKey());
            }
            check(avcodec_open2(c, codec, (AVDictionary) null), "avcodec_open2 " + cfg.encoder());
            f.format(AV_PIX_FMT_YUV420P).width(width).height(height);
            check(av_frame_get_buffer(f, 0), "av_frame_get_buffer");
            byte[] row = new byte[width];
            byte[] chroma = new byte[width / 2];
            java.util.Arrays.fill(chroma, (byte) 128);
            for (int i = 0; i < frames; i++) {
                check(av_frame_make_writable(f), "av_frame_make_writable");
                int ls = f.linesize(0);
                BytePointer y = f.data(0);
                if (quadrants) {
                    paintQuadrants(f, width, height, i);
                }
                for (int r = 0; r < height && !quadrants; r++) {
                    for (int x = 0; x < width; x++) {
                        row[x] = (byte) ((x + r + 6 * i) * 2 + ((x / 16 + r / 16 + i) % 2) * 40);
                    }
                    y.position((long) r * ls).put(row, 0, width);
                }
                for (int p = 1; p <= 2 && !quadrants; p++) {
                    BytePointer uv = f.data(p);
                    for (int r = 0; r < height / 2; r++) {
                        uv.position((long) r * f.linesize(p)).put(chroma, 0, width / 2);
                    }
                }
                f.pts(i);
                boolean key = forceKey.contains(i);
                f.pict_type(key ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
                f.flags(key ? f.flags() | AV_FRAME_FLAG_KEY : f.flags() & ~AV_FRAME_FLAG_KEY);
                check(avcodec_send_frame(c, f), "avcodec_send_frame");
                drain(c, pkt, out);
            }
            check(avcodec_send_frame(c, (AVFrame) null), "avcodec_send_frame(flush)");
            drain(c, pkt, out);
            return out;
        } finally {
            av_packet_free(pkt);
            av_frame_free(f);
            avcodec_free_context(c);
        }
    }

    private static void paintQuadrants(AVFrame f, int width, int height, int frame) {
        int barX = (frame * 8) % width;
        for (int plane = 0; plane < 3; plane++) {
            int w = plane == 0 ? width : width / 2;
            int h = plane == 0 ? height : height / 2;
            int barY = h / 2;
            int barH = Math.max(2, h / 20);
            byte[] row = new byte[w];
            BytePointer data = f.data(plane);
            for (int r = 0; r < h; r++) {
                for (int x = 0; x < w; x++) {
                    int q = (r < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
                    int xs = plane == 0 ? x : 2 * x;
                    boolean bar = r >= barY - barH && r < barY + barH && xs >= barX && xs < barX + 32;
                    row[x] = (byte) (bar ? (plane == 0 ? 16 : 128) : QUADRANT_YUV[q][plane]);
                }
                data.position((long) r * f.linesize(plane)).put(row, 0, w);
            }
        }
    }

    private static void drain(AVCodecContext c, AVPacket pkt, List<Packet> out) {
        while (true) {
            int ret = avcodec_receive_packet(c, pkt);
            if (ret == AVERROR_EOF || ret == -11 /* EAGAIN */) {
                return;
            }
            check(ret, "avcodec_receive_packet");
            byte[] data = new byte[pkt.size()];
            pkt.data().get(data);
            out.add(new Packet(data, (pkt.flags() & AV_PKT_FLAG_KEY) != 0, pkt.pts()));
            org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(pkt);
        }
    }

    private static void check(int ret, String what) {
        if (ret < 0) {
            throw new IllegalStateException(what + " failed: " + ret);
        }
    }
}
