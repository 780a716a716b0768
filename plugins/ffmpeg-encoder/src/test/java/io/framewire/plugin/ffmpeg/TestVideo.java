package io.framewire.plugin.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import io.framewire.api.VideoFrame;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Synthetic BGRA pictures with known colours, an Annex B parser and an FFmpeg decoder for the tests. */
final class TestVideo {
    /** Colours (R, G, B) of the four lower regions. */
    static final int[][] COLOURS = {{200, 30, 30}, {30, 200, 30}, {30, 30, 200}, {235, 235, 235}};

    private TestVideo() {
    }

    /** BT.601 limited-range luma of an sRGB colour. */
    static double expectedLuma(int r, int g, int b) {
        return 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255.0;
    }

    /** The grey level that marks picture {@code index} (0..29) in its top band. */
    static int markGrey(int index) {
        return 16 + index * 7;
    }

    /**
     * A picture: the top third is a flat grey band whose level codes {@code index}; the rest is four
     * vertical colour stripes ({@link #COLOURS}).
     */
    static VideoFrame picture(int width, int height, int index, boolean direct, int pitchPad) {
        int pitch = width * 4 + pitchPad;
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(pitch * height) : ByteBuffer.allocate(pitch * height);
        int grey = markGrey(index);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r, g, b;
                if (y < height / 3) {
                    r = g = b = grey;
                } else {
                    int[] c = COLOURS[Math.min(3, x * 4 / width)];
                    r = c[0];
                    g = c[1];
                    b = c[2];
                }
                int o = y * pitch + x * 4;
                buf.put(o, (byte) b).put(o + 1, (byte) g).put(o + 2, (byte) r).put(o + 3, (byte) 255);
            }
        }
        return VideoFrame.hostBuffer(buf, width, height, pitch);
    }

    /** Sample points: [0] = centre of the grey band, [1..4] = centres of the colour stripes. */
    static int[][] samplePoints(int width, int height) {
        int[][] p = new int[5][];
        p[0] = new int[]{width / 2, height / 6};
        for (int i = 0; i < 4; i++) {
            p[1 + i] = new int[]{width * (2 * i + 1) / 8, height * 2 / 3};
        }
        return p;
    }

    /** @return the NAL unit types of an Annex B access unit, in order (H.264: 5 bits; H.265 with hevc=true: 6 bits) */
    static List<Integer> nalTypes(ByteBuffer data, boolean hevc) {
        byte[] b = new byte[data.remaining()];
        data.duplicate().get(b);
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                int h = b[i + 3] & 0xff;
                types.add(hevc ? (h >> 1) & 0x3f : h & 0x1f);
                i += 3;
            }
        }
        return types;
    }

    /** A decoded picture: its size and the (averaged 3x3) luma at the sample points. */
    record Decoded(int width, int height, double[] luma) {
    }

    /** Decodes all access units (then flushes) with FFmpeg; fails on any decoder error. */
    static List<Decoded> decode(int codecId, String[] preferredNames, List<ByteBuffer> units, int[][] points) throws Exception {
        AVCodec codec = null;
        for (String n : preferredNames) {
            codec = avcodec_find_decoder_by_name(n);
            if (codec != null) {
                break;
            }
        }
        if (codec == null) {
            codec = avcodec_find_decoder(codecId);
        }
        if (codec == null) {
            throw new AssertionError("no decoder for codec id " + codecId);
        }
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        List<Decoded> out = new ArrayList<>();
        try {
            ctx.thread_count(1);
            Av.check(avcodec_open2(ctx, codec, (AVDictionary) null), codec.name().getString(), "avcodec_open2");
            for (ByteBuffer unit : units) {
                byte[] bytes = new byte[unit.remaining()];
                unit.duplicate().get(bytes);
                BytePointer data = new BytePointer(bytes);
                pkt.data(data).size(bytes.length);
                Av.check(avcodec_send_packet(ctx, pkt), "decoder", "avcodec_send_packet");
                pkt.data(null).size(0);
                data.close();
                receive(ctx, frame, points, out);
            }
            Av.check(avcodec_send_packet(ctx, null), "decoder", "avcodec_send_packet(flush)");
            receive(ctx, frame, points, out);
        } finally {
            av_frame_free(frame);
            av_packet_free(pkt);
            avcodec_free_context(ctx);
        }
        return out;
    }

    private static void receive(AVCodecContext ctx, AVFrame frame, int[][] points, List<Decoded> out) throws Exception {
        while (true) {
            int ret = avcodec_receive_frame(ctx, frame);
            if (ret == Av.AVERROR_EAGAIN || ret == AVERROR_EOF) {
                return;
            }
            Av.check(ret, "decoder", "avcodec_receive_frame");
            int w = frame.width();
            int h = frame.height();
            int stride = frame.linesize(0);
            BytePointer y = frame.data(0);
            double[] luma = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                int sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        sum += y.get((long) (points[i][1] + dy) * stride + points[i][0] + dx) & 0xff;
                    }
                }
                luma[i] = sum / 9.0;
            }
            out.add(new Decoded(w, h, luma));
            av_frame_unref(frame);
        }
    }
}
