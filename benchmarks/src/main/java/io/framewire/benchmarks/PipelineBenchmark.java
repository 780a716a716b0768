package io.framewire.benchmarks;

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
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.plugin.ffmpeg.EncoderSettings;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.plugin.webrtc.rtp.H264Packetizer;
import io.framewire.plugin.webrtc.rtp.PacketSink;
import io.framewire.plugin.webrtc.srtp.SrtpContext;
import io.framewire.plugin.webrtc.srtp.SrtpProfile;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-frame cost of the whole host-BGRA send pipeline against bare libx264 at 1080p, side by side in
 * one run (see README.md):
 * <ul>
 *   <li>(a) bare libx264 through FFmpeg (org.bytedeco) on pictures converted to I420 beforehand
 *       (conversion not timed), with the plugin's settings;</li>
 *   <li>(b) the plugin's {@code FfmpegEncoder}: {@code submit} (BGRA to I420, libswscale) +
 *       {@code encode}, then {@code H264Packetizer} + {@code SrtpContext.protectRtp}
 *       (AES_CM_128_HMAC_SHA1_80, fixed test key), as {@code MediaPeer.send} does minus the UDP send;</li>
 *   <li>(c) a yardstick: the {@code ffmpeg} command-line tool on the same raw BGRA frames.</li>
 * </ul>
 * (a) and (b) alternate in rounds, each round with a fresh encoder, so a change of machine load
 * hits both.
 *
 * <pre>
 * java -cp ... io.framewire.benchmarks.PipelineBenchmark [rounds=3] [framesPerRound=120] [distinct=60]
 * </pre>
 */
public final class PipelineBenchmark {
    private static final int W = 1920;
    private static final int H = 1080;
    private static final int FPS = 30;
    private static final int KBPS = 8000;
    private static final int WARMUP = 10;
    /** Fixed test key and salt (16 + 14 bytes): the cost of SRTP does not depend on the key. */
    private static final byte[] KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int framesPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int distinct = args.length > 2 ? Integer.parseInt(args[2]) : 60;

        System.out.printf("PipelineBenchmark: %dx%d host BGRA, %d distinct pictures, %d kbit/s @%d fps, %d CPUs, "
                        + "load average %s, %s %s%n", W, H, distinct, KBPS, FPS, Runtime.getRuntime().availableProcessors(),
                SyntheticFrames.loadAverage(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
        long g0 = System.nanoTime();
        ByteBuffer[] bgra = new ByteBuffer[distinct];
        for (int i = 0; i < distinct; i++) {
            bgra[i] = SyntheticFrames.picture(W, H, i);
        }
        System.out.printf("pre-rendered %d pictures in %.1f s%n", distinct, (System.nanoTime() - g0) / 1e9);

        Libx264EncoderFactory factory = new Libx264EncoderFactory();
        EncoderSettings settings = factory.settings();
        System.out.printf("plugin settings: preset=%s tune=%s profile=%s threads=%d swsFlags=%d options=%s%n",
                settings.preset(), settings.tune(), settings.profile(), settings.threads(), settings.swsFlags(), settings.options());

        AVFrame[] i420 = toI420(bgra, settings.swsFlags());
        ServerConfig config = ServerConfig.builder().width(W).height(H).fps(FPS).bitrateKbps(KBPS).build();

        List<Double> bare = new ArrayList<>();
        List<Double> full = new ArrayList<>();
        List<Double> fullSubmit = new ArrayList<>();
        List<Double> fullEncode = new ArrayList<>();
        List<Double> fullRtp = new ArrayList<>();
        long[] bareBytes = new long[1];
        long[] fullBytes = new long[1];
        long[] packets = new long[1];
        for (int r = 0; r < rounds; r++) {
            double[] a = runBare(i420, settings, framesPerRound, bareBytes);
            double[][] b = runFull(factory, config, bgra, framesPerRound, fullBytes, packets);
            System.out.printf("round %d: (a) bare %s | (b) pipeline %s  (ms/frame)%n", r + 1,
                    SyntheticFrames.meanP50P95(a), SyntheticFrames.meanP50P95(b[0]));
            add(bare, a);
            add(full, b[0]);
            add(fullSubmit, b[1]);
            add(fullEncode, b[2]);
            add(fullRtp, b[3]);
        }
        for (AVFrame f : i420) {
            av_frame_free(f);
        }
        int n = bare.size();
        double[] aMs = unbox(bare);
        double[] bMs = unbox(full);
        System.out.println();
        System.out.printf("Results, %d rounds x %d frames each (after %d warm-up frames per round), ms per frame:%n",
                rounds, framesPerRound, WARMUP);
        System.out.printf("(a) bare libx264, pre-converted I420   : %s  (%.1f KiB/frame)%n",
                SyntheticFrames.meanP50P95(aMs), bareBytes[0] / 1024.0 / n);
        System.out.printf("(b) full host-BGRA pipeline            : %s  (%.1f KiB/frame, %.1f RTP packets/frame)%n",
                SyntheticFrames.meanP50P95(bMs), fullBytes[0] / 1024.0 / n, (double) packets[0] / n);
        System.out.printf("      submit (BGRA->I420, libswscale)  : %s%n", SyntheticFrames.meanP50P95(unbox(fullSubmit)));
        System.out.printf("      encode (libx264 + copy out)      : %s%n", SyntheticFrames.meanP50P95(unbox(fullEncode)));
        System.out.printf("      H264Packetizer + SRTP protect    : %s%n", SyntheticFrames.meanP50P95(unbox(fullRtp)));
        double ratioMean = SyntheticFrames.mean(bMs) / SyntheticFrames.mean(aMs);
        double ratioP50 = SyntheticFrames.percentile(SyntheticFrames.sorted(bMs), 50)
                / SyntheticFrames.percentile(SyntheticFrames.sorted(aMs), 50);
        System.out.printf("ratio (b)/(a): %.3f (means), %.3f (p50s)%n", ratioMean, ratioP50);
        System.out.printf("goal: pipeline <= 1.15x bare libx264 -> %s (%.2fx by means)%n",
                ratioMean <= 1.15 ? "MET" : "NOT MET", ratioMean);
        System.out.println();
        cliYardstick(bgra, distinct);
        System.out.printf("load average at the end: %s%n", SyntheticFrames.loadAverage());
    }

    // ------------------------------------------------------------------ (a) bare libx264

    private static double[] runBare(AVFrame[] pictures, EncoderSettings settings, int frames, long[] bytes) throws Exception {
        AVCodec codec = avcodec_find_encoder_by_name("libx264");
        if (codec == null) {
            throw new IllegalStateException("libx264 is not in this FFmpeg build");
        }
        AVCodecContext c = avcodec_alloc_context3(codec);
        AVPacket pkt = av_packet_alloc();
        double[] ms = new double[frames];
        try {
            // the same configuration as FfmpegEncoder.configure for LIBX264
            c.width(W).height(H).pix_fmt(AV_PIX_FMT_YUV420P);
            c.time_base(av_make_q(1, FPS)).framerate(av_make_q(FPS, 1));
            c.color_range(AVCOL_RANGE_MPEG).colorspace(AVCOL_SPC_SMPTE170M)
                    .color_primaries(AVCOL_PRI_SMPTE170M).color_trc(AVCOL_TRC_SMPTE170M);
            c.max_b_frames(0);
            long bps = KBPS * 1000L;
            c.bit_rate(bps).rc_max_rate(bps).rc_buffer_size((int) (bps / FPS));
            c.thread_count(settings.threads()).thread_type(2 /* FF_THREAD_SLICE */);
            opt(c, "preset", settings.preset());
            opt(c, "tune", settings.tune());
            opt(c, "profile", settings.profile());
            opt(c, "forced-idr", "1");
            opt(c, "x264-params", "keyint=infinite:scenecut=0:repeat-headers=1");
            check(avcodec_open2(c, codec, (AVDictionary) null), "avcodec_open2");
            for (int i = -WARMUP; i < frames; i++) {
                AVFrame pic = pictures[Math.floorMod(i, pictures.length)];
                pic.pts(i + WARMUP);
                long t0 = System.nanoTime();
                check(avcodec_send_frame(c, pic), "avcodec_send_frame");
                long size = 0;
                while (true) {
                    int ret = avcodec_receive_packet(c, pkt);
                    if (ret < 0) {
                        break; // EAGAIN: one packet per frame with zerolatency
                    }
                    size += pkt.size();
                    av_packet_unref(pkt);
                }
                long t1 = System.nanoTime();
                if (i >= 0) {
                    ms[i] = (t1 - t0) / 1e6;
                    bytes[0] += size;
                }
            }
        } finally {
            av_packet_free(pkt);
            avcodec_free_context(c);
        }
        return ms;
    }

    private static void opt(AVCodecContext c, String key, String value) {
        if (value != null) {
            check(av_opt_set(c.priv_data(), key, value, 0), "av_opt_set(" + key + "=" + value + ")");
        }
    }

    /** BGRA -> I420 exactly as FfmpegEncoder converts (BT.601, limited range, the plugin's scaler flags). */
    private static AVFrame[] toI420(ByteBuffer[] bgra, int swsFlags) {
        SwsContext sws = sws_getContext(W, H, AV_PIX_FMT_BGRA, W, H, AV_PIX_FMT_YUV420P, swsFlags, null, null, (DoublePointer) null);
        IntPointer bt601 = sws_getCoefficients(SWS_CS_ITU601);
        check(sws_setColorspaceDetails(sws, bt601, 1, bt601, 0, 0, 1 << 16, 1 << 16), "sws_setColorspaceDetails");
        AVFrame[] out = new AVFrame[bgra.length];
        try (PointerPointer<BytePointer> src = new PointerPointer<>(4); IntPointer stride = new IntPointer(4)) {
            for (int i = 0; i < bgra.length; i++) {
                AVFrame f = av_frame_alloc();
                f.format(AV_PIX_FMT_YUV420P).width(W).height(H);
                f.color_range(AVCOL_RANGE_MPEG).colorspace(AVCOL_SPC_SMPTE170M)
                        .color_primaries(AVCOL_PRI_SMPTE170M).color_trc(AVCOL_TRC_SMPTE170M);
                check(av_frame_get_buffer(f, 0), "av_frame_get_buffer");
                BytePointer pixels = new BytePointer(bgra[i]);
                src.put(0, pixels);
                stride.put(0, W * 4);
                int rows = sws_scale(sws, src, stride, 0, H, f.data(), f.linesize());
                check(rows == H ? 0 : -1, "sws_scale");
                out[i] = f;
            }
        } finally {
            sws_freeContext(sws);
        }
        return out;
    }

    // ------------------------------------------------------------------ (b) the plugin pipeline

    /** @return [total, submit, encode, packetize+protect] ms per frame */
    private static double[][] runFull(Libx264EncoderFactory factory, ServerConfig config, ByteBuffer[] bgra, int frames,
                                      long[] bytes, long[] packets) throws Exception {
        VideoFrame[] pics = new VideoFrame[bgra.length];
        for (int i = 0; i < bgra.length; i++) {
            pics[i] = VideoFrame.hostBuffer(bgra[i], W, H, W * 4);
        }
        double[][] ms = new double[4][frames];
        H264Packetizer packetizer = new H264Packetizer(102, 0x12345678L, 4711);
        long[] count = new long[1];
        try (SrtpContext srtp = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY, SALT)) {
            // as MediaPeer.send: protect in place in the packetizer's buffer (then it would be sent)
            PacketSink sink = (packet, length, marker) -> {
                int protectedLength = srtp.protectRtp(packet, 0, length);
                if (protectedLength != length + 10) {
                    throw new IllegalStateException("SRTP length " + protectedLength + " for " + length);
                }
                count[0]++;
            };
            Encoder encoder = factory.create(config);
            try {
                for (int i = -WARMUP; i < frames; i++) {
                    int n = i + WARMUP;
                    long t0 = System.nanoTime();
                    encoder.submit(pics[Math.floorMod(i, pics.length)]);
                    long t1 = System.nanoTime();
                    EncodedFrame out = encoder.encode(n, n * 1_000_000L / FPS, n == 0, false);
                    long t2 = System.nanoTime();
                    long before = count[0];
                    packetizer.packetize(out.data(), n * 90_000L / FPS, sink);
                    long t3 = System.nanoTime();
                    if (i >= 0) {
                        ms[0][i] = (t3 - t0) / 1e6;
                        ms[1][i] = (t1 - t0) / 1e6;
                        ms[2][i] = (t2 - t1) / 1e6;
                        ms[3][i] = (t3 - t2) / 1e6;
                        bytes[0] += out.data().remaining();
                        packets[0] += count[0] - before;
                    }
                }
            } finally {
                encoder.close();
            }
        }
        return ms;
    }

    // ------------------------------------------------------------------ (c) the ffmpeg command-line tool

    private static void cliYardstick(ByteBuffer[] bgra, int distinct) throws Exception {
        String ffmpeg = findFfmpeg();
        if (ffmpeg == null) {
            System.out.println("(c) ffmpeg CLI yardstick: SKIPPED - no ffmpeg on PATH (apt-get install ffmpeg)");
            return;
        }
        System.out.println("(c) ffmpeg CLI yardstick: " + firstLine(ffmpeg, "-version"));
        Path raw = Files.createTempFile("framewire-bgra-", ".raw");
        try {
            try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.WRITE)) {
                for (ByteBuffer b : bgra) {
                    ch.write(b.duplicate().clear());
                }
            }
            // -pix_fmt yuv420p: without it ffmpeg picks yuv444p for BGRA input and libx264 refuses profile baseline
            List<String> base = List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error",
                    "-f", "rawvideo", "-stream_loop", "-1", "-pix_fmt", "bgra", "-s", W + "x" + H, "-r", String.valueOf(FPS), "-i", raw.toString(),
                    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline",
                    "-threads", "2", "-pix_fmt", "yuv420p");
            List<String> rate = List.of("-b:v", KBPS + "k", "-maxrate", KBPS + "k", "-bufsize", (KBPS / FPS) + "k",
                    "-x264-params", "keyint=infinite:scenecut=0:repeat-headers=1");
            int frames = 3 * distinct; // the file is looped (-stream_loop -1), so startup is amortised over more frames
            cliVariant("as specified (CRF 23 default rate control)", base, List.of(), frames);
            cliVariant("rate control as the plugin (8000k CBR, 1-frame VBV)", base, rate, frames);
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    private static void cliVariant(String name, List<String> base, List<String> extra, int distinct) throws Exception {
        int reps = 5;
        double[] one = new double[reps];
        double[] all = new double[reps];
        for (int r = 0; r < reps; r++) { // alternate, so load changes hit both
            one[r] = runCli(base, extra, 1);
            all[r] = runCli(base, extra, distinct);
        }
        double[] perFrame = new double[reps];
        for (int r = 0; r < reps; r++) {
            perFrame[r] = (all[r] - one[r]) / (distinct - 1);
        }
        double[] s = SyntheticFrames.sorted(perFrame);
        double medianOne = SyntheticFrames.percentile(SyntheticFrames.sorted(one), 50);
        double medianAll = SyntheticFrames.percentile(SyntheticFrames.sorted(all), 50);
        System.out.printf("    %-52s: %.2f ms/frame ((median %d-frame run %.0f ms - median 1-frame run %.0f ms) / %d);"
                        + " per run: mean %.2f p50 %.2f p95 %.2f (over %d runs, %s)%n", name,
                (medianAll - medianOne) / (distinct - 1), distinct, medianAll, medianOne, distinct - 1,
                SyntheticFrames.mean(perFrame), SyntheticFrames.percentile(s, 50), SyntheticFrames.percentile(s, 95), reps,
                Arrays.toString(Arrays.stream(perFrame).map(v -> Math.round(v * 100) / 100.0).toArray()));
    }

    /** @return wall time in ms of one ffmpeg run encoding the first {@code frames} frames of the file */
    private static double runCli(List<String> base, List<String> extra, int frames) throws Exception {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(extra);
        cmd.addAll(List.of("-frames:v", String.valueOf(frames), "-f", "null", "-"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + String.join(" ", cmd) + "\n" + new String(output));
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String findFfmpeg() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "ffmpeg");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static String firstLine(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out.lines().findFirst().orElse("");
        } catch (Exception e) {
            return "?";
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void check(int ret, String call) {
        if (ret < 0) {
            throw new IllegalStateException(call + " failed: " + ret);
        }
    }

    private static void add(List<Double> to, double[] values) {
        for (double v : values) {
            to.add(v);
        }
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
