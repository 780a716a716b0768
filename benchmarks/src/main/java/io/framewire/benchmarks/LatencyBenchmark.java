package io.framewire.benchmarks;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.Codec;
import io.framewire.api.HealthReport;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.plugin.webrtc.WebRtcTransport;
import io.framewire.testing.ChromeDevTools;
import io.framewire.runtime.StreamSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Glass-to-glass latency on localhost (see README.md): an embedded {@link StreamSession} (1080p30,
 * libx264, WebRTC on 127.0.0.1), a producer thread calling {@code streamVideo} at 30 fps with the
 * frame number stamped into the picture as a barcode, and headless Chromium showing the stream with
 * the shipped web client. In the page a requestVideoFrameCallback loop copies the barcode area of
 * each presented frame to a canvas, decodes it and records the frame number with the callback's
 * times; the harness pulls the records through DevTools and matches them with the producer's
 * {@code Instant.now()} stamps (same machine, same clock).
 *
 * <p>Barcode: two rows of 26 squares of 32x32 px at (32, 32), macroblock-aligned. Row 0: a white
 * guard, the 24 bits of the frame number (MSB first, white = 1), a black guard. Row 1: a black
 * guard, the complement of the 24 bits, a white guard. A frame decodes only if the guards are
 * clearly apart, every square is clearly on one side of the threshold and each bit matches its
 * complement; anything else is counted as a decode failure.
 *
 * <pre>
 * java -cp ... io.framewire.benchmarks.LatencyBenchmark [seconds=20] [producerFps=30]
 * </pre>
 */
public final class LatencyBenchmark {
    private static final int W = 1920;
    private static final int H = 1080;
    private static final int FPS = 30;
    private static final int KBPS = 8000;
    private static final String TOKEN = "latency-benchmark-token-0123456789";
    private static final int SQ = 32;
    private static final int X0 = 32;
    private static final int Y0 = 32;
    private static final int SQUARES = 26;
    private static final int BACKGROUNDS = 30;

    /** Installed before the page's scripts: keeps the client's RTCPeerConnection reachable for getStats. */
    private static final String CAPTURE_PC = "(() => { const O = window.RTCPeerConnection; window.__pcs = [];"
            + " window.RTCPeerConnection = class extends O { constructor(...a) { super(...a); window.__pcs.push(this); } }; })();";

    /**
     * The in-page recorder: requestVideoFrameCallback -> the barcode's rectangle of the presented frame
     * (WebCodecs {@code new VideoFrame(video).copyTo} of that rectangle only: the luma plane; a 2D
     * canvas readback where that is not available) -> frame number -> records. The next callback is
     * requested first, so a slow read does not make the page miss frames.
     */
    private static final String RECORDER = "(() => {"
            + " const v = framewire.video, S = " + SQ + ", X0 = " + X0 + ", Y0 = " + Y0 + ", N = " + SQUARES + ", W = N * S, H = 2 * S;"
            + " const c = document.createElement('canvas'); c.width = W; c.height = H;"
            + " const g = c.getContext('2d', { willReadFrequently: true });"
            + " const L = window.__lat = { recs: [], fails: 0, failSamples: [], running: true, via: {} };"
            + " const decode = (lum) => {"
            + "   const w0 = lum(0, 0), b0 = lum(N - 1, 0), b1 = lum(0, 1), w1 = lum(N - 1, 1);"
            + "   const white = Math.min(w0, w1), black = Math.max(b0, b1);"
            + "   if (white - black < 100) return [-1, 'guards ' + [w0, b0, b1, w1].map(Math.round)];"
            + "   const thr = (white + black) / 2, margin = (white - black) / 4; let n = 0;"
            + "   for (let i = 1; i <= 24; i++) { const a = lum(i, 0), b = lum(i, 1);"
            + "     if (Math.abs(a - thr) < margin || Math.abs(b - thr) < margin || (a > thr) === (b > thr))"
            + "       return [-1, 'bit ' + i + ': ' + Math.round(a) + '/' + Math.round(b) + ' thr ' + Math.round(thr)];"
            + "     n = n * 2 + (a > thr ? 1 : 0); }"
            + "   return [n, null]; };"
            + " const centre = (get) => (sq, row) => { let s = 0, k = 0;"
            + "   for (let y = row * S + 8; y < row * S + 24; y += 2) for (let x = sq * S + 8; x < sq * S + 24; x += 2) { s += get(x, y); k++; }"
            + "   return s / k; };"
            + " const viaCanvas = () => { g.drawImage(v, X0, Y0, W, H, 0, 0, W, H); const d = g.getImageData(0, 0, W, H).data;"
            + "   return centre((x, y) => { const i = (y * W + x) * 4; return (d[i] + d[i + 1] + d[i + 2]) / 3; }); };"
            + " const viaVideoFrame = async () => { const f = new VideoFrame(v);"
            + "   try { if (f.format !== 'I420' && f.format !== 'NV12' && f.format !== 'I420A') return null;"
            + "     const rect = { x: X0, y: Y0, width: W, height: H };"
            + "     const buf = new Uint8Array(f.allocationSize({ rect })); const layout = await f.copyTo(buf, { rect });"
            + "     const o = layout[0].offset, st = layout[0].stride; return centre((x, y) => buf[o + y * st + x]);"
            + "   } finally { f.close(); } };"
            + " const cb = async (now, md) => {"
            + "   const entry = performance.now();"
            + "   if (!L.running) return;"
            + "   v.requestVideoFrameCallback(cb);"
            + "   let lum = null, via = 'videoframe';"
            + "   try { lum = await viaVideoFrame(); } catch (e) { via = 'canvas (' + e + ')'; }"
            + "   if (!lum) { if (via === 'videoframe') via = 'canvas'; lum = viaCanvas(); }"
            + "   L.via[via] = (L.via[via] || 0) + 1;"
            + "   const [n, why] = decode(lum);"
            + "   const done = performance.now();"
            + "   if (n < 0) { L.fails++; if (L.failSamples.length < 5) L.failSamples.push(why); }"
            + "   L.recs.push([n, md.expectedDisplayTime, md.presentationTime, md.receiveTime ?? -1, now, entry, done,"
            + "     md.presentedFrames, md.rtpTimestamp ?? -1]); };"
            + " v.requestVideoFrameCallback(cb);"
            + " return performance.timeOrigin; })()";

    private static final String INBOUND_STATS = "(async () => { const pc = window.__pcs[window.__pcs.length - 1];"
            + " const r = await pc.getStats(); let o = null;"
            + " r.forEach((s) => { if (s.type === 'inbound-rtp' && (s.kind || s.mediaType) === 'video') o = s; });"
            + " return JSON.stringify(o); })()";

    // per producer frame (index = frame number), nanoTime unless named otherwise
    private static final int MAX_FRAMES = 1 << 16;
    private static final long[] stampNanos = new long[MAX_FRAMES];
    private static final long[] stampEpochMicros = new long[MAX_FRAMES];
    private static final long[] submitDoneNanos = new long[MAX_FRAMES];
    private static final long[] encodeStartNanos = new long[MAX_FRAMES];
    private static final long[] encodeEndNanos = new long[MAX_FRAMES];
    private static final long[] sendStartNanos = new long[MAX_FRAMES];
    private static final long[] sendEndNanos = new long[MAX_FRAMES];
    // producer frame -> its number; the encoder converts on the pacer thread, so submit() finds the number here
    private static final Map<VideoFrame, Integer> frameNumbers = Collections.synchronizedMap(new IdentityHashMap<>());
    private static volatile int lastSubmitted = -1;   // frame number of the encoder's newest picture
    private static volatile int encodedForSend = -1;  // frame number the pacer is about to send (-1: a repeat)
    private static volatile int lastStamped = -1;
    private static volatile long repeats;

    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int producerFps = args.length > 1 ? Integer.parseInt(args[1]) : FPS;
        // "cc" (the default: WebRTC congestion control on) or "fixed" (off), to compare the two
        boolean congestionControl = args.length <= 2 || !"fixed".equals(args[2]);
        String chromium = ChromeDevTools.findChromium();
        if (chromium == null) {
            throw new IllegalStateException("Chromium is needed (apt-get install chromium)");
        }
        System.out.printf("LatencyBenchmark: %dx%d @%d fps, libx264 %d kbit/s, WebRTC on 127.0.0.1 (congestionControl=%s),"
                        + " producer %d fps, %ds measured, %d CPUs, load average %s%n", W, H, FPS, KBPS, congestionControl,
                producerFps, seconds,
                Runtime.getRuntime().availableProcessors(), SyntheticFrames.loadAverage());

        ByteBuffer[] backgrounds = new ByteBuffer[BACKGROUNDS];
        for (int i = 0; i < BACKGROUNDS; i++) {
            backgrounds[i] = SyntheticFrames.picture(W, H, i * 2);
        }
        ServerConfig config = ServerConfig.builder().width(W).height(H).fps(FPS).bitrateKbps(KBPS).build();
        WebRtcTransport webrtc = new WebRtcTransport(WebRtcTransport.settings(Map.of("accessToken", TOKEN,
                "bindAddress", "127.0.0.1", "httpPort", 0, "congestionControl", congestionControl)));
        StreamSession session = StreamSession.builder(config)
                .encoder("libx264", new TimedEncoderFactory(new Libx264EncoderFactory()))
                .transport("webrtc", new TimedTransport(webrtc))
                .noSource()
                .start();
        Producer producer = new Producer(session, backgrounds, producerFps);
        Thread producerThread = new Thread(producer, "latency-producer");
        producerThread.setDaemon(true);
        producerThread.setPriority(Thread.NORM_PRIORITY + 2);
        producerThread.start();
        String url = "http://127.0.0.1:" + webrtc.port() + "/?token=" + TOKEN + "&overlay=0";

        Map<String, Object> before;
        Map<String, Object> after;
        String recordsJson;
        double clockOffsetMs;
        double clockRttMs;
        HealthReport healthBefore;
        HealthReport healthAfter;
        long repeatsBefore;
        long repeatsAfter;
        try (ChromeDevTools chrome = ChromeDevTools.launch(chromium, 1280, 720)) {
            chrome.setViewport(1280, 720);
            chrome.addScriptOnNewDocument(CAPTURE_PC);
            chrome.navigate(url);
            awaitVideo(chrome);
            Thread.sleep(3000); // past the key frame and the jitter buffer's first adaptation
            double[] clock = clockOffset(chrome);
            clockOffsetMs = clock[0];
            clockRttMs = clock[1];
            before = stats(chrome);
            healthBefore = session.health();
            repeatsBefore = repeats;
            producer.counting = true;
            chrome.evaluate(RECORDER);
            Thread.sleep(seconds * 1000L);
            chrome.evaluate("window.__lat.running = false");
            producer.counting = false;
            after = stats(chrome);
            healthAfter = session.health();
            repeatsAfter = repeats;
            recordsJson = (String) chrome.evaluate("JSON.stringify({timeOrigin: performance.timeOrigin, fails: window.__lat.fails,"
                    + " failSamples: window.__lat.failSamples, via: window.__lat.via, recs: window.__lat.recs})");
        } finally {
            producer.running = false;
            producerThread.join(2000);
            session.close();
        }
        report(JSON.std.mapFrom(recordsJson), before, after, clockOffsetMs, clockRttMs,
                healthAfter.counters().framesSent() - healthBefore.counters().framesSent(), repeatsAfter - repeatsBefore, producer);
        System.out.printf("load average at the end: %s%n", SyntheticFrames.loadAverage());
    }

    // ------------------------------------------------------------------ analysis

    @SuppressWarnings("unchecked")
    private static void report(Map<String, Object> page, Map<String, Object> before, Map<String, Object> after,
                               double clockOffsetMs, double clockRttMs, long ticksSent, long encoderRepeats, Producer producer) {
        double origin = num(page.get("timeOrigin"));
        List<List<Object>> recs = (List<List<Object>>) page.get("recs");
        int fails = (int) num(page.get("fails"));
        int stamped = lastStamped;
        boolean[] seen = new boolean[MAX_FRAMES];
        int duplicates = 0;
        int notSent = 0;
        int outOfOrder = 0;
        int prev = -1;
        int lo = Integer.MAX_VALUE;
        int hi = -1;
        List<double[]> firsts = new ArrayList<>(); // n, expected, presentation, receive, cbNow, entry, done
        for (List<Object> r : recs) {
            int n = (int) num(r.get(0));
            if (n < 0) {
                continue;
            }
            if (n > stamped || stampEpochMicros[n] == 0) {
                notSent++; // decoded to a number never stamped: a wrong decode
                continue;
            }
            if (n < prev) {
                outOfOrder++;
            }
            prev = n;
            if (seen[n]) {
                duplicates++; // the same picture presented again (the pacer repeated it)
                continue;
            }
            seen[n] = true;
            lo = Math.min(lo, n);
            hi = Math.max(hi, n);
            firsts.add(new double[]{n, num(r.get(1)), num(r.get(2)), num(r.get(3)), num(r.get(4)), num(r.get(5)), num(r.get(6))});
        }
        int sentInWindow = hi >= lo ? hi - lo + 1 : 0;
        System.out.println();
        System.out.printf("barcode check: %d frames presented (rVFC callbacks), %d decoded, %d decode failures, %d decoded to"
                        + " a number never sent, %d out of order, %d presented again (same number)%n",
                recs.size(), recs.size() - fails, fails, notSent, outOfOrder, duplicates);
        System.out.println("    barcode read via: " + page.get("via"));
        if (fails > 0) {
            System.out.println("    failure samples: " + page.get("failSamples"));
        }
        boolean barcodeOk = fails + notSent <= Math.max(1, recs.size() / 100) && outOfOrder == 0;
        System.out.println("barcode check: " + (barcodeOk ? "PASSED" : "FAILED")
                + " (allowed: failures + wrong numbers <= 1 % of presented frames, none out of order)");
        System.out.printf("frames matched / sent: %d / %d (%.1f %%) in the window of frame numbers %d..%d;"
                        + " producer: %d frames, %d of them (in the window) late by > 1 interval; pacer in the window: %d ticks sent, %d repeats%n",
                firsts.size(), sentInWindow, 100.0 * firsts.size() / Math.max(1, sentInWindow), lo, hi,
                stamped + 1, producer.late, ticksSent, encoderRepeats);
        System.out.printf("clock check: browser (timeOrigin + performance.now()) - JVM (Instant.now()) = %+.2f ms"
                + " (DevTools round trip %.2f ms); not corrected for%n", clockOffsetMs, clockRttMs);

        String[] names = {
            "expectedDisplayTime (primary: when the frame should be on screen)",
            "presentationTime (frame handed to the compositor)",
            "callback now argument (rendering-frame time)",
            "performance.now() on entering the callback",
            "performance.now() after the barcode was read",
            "receiveTime (last RTP packet of the frame received)",
        };
        int[] cols = {1, 2, 4, 5, 6, 3};
        System.out.println();
        System.out.println("latency, producer's streamVideo() call -> browser, ms (first presentation of each frame number):");
        double primaryMedian = Double.NaN;
        for (int k = 0; k < names.length; k++) {
            double[] lat = new double[firsts.size()];
            int m = 0;
            for (double[] f : firsts) {
                if (f[cols[k]] > 0) {
                    lat[m++] = origin + f[cols[k]] - stampEpochMicros[(int) f[0]] / 1000.0;
                }
            }
            double[] s = SyntheticFrames.sorted(java.util.Arrays.copyOf(lat, m));
            if (m == 0) {
                System.out.printf("  %-68s: not reported by this browser%n", names[k]);
                continue;
            }
            System.out.printf("  %-68s: median %6.1f  p90 %6.1f  p99 %6.1f  max %6.1f  (n=%d)%n", names[k],
                    SyntheticFrames.percentile(s, 50), SyntheticFrames.percentile(s, 90), SyntheticFrames.percentile(s, 99),
                    s[s.length - 1], m);
            if (k == 0) {
                primaryMedian = SyntheticFrames.percentile(s, 50);
            }
        }

        // where it goes: server stages from the JVM's own timers, then the browser's receive and presentation
        List<double[]> stages = new ArrayList<>();
        for (double[] f : firsts) {
            int n = (int) f[0];
            if (sendEndNanos[n] == 0 || encodeStartNanos[n] == 0) {
                continue;
            }
            double stamp = stampEpochMicros[n] / 1000.0;
            double sendEndEpoch = stamp + (sendEndNanos[n] - stampNanos[n]) / 1e6;
            stages.add(new double[]{
                (submitDoneNanos[n] - stampNanos[n]) / 1e6,
                (encodeStartNanos[n] - submitDoneNanos[n]) / 1e6,
                (encodeEndNanos[n] - encodeStartNanos[n]) / 1e6,
                (sendEndNanos[n] - encodeEndNanos[n]) / 1e6,
                f[3] > 0 ? origin + f[3] - sendEndEpoch : Double.NaN,
                f[3] > 0 ? f[1] - f[3] : Double.NaN,
            });
        }
        String[] stageNames = {
            "streamVideo(): checks + BGRA->I420 (caller's thread)",
            "waiting for the pacer's next tick",
            "libx264 encode (pacer)",
            "transport.send: packetize + SRTP + UDP (pacer)",
            "UDP -> last packet received in the browser (receiveTime)",
            "receiveTime -> expectedDisplayTime (jitter buffer, decode, render)",
        };
        System.out.println();
        System.out.printf("where it goes, per matched frame (%d frames with all server stamps), ms:%n", stages.size());
        for (int k = 0; k < stageNames.length; k++) {
            double[] v = new double[stages.size()];
            int m = 0;
            for (double[] st : stages) {
                if (!Double.isNaN(st[k])) {
                    v[m++] = st[k];
                }
            }
            double[] s = SyntheticFrames.sorted(java.util.Arrays.copyOf(v, m));
            if (m == 0) {
                System.out.printf("  %-68s: n/a%n", stageNames[k]);
                continue;
            }
            System.out.printf("  %-68s: median %6.2f  p90 %6.2f  max %6.2f%n", stageNames[k],
                    SyntheticFrames.percentile(s, 50), SyntheticFrames.percentile(s, 90), s[s.length - 1]);
        }
        if (before != null && after != null) {
            double frames = num(after.get("framesDecoded")) - num(before.get("framesDecoded"));
            double emitted = num(after.get("jitterBufferEmittedCount")) - num(before.get("jitterBufferEmittedCount"));
            System.out.printf("browser inbound-rtp over the window: %.0f frames decoded, %.0f dropped, %.0f freezes, %.0f packets lost,"
                            + " %.0f NACKs; per frame: jitter buffer %.2f ms (target %.2f, minimum %.2f), decode %.2f ms,"
                            + " assembly %.2f ms, processing (first packet -> decoded) %.2f ms; decoder %s%n",
                    frames, diff(after, before, "framesDropped"), diff(after, before, "freezeCount"),
                    diff(after, before, "packetsLost"), diff(after, before, "nackCount"),
                    1000 * diff(after, before, "jitterBufferDelay") / Math.max(1, emitted),
                    1000 * diff(after, before, "jitterBufferTargetDelay") / Math.max(1, emitted),
                    1000 * diff(after, before, "jitterBufferMinimumDelay") / Math.max(1, emitted),
                    1000 * diff(after, before, "totalDecodeTime") / Math.max(1, frames),
                    1000 * diff(after, before, "totalAssemblyTime") / Math.max(1, frames),
                    1000 * diff(after, before, "totalProcessingDelay") / Math.max(1, frames),
                    after.get("decoderImplementation"));
        }
        System.out.println();
        System.out.printf("goal: median <= 25 ms at 1080p -> %s (median %.1f ms, expectedDisplayTime-based)%n",
                primaryMedian <= 25 ? "MET" : "NOT MET", primaryMedian);
    }

    private static double diff(Map<String, Object> a, Map<String, Object> b, String key) {
        return num(a.get(key)) - num(b.get(key));
    }

    private static double num(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : 0;
    }

    // ------------------------------------------------------------------ browser helpers

    private static void awaitVideo(ChromeDevTools chrome) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (true) {
            Object decoded = chrome.evaluate("(window.framewire && framewire.stats().framesDecoded) || 0");
            if (((Number) decoded).intValue() > 5) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no video decoded within 40 s; client state "
                        + chrome.evaluate("window.framewire && framewire.state"));
            }
            Thread.sleep(100);
        }
    }

    /** @return {browser clock - JVM clock, round trip} in ms, from the fastest of 20 DevTools round trips */
    private static double[] clockOffset(ChromeDevTools chrome) throws Exception {
        double best = Double.MAX_VALUE;
        double offset = Double.NaN;
        for (int i = 0; i < 20; i++) {
            Instant t0 = Instant.now();
            double browser = ((Number) chrome.evaluate("performance.timeOrigin + performance.now()")).doubleValue();
            Instant t1 = Instant.now();
            double a = micros(t0) / 1000.0;
            double b = micros(t1) / 1000.0;
            if (b - a < best) {
                best = b - a;
                offset = browser - (a + b) / 2;
            }
        }
        return new double[]{offset, best};
    }

    private static Map<String, Object> stats(ChromeDevTools chrome) throws Exception {
        Object json = chrome.evaluate(INBOUND_STATS);
        return json == null || "null".equals(json) ? null : JSON.std.mapFrom(json);
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    // ------------------------------------------------------------------ producer

    /** Calls streamVideo at a fixed rate; the frame number is stamped into the picture as a barcode. */
    private static final class Producer implements Runnable {
        private final StreamSession session;
        private final ByteBuffer[] backgrounds;
        private final long interval;
        private final ByteBuffer[] pool = new ByteBuffer[3];
        volatile boolean running = true;
        volatile boolean counting;
        volatile long late;

        Producer(StreamSession session, ByteBuffer[] backgrounds, int fps) {
            this.session = session;
            this.backgrounds = backgrounds;
            this.interval = 1_000_000_000L / fps;
            for (int i = 0; i < pool.length; i++) {
                pool[i] = ByteBuffer.allocateDirect(W * H * 4).order(ByteOrder.LITTLE_ENDIAN);
            }
        }

        @Override
        public void run() {
            VideoFrame next = prepare(0);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            for (int n = 0; running && n < MAX_FRAMES; n++) {
                long deadline = start + n * interval;
                long now;
                while ((now = System.nanoTime()) < deadline) {
                    LockSupport.parkNanos(deadline - now);
                }
                if (now - deadline > interval && counting) {
                    late++;
                }
                frameNumbers.put(next, n);
                stampNanos[n] = System.nanoTime();
                stampEpochMicros[n] = micros(Instant.now());
                try {
                    session.streamVideo(next);
                } catch (RuntimeException e) {
                    System.err.println("streamVideo failed at frame " + n + ": " + e);
                }
                submitDoneNanos[n] = System.nanoTime();
                lastStamped = n;
                next = prepare(n + 1);
            }
        }

        private VideoFrame prepare(int n) {
            ByteBuffer buf = pool[n % pool.length];
            buf.clear();
            buf.put(backgrounds[n % backgrounds.length].duplicate().clear());
            buf.clear();
            stamp(buf.asIntBuffer(), n);
            return VideoFrame.hostBuffer(buf, W, H, W * 4);
        }
    }

    /** Writes the two-row barcode of {@code n} (see the class comment) into a BGRA picture. */
    static void stamp(IntBuffer px, int n) {
        for (int sq = 0; sq < SQUARES; sq++) {
            boolean top;
            if (sq == 0) {
                top = true;
            } else if (sq == SQUARES - 1) {
                top = false;
            } else {
                top = ((n >>> (24 - sq)) & 1) == 1;
            }
            fill(px, sq, 0, top);
            fill(px, sq, 1, !top);
        }
    }

    private static void fill(IntBuffer px, int sq, int row, boolean white) {
        int colour = white ? 0xFFFFFFFF : 0xFF000000;
        for (int y = 0; y < SQ; y++) {
            int base = (Y0 + row * SQ + y) * W + X0 + sq * SQ;
            for (int x = 0; x < SQ; x++) {
                px.put(base + x, colour);
            }
        }
    }

    // ------------------------------------------------------------------ timing wrappers

    /** The libx264 factory, its encoders timed per producer frame. */
    private static final class TimedEncoderFactory implements EncoderFactory {
        private final EncoderFactory delegate;

        TimedEncoderFactory(EncoderFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Set<VideoInput> inputs() {
            return delegate.inputs();
        }

        @Override
        public Codec codec() {
            return delegate.codec();
        }

        @Override
        public boolean hardware() {
            return delegate.hardware();
        }

        @Override
        public String unavailableReason() {
            return delegate.unavailableReason();
        }

        @Override
        public Encoder create(ServerConfig config) throws Exception {
            Encoder e = delegate.create(config);
            return new Encoder() {
                @Override
                public Codec codec() {
                    return e.codec();
                }

                @Override
                public Set<VideoFrame.Kind> acceptedKinds() {
                    return e.acceptedKinds();
                }

                @Override
                public void submit(VideoFrame frame) throws Exception {
                    Integer n = frameNumbers.remove(frame); // null: the runtime's loading picture
                    e.submit(frame);
                    lastSubmitted = n == null ? -1 : n;
                }

                @Override
                public EncodedFrame encode(long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) throws Exception {
                    int n = lastSubmitted;
                    long t0 = System.nanoTime();
                    EncodedFrame out = e.encode(frameNumber, ptsMicros, keyframe, repeat);
                    long t1 = System.nanoTime();
                    if (repeat) {
                        repeats++;
                        encodedForSend = -1;
                    } else {
                        encodedForSend = n;
                        if (n >= 0 && encodeStartNanos[n] == 0) {
                            encodeStartNanos[n] = t0;
                            encodeEndNanos[n] = t1;
                        }
                    }
                    return out;
                }

                @Override
                public void setBitrateKbps(int kbps) {
                    e.setBitrateKbps(kbps);
                }

                @Override
                public void close() {
                    e.close();
                }
            };
        }
    }

    /** The WebRTC transport, its send() timed per producer frame. */
    private static final class TimedTransport implements Transport {
        private final Transport delegate;

        TimedTransport(Transport delegate) {
            this.delegate = delegate;
        }

        @Override
        public void start(TransportContext context) throws Exception {
            delegate.start(context);
        }

        @Override
        public void send(EncodedFrame frame) {
            int n = encodedForSend;
            long t0 = System.nanoTime();
            delegate.send(frame);
            long t1 = System.nanoTime();
            if (n >= 0 && delegate.peerCount() > 0 && sendEndNanos[n] == 0) {
                sendStartNanos[n] = t0;
                sendEndNanos[n] = t1;
            }
        }

        @Override
        public void sendMessage(String peerId, OutgoingMessage message) {
            delegate.sendMessage(peerId, message);
        }

        @Override
        public int peerCount() {
            return delegate.peerCount();
        }

        @Override
        public void stop() {
            delegate.stop();
        }
    }
}
