package io.framewire.plugin.ffmpeg;

import static io.framewire.plugin.ffmpeg.Av.check;
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
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_is_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.swscale.SWS_POINT;
import static org.bytedeco.ffmpeg.global.swscale.sws_alloc_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_init_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import io.framewire.api.Codec;
import io.framewire.api.Defaults;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One FFmpeg encoding session: BGRA host frames in, Annex B (H.264/H.265) or AV1 OBU access units out.
 *
 * <p><b>Colour.</b> libswscale converts BGRA (taken as full-range sRGB) to I420 with the BT.601
 * matrix into limited ("MPEG", 16..235) range; the stream is tagged to match: matrix, primaries and
 * transfer SMPTE 170M (BT.601), range MPEG. Chroma is subsampled by {@code SWS_FAST_BILINEAR}
 * (default) or {@code SWS_POINT}.
 *
 * <p><b>Threads.</b> Two pre-allocated I420 pictures: {@link #submit} converts into the back one
 * and swaps under a small lock; {@link #encode} takes a reference (av_frame_ref) to the front one
 * under the same lock and encodes it outside the lock. If {@code submit} comes round to a back
 * picture that the encoder still references (encode slower than submit), it gives that slot fresh
 * buffers instead of writing into memory being encoded. {@code close} waits for both.
 *
 * <p><b>Low latency.</b> No B-frames, no lookahead, one packet out per frame in (libx264 with
 * sliced threads), infinite GOP: key frames only at start, after a reopen (fps change; bitrate
 * change for x265/SVT-AV1) or when the caller passes {@code keyframe=true} to {@link #encode} (the
 * runtime's one keyframe path); every key frame is an IDR with its parameter sets in-band (no
 * global header).
 * Rate control is CBR-like: bitrate = maxrate, VBV buffer of one frame.
 */
public final class FfmpegEncoder implements Encoder {
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegEncoder.class);
    private static final int RING = 64;

    private final CodecSpec spec;
    private final EncoderSettings settings;
    private final String who;
    private final int width;
    private final int height;
    private int fps;                  // applied (encode thread); targetFps is what was asked for
    private volatile int targetFps;

    private final ReentrantLock submitLock = new ReentrantLock();
    private final ReentrantLock encodeLock = new ReentrantLock();
    private final Object swapLock = new Object();

    // native state; all freed in close()
    private AVCodecContext ctx;
    private AVPacket packet;
    private final AVFrame[] pictures = new AVFrame[2];
    private AVFrame sending;
    private SwsContext sws;
    private SwsContext swsNv12;
    private AVFrame source;           // describes the caller's BGRA pixels for sws_scale_frame       // NV12 (GPU-converted, BT.601 limited) -> I420: a plane reshuffle, made on first use
    private PointerPointer<BytePointer> srcData;
    private IntPointer srcStride;
    private BytePointer staging;      // for heap (non-direct) source buffers
    private ByteBuffer stagingView;

    // picture slots: guarded by swapLock (back is written only by the submit thread)
    private int front = -1;
    private int back = 0;

    // encode thread state
    private long nextPts;
    private final long[] ringFrameNumber = new long[RING];
    private final long[] ringPtsMicros = new long[RING];
    private int appliedKbps;
    private volatile int targetKbps;
    private volatile boolean closed;

    FfmpegEncoder(CodecSpec spec, EncoderSettings settings, ServerConfig config) throws FfmpegException {
        this.spec = spec;
        this.settings = settings;
        this.who = spec.encoderName();
        this.width = config.width();
        this.height = config.height();
        this.fps = config.fps();
        this.targetFps = fps;
        this.targetKbps = config.bitrateKbps();
        boolean ok = false;
        try {
            openCodec(targetKbps);
            packet = alloc(av_packet_alloc(), "av_packet_alloc");
            sending = alloc(av_frame_alloc(), "av_frame_alloc");
            for (int i = 0; i < 2; i++) {
                pictures[i] = alloc(av_frame_alloc(), "av_frame_alloc");
                allocPicture(pictures[i]);
            }
            // Sliced threads: sws_scale_frame() converts 1080p BGRA->I420 in 2.5 ms with 2 threads vs
            // 4.1 ms with one (measured here); the legacy sws_scale() does not use them.
            sws = sws_alloc_context();
            if (sws == null) {
                throw new FfmpegException(who + ": sws_alloc_context failed", 0);
            }
            sws.src_w(width).src_h(height).src_format(AV_PIX_FMT_BGRA).dst_w(width).dst_h(height)
                    .dst_format(AV_PIX_FMT_YUV420P).flags(settings.swsFlags()).threads(Math.max(1, settings.threads()));
            check(sws_init_context(sws, null, null), who, "sws_init_context(BGRA->YUV420P " + width + "x" + height + ")");
            // BGRA is full-range RGB; I420 out is BT.601, limited range (explicit, not left to defaults)
            IntPointer bt601 = sws_getCoefficients(SWS_CS_ITU601);
            check(sws_setColorspaceDetails(sws, bt601, 1, bt601, 0, 0, 1 << 16, 1 << 16), who, "sws_setColorspaceDetails");
            srcData = new PointerPointer<>(4);
            srcStride = new IntPointer(4);
            source = alloc(av_frame_alloc(), "av_frame_alloc");
            source.width(width).height(height).format(AV_PIX_FMT_BGRA).color_range(AVCOL_RANGE_JPEG)
                    .colorspace(AVCOL_SPC_SMPTE170M);
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    private <T extends org.bytedeco.javacpp.Pointer> T alloc(T p, String call) throws FfmpegException {
        if (p == null || p.isNull()) {
            throw new FfmpegException(who + ": " + call + " returned null (out of memory)", 0);
        }
        return p;
    }

    private void allocPicture(AVFrame pic) throws FfmpegException {
        pic.format(AV_PIX_FMT_YUV420P).width(width).height(height);
        pic.color_range(AVCOL_RANGE_MPEG).colorspace(AVCOL_SPC_SMPTE170M)
                .color_primaries(AVCOL_PRI_SMPTE170M).color_trc(AVCOL_TRC_SMPTE170M);
        check(av_frame_get_buffer(pic, 0), who, "av_frame_get_buffer");
    }

    /** Opens (or reopens) the codec context at {@code kbps}. Called from the constructor and the encode thread. */
    private void openCodec(int kbps) throws FfmpegException {
        AVCodec codec = avcodec_find_encoder_by_name(who);
        if (codec == null) {
            throw new FfmpegException(who + ": encoder not in this FFmpeg build", 0);
        }
        AVCodecContext c = alloc(avcodec_alloc_context3(codec), "avcodec_alloc_context3");
        try {
            configure(c, kbps);
            check(avcodec_open2(c, codec, (AVDictionary) null), who, "avcodec_open2");
        } catch (FfmpegException | RuntimeException e) {
            avcodec_free_context(c);
            throw e;
        }
        if (ctx != null) {
            flushAndFree(ctx);
        }
        ctx = c;
        appliedKbps = kbps;
    }

    private void configure(AVCodecContext c, int kbps) throws FfmpegException {
        c.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P);
        c.time_base(av_make_q(1, fps)).framerate(av_make_q(fps, 1));
        c.color_range(AVCOL_RANGE_MPEG).colorspace(AVCOL_SPC_SMPTE170M)
                .color_primaries(AVCOL_PRI_SMPTE170M).color_trc(AVCOL_TRC_SMPTE170M);
        c.max_b_frames(0);
        applyRate(c, kbps);
        Map<String, String> opts = new LinkedHashMap<>();
        if (settings.preset() != null) {
            opts.put("preset", settings.preset());
        }
        if (settings.tune() != null) {
            opts.put("tune", settings.tune());
        }
        if (settings.profile() != null) {
            opts.put("profile", settings.profile());
        }
        int threads = settings.threads();
        switch (spec) {
            case LIBX264 -> {
                // sliced threads: no frame delay (FFmpeg maps thread_type FRAME|SLICE to frame threads)
                c.thread_count(threads).thread_type(Av.FF_THREAD_SLICE);
                opts.put("forced-idr", "1");
                // infinite GOP, no scene-cut I frames, SPS/PPS before every IDR (open-gop=0 for x265 below:
                // otherwise its forced key frames are CRA, not IDR)
                opts.put("x264-params", "keyint=infinite:scenecut=0:repeat-headers=1");
            }
            case LIBX265 -> {
                opts.put("forced-idr", "1");
                opts.put("x265-params", "keyint=-1:open-gop=0:scenecut=0:repeat-headers=1:bframes=0:rc-lookahead=0"
                        + ":frame-threads=1:log-level=error" + (threads > 0 ? ":pools=" + threads : ""));
            }
            case LIBSVTAV1 -> {
                // pred-struct=1: low delay (no hidden/reordered frames); keyint=-1: one key frame, then on request
                opts.put("svtav1-params", "pred-struct=1:keyint=-1:scd=0" + (threads > 0 ? ":lp=" + threads : ""));
            }
            default -> { // NVENC
                c.gop_size(Integer.MAX_VALUE);
                opts.put("zerolatency", "1");
                opts.put("delay", "0");
                opts.put("forced-idr", "1");
                opts.put("rc", "cbr");
            }
        }
        opts.putAll(settings.options());
        for (Map.Entry<String, String> e : opts.entrySet()) {
            check(av_opt_set(c.priv_data(), e.getKey(), e.getValue(), 0), who,
                    "av_opt_set(" + e.getKey() + "=" + e.getValue() + ")");
        }
    }

    private void applyRate(AVCodecContext c, int kbps) {
        long bps = kbps * 1000L;
        c.bit_rate(bps).rc_max_rate(bps);
        c.rc_buffer_size((int) Math.max(1, bps / fps)); // VBV of one frame: low latency, no bursts
    }

    /**
     * Ends the stream (send NULL, drain to EOF, output discarded) so encoders with their own threads
     * (SVT-AV1 wants an EOS before deinit) shut down cleanly, then frees the context. Never throws.
     */
    private void flushAndFree(AVCodecContext c) {
        if (packet != null) {
            int ret = avcodec_send_frame(c, (AVFrame) null);
            for (int n = 0; ret >= 0 && n < 1000; n++) {
                ret = avcodec_receive_packet(c, packet);
                av_packet_unref(packet);
            }
            if (ret < 0 && ret != AVERROR_EOF) {
                LOG.debug("{}: flush at close: {}", who, Av.describe(ret));
            }
        }
        avcodec_free_context(c);
    }

    @Override
    public Codec codec() {
        return spec.codec();
    }

    /** @return the FFmpeg encoder name */
    public String encoderName() {
        return who;
    }

    @Override
    public void submit(VideoFrame frame) throws Exception {
        if (frame == null) {
            throw new InvalidFrameException("frame", null, "must not be null");
        }
        if (frame.kind() != VideoFrame.Kind.HOST_BGRA && frame.kind() != VideoFrame.Kind.HOST_NV12) {
            throw new InvalidFrameException("kind", frame.kind(), "the " + who
                    + " encoder takes HOST_BGRA or HOST_NV12 frames only (host memory; device frames go through an importer)");
        }
        if (frame.width() != width) {
            throw new InvalidFrameException("width", frame.width(), "must equal the encoder's width " + width);
        }
        if (frame.height() != height) {
            throw new InvalidFrameException("height", frame.height(), "must equal the encoder's height " + height);
        }
        submitLock.lock();
        try {
            ensureOpen();
            AVFrame pic = pictures[back];
            if (av_frame_is_writable(pic) == 0) {
                // the encoder still holds this picture (it was front until the last swap): new buffers
                av_frame_unref(pic);
                allocPicture(pic);
            }
            if (frame.kind() == VideoFrame.Kind.HOST_NV12) {
                convertNv12(frame, pic);
                swap();
                return;
            }
            ByteBuffer src = frame.hostBuffer();
            int pitch = frame.pitchBytes();
            int bytes = pitch * (height - 1) + width * 4;
            BytePointer pixels;
            if (src.isDirect()) {
                pixels = new BytePointer(src.slice()); // zero copy: points at src.position()
            } else {
                if (staging == null) {
                    staging = new BytePointer((long) pitch * height);
                    stagingView = staging.asBuffer();
                }
                if (staging.capacity() < bytes) {
                    staging.close();
                    staging = new BytePointer((long) bytes);
                    stagingView = staging.asBuffer();
                }
                stagingView.clear();
                ByteBuffer s = src.duplicate();
                s.limit(s.position() + bytes);
                stagingView.put(s);
                pixels = staging;
            }
            source.data(0, pixels).linesize(0, pitch); // a view of the caller's pixels: no copy
            try {
                check(sws_scale_frame(sws, pic, source), who, "sws_scale_frame");
            } finally {
                source.data(0, null);
            }
            swap();
        } finally {
            submitLock.unlock();
        }
    }

    private void swap() {
        synchronized (swapLock) {
            front = back;
            back = 1 - back;
        }
    }

    /** NV12 (already BT.601 limited range, e.g. from the GPU) into the I420 picture: no colour maths. */
    private void convertNv12(VideoFrame frame, AVFrame pic) throws FfmpegException {
        if (!frame.hostBuffer().isDirect() || !frame.chromaBuffer().isDirect()) {
            throw new InvalidFrameException("hostBuffer", "heap", "NV12 planes must be direct (native) buffers");
        }
        if (swsNv12 == null) {
            swsNv12 = sws_getContext(width, height, AV_PIX_FMT_NV12, width, height, AV_PIX_FMT_YUV420P,
                    SWS_POINT, null, null, (DoublePointer) null);
            if (swsNv12 == null) {
                throw new FfmpegException(who + ": sws_getContext(NV12->YUV420P " + width + "x" + height + ") failed", 0);
            }
        }
        BytePointer luma = new BytePointer(frame.hostBuffer().slice());
        BytePointer chroma = new BytePointer(frame.chromaBuffer().slice());
        try {
            srcData.put(0, luma);
            srcData.put(1, chroma);
            srcStride.put(0, frame.pitchBytes());
            srcStride.put(1, frame.pitchBytes());
            int rows = sws_scale(swsNv12, srcData, srcStride, 0, height, pic.data(), pic.linesize());
            check(rows, who, "sws_scale(NV12)");
        } finally {
            srcData.put(0, (BytePointer) null);
            srcData.put(1, (BytePointer) null);
            luma.close();
            chroma.close();
        }
    }

    @Override
    public void setFps(int newFps) {
        if (newFps < Defaults.MIN_FPS || newFps > Defaults.MAX_FPS) {
            throw new IllegalArgumentException("fps=" + newFps + ": must be in " + Defaults.MIN_FPS + ".." + Defaults.MAX_FPS);
        }
        targetFps = newFps;
    }

    @Override
    public java.util.Set<VideoFrame.Kind> acceptedKinds() {
        return java.util.Set.of(VideoFrame.Kind.HOST_BGRA, VideoFrame.Kind.HOST_NV12);
    }

    @Override
    public EncodedFrame encode(long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) throws Exception {
        encodeLock.lock();
        try {
            ensureOpen();
            boolean forceKey = false;
            if (targetFps != fps) {
                fps = targetFps; // time base and VBV follow the frame rate: a new encoder, starting with an IDR
                // at the bitrate wanted now: the frame rate drops when the network's rate does, and an
                // IDR sized for the old rate would overflow the path that just shrank
                openCodec(targetKbps);
                forceKey = true;
                LOG.debug("{}: reopened for {} fps", who, fps);
            }
            int kbps = targetKbps;
            if (kbps != appliedKbps) {
                if (spec.liveBitrate()) {
                    // libx264/NVENC reconfigure the running encoder before the next frame. FFmpeg applies the
                    // VBV (maxrate) before the bitrate; when lowering, maxrate would briefly be below the old
                    // bitrate (x264 warns "assuming CBR"), so lower the bitrate one frame ahead of the VBV.
                    if (kbps < appliedKbps && ctx.bit_rate() != kbps * 1000L) {
                        ctx.bit_rate(kbps * 1000L);
                    } else {
                        applyRate(ctx, kbps);
                        appliedKbps = kbps;
                    }
                } else {
                    openCodec(kbps); // x265/SVT-AV1: a new encoder; its first frame is an IDR
                    forceKey = true;
                    LOG.debug("{}: reopened for {} kbit/s", who, kbps);
                }
            }
            synchronized (swapLock) {
                if (front < 0) {
                    return null; // nothing submitted yet
                }
                check(av_frame_ref(sending, pictures[front]), who, "av_frame_ref");
            }
            boolean key = keyframe || forceKey; // keyframe: the caller's (runtime's) one keyframe request path
            long pts = nextPts++;
            int slot = (int) (pts % RING);
            ringFrameNumber[slot] = frameNumber;
            ringPtsMicros[slot] = ptsMicros;
            try {
                sending.pts(pts);
                if (key) {
                    sending.pict_type(AV_PICTURE_TYPE_I).flags(sending.flags() | Av.AV_FRAME_FLAG_KEY);
                } else {
                    sending.pict_type(AV_PICTURE_TYPE_NONE).flags(sending.flags() & ~Av.AV_FRAME_FLAG_KEY);
                }
                int ret = avcodec_send_frame(ctx, sending);
                if (ret == Av.AVERROR_EAGAIN) {
                    // output is waiting: drain it, then the frame is accepted
                    byte[] pending = drain();
                    ret = avcodec_send_frame(ctx, sending);
                    check(ret, who, "avcodec_send_frame");
                    return packetOut(pending, repeat);
                }
                check(ret, who, "avcodec_send_frame");
            } finally {
                av_frame_unref(sending);
            }
            return packetOut(drain(), repeat);
        } finally {
            encodeLock.unlock();
        }
    }

    private boolean lastKey;
    private long lastPacketPts;

    /** @return the bytes of all packets ready now (null when none); sets lastKey / lastPacketPts */
    private byte[] drain() throws FfmpegException {
        ByteArrayOutputStream out = null;
        byte[] single = null;
        boolean key = false;
        long firstPts = Long.MIN_VALUE;
        while (true) {
            int ret = avcodec_receive_packet(ctx, packet);
            if (ret == Av.AVERROR_EAGAIN || ret == AVERROR_EOF) {
                break;
            }
            check(ret, who, "avcodec_receive_packet");
            try {
                int size = packet.size();
                byte[] bytes = new byte[size];
                packet.data().get(bytes, 0, size);
                key |= (packet.flags() & AV_PKT_FLAG_KEY) != 0;
                if (firstPts == Long.MIN_VALUE) {
                    firstPts = packet.pts();
                }
                if (single == null && out == null) {
                    single = bytes;
                } else {
                    if (out == null) {
                        out = new ByteArrayOutputStream();
                        out.writeBytes(single);
                    }
                    out.writeBytes(bytes);
                }
            } finally {
                av_packet_unref(packet);
            }
        }
        lastKey = key;
        lastPacketPts = firstPts;
        return out != null ? out.toByteArray() : single;
    }

    private EncodedFrame packetOut(byte[] bytes, boolean repeat) {
        if (bytes == null) {
            return null;
        }
        long fn = lastPacketPts;
        long micros = 0;
        if (lastPacketPts >= 0 && lastPacketPts < nextPts && nextPts - lastPacketPts <= RING) {
            int slot = (int) (lastPacketPts % RING);
            fn = ringFrameNumber[slot];
            micros = ringPtsMicros[slot];
        }
        return new EncodedFrame(spec.codec(), ByteBuffer.wrap(bytes).asReadOnlyBuffer(), fn, micros, lastKey, repeat);
    }

    /**
     * Takes effect at the next {@link #encode}: libx264 and NVENC reconfigure the running encoder
     * (FFmpeg compares bit_rate / rc_max_rate / rc_buffer_size before each frame and calls
     * x264_encoder_reconfig); libx265 and libsvtav1 have no such path in FFmpeg, so they are reopened
     * and the next frame is a key frame.
     */
    @Override
    public void setBitrateKbps(int kbps) {
        if (kbps < Defaults.MIN_BITRATE_KBPS || kbps > Defaults.MAX_BITRATE_KBPS) {
            throw new IllegalArgumentException("bitrateKbps=" + kbps + ": must be in " + Defaults.MIN_BITRATE_KBPS
                    + ".." + Defaults.MAX_BITRATE_KBPS);
        }
        targetKbps = kbps;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(who + " encoder is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        submitLock.lock();
        try {
            encodeLock.lock();
            try {
                if (ctx != null) {
                    flushAndFree(ctx);
                    ctx = null;
                }
                if (packet != null) {
                    av_packet_free(packet);
                    packet = null;
                }
                if (sending != null) {
                    av_frame_free(sending);
                    sending = null;
                }
                for (int i = 0; i < pictures.length; i++) {
                    if (pictures[i] != null) {
                        av_frame_free(pictures[i]);
                        pictures[i] = null;
                    }
                }
                if (sws != null) {
                    sws_freeContext(sws);
                    sws = null;
                }
                if (swsNv12 != null) {
                    sws_freeContext(swsNv12);
                    swsNv12 = null;
                }
                if (source != null) {
                    av_frame_free(source);
                    source = null;
                }
                if (srcData != null) {
                    srcData.close();
                    srcData = null;
                }
                if (srcStride != null) {
                    srcStride.close();
                    srcStride = null;
                }
                if (staging != null) {
                    staging.close();
                    staging = null;
                    stagingView = null;
                }
            } finally {
                encodeLock.unlock();
            }
        } finally {
            submitLock.unlock();
        }
    }
}
