package io.framewire.testing.receiver;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV444P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.framewire.api.Codec;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.ArrayList;
import java.util.List;

/** An FFmpeg software decoder for one codec: access units in, {@link DecodedFrame}s out. Not thread-safe. */
public final class FfmpegDecoder implements AutoCloseable {
    private static final int EAGAIN = -11;

    private final AVCodecContext context;
    private final AVPacket packet;
    private final AVFrame frame;
    private final String name;
    private SwsContext sws;

    /** @param codec H264 (h264), H265 (hevc) or AV1 (libdav1d, else libaom-av1, else av1) */
    public FfmpegDecoder(Codec codec) {
        String[] names = switch (codec) {
            case H264 -> new String[] {"h264"};
            case H265 -> new String[] {"hevc"};
            case AV1 -> new String[] {"libdav1d", "libaom-av1", "av1"};
            default -> throw new IllegalArgumentException("no decoder for " + codec);
        };
        AVCodec found = null;
        String foundName = null;
        for (String n : names) {
            found = avcodec_find_decoder_by_name(n);
            if (found != null) {
                foundName = n;
                break;
            }
        }
        if (found == null) {
            throw new IllegalStateException("FFmpeg has none of the decoders " + String.join(", ", names));
        }
        name = foundName;
        context = avcodec_alloc_context3(found);
        context.thread_count(1);
        check(avcodec_open2(context, found, (AVDictionary) null), "avcodec_open2");
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    /** @return the FFmpeg decoder's name */
    public String name() {
        return name;
    }

    /**
     * @param accessUnit   one access unit (Annex B) or temporal unit (low-overhead OBUs)
     * @param rtpTimestamp carried into the frames it yields
     * @return the pictures the decoder returned (low delay: usually one)
     * @throws IllegalStateException when the decoder rejects the data
     */
    public List<DecodedFrame> decode(byte[] accessUnit, long rtpTimestamp) {
        List<DecodedFrame> out = new ArrayList<>();
        try (BytePointer data = new BytePointer(accessUnit)) {
            packet.data(data).size(accessUnit.length);
            packet.pts(rtpTimestamp);
            int ret = avcodec_send_packet(context, packet);
            packet.data(null).size(0);
            check(ret, "avcodec_send_packet");
        }
        while (true) {
            int ret = avcodec_receive_frame(context, frame);
            if (ret == EAGAIN || ret == AVERROR_EOF) {
                return out;
            }
            check(ret, "avcodec_receive_frame");
            try {
                out.add(convert(frame));
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    private DecodedFrame convert(AVFrame f) {
        int w = f.width();
        int h = f.height();
        int format = f.format();
        byte[] bgra = new byte[w * h * 4];
        sws = sws_getCachedContext(sws, w, h, format, w, h, AV_PIX_FMT_BGRA, SWS_BILINEAR, null, null,
                (DoublePointer) null);
        if (sws == null) {
            throw new IllegalStateException("swscale cannot convert " + av_get_pix_fmt_name(format).getString());
        }
        try (BytePointer dst = new BytePointer((long) bgra.length);
             PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
             IntPointer dstStride = new IntPointer(4)) {
            dstData.put(0, dst);
            dstStride.put(0, w * 4);
            sws_scale(sws, f.data(), f.linesize(), 0, h, dstData, dstStride);
            dst.get(bgra);
        }
        byte[] luma = null;
        if (format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P || format == AV_PIX_FMT_NV12
                || format == AV_PIX_FMT_YUV444P) {
            luma = new byte[w * h];
            BytePointer y = f.data(0);
            int stride = f.linesize(0);
            for (int row = 0; row < h; row++) {
                y.position((long) row * stride).get(luma, row * w, w);
            }
            y.position(0);
        }
        return new DecodedFrame(w, h, bgra, luma, av_get_pix_fmt_name(format).getString(), f.pts());
    }

    private void check(int ret, String what) {
        if (ret < 0) {
            byte[] buf = new byte[256];
            av_strerror(ret, buf, buf.length);
            String msg = new String(buf).trim().replace("\0", "");
            throw new IllegalStateException(what + " (" + name + "): " + ret + " " + msg);
        }
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        av_frame_free(frame);
        av_packet_free(packet);
        avcodec_free_context(context);
    }
}
