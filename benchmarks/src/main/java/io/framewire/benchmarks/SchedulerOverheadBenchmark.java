package io.framewire.benchmarks;

import io.framewire.api.FrameRules;
import io.framewire.api.HealthReport;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import io.framewire.plugin.nullencoder.NullEncoderFactory;
import io.framewire.runtime.PacingClock;
import io.framewire.runtime.StreamSession;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures the frame scheduler's per-frame overhead, side by side in one run:
 * <ul>
 *   <li>(A) bare: the per-frame work (render, {@link FrameRules#check}, submit, encode, send) in a
 *       tight loop on one thread, no scheduler: ns per frame, median of several timed runs after a
 *       warm-up;</li>
 *   <li>(B) scheduled: a real {@link StreamSession} with the same source, the null encoder and a
 *       counting transport: CPU time of the {@code framewire-pacer} and {@code framewire-pacer-guard}
 *       threads per frame sent, plus pacing figures seen by the transport.</li>
 * </ul>
 * The overhead is B - A. Arguments (all optional, positional): {@code seconds fps width height},
 * default {@code 10 240 1920 1080}.
 */
public final class SchedulerOverheadBenchmark {
    private static final double GOAL_MICROS = 50.0;
    private static final int WARMUP_SECONDS = 3;
    private static final int BARE_RUNS = 11;
    private static final long BARE_RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long BARE_WARMUP_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int REFERENCE_SECONDS = 3;

    private SchedulerOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // keep the report readable
        }
        int seconds = intArg(args, 0, "seconds", 10);
        int fps = intArg(args, 1, "fps", 240);
        int width = intArg(args, 2, "width", 1920);
        int height = intArg(args, 3, "height", 1080);
        ServerConfig config = ServerConfig.builder().width(width).height(height).fps(fps)
                .videoInput(VideoInput.BGRA).build();

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);

        VideoFrame frame = preRenderedFrame(width, height);
        System.out.printf(Locale.ROOT, "Framewire scheduler overhead: %dx%d host BGRA (pre-rendered), null encoder, counting transport%n",
                width, height);
        System.out.printf(Locale.ROOT, "JVM %s %s, %d CPUs available%n%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        Bare bare = runBare(config, frame, threads);
        Scheduled sched = runScheduled(config, frame, seconds, threads);
        Reference sleepOnly = runReference(config, REFERENCE_SECONDS, false, threads);
        Reference handOff = runReference(config, REFERENCE_SECONDS, true, threads);

        double aMicros = bare.medianNanos / 1000.0;
        double bMicros = sched.cpuNanosPerFrame / 1000.0;
        double overhead = bMicros - aMicros;

        System.out.printf(Locale.ROOT, "(A) bare loop, 1 thread, no scheduler (%d runs of ~%d ms after %d s warm-up):%n",
                BARE_RUNS, TimeUnit.NANOSECONDS.toMillis(BARE_RUN_NANOS), TimeUnit.NANOSECONDS.toSeconds(BARE_WARMUP_NANOS));
        System.out.printf(Locale.ROOT, "    median %.1f ns/frame (min %.1f, max %.1f); thread CPU %.1f ns/frame%n",
                bare.medianNanos, bare.minNanos, bare.maxNanos, bare.medianCpuNanos);
        System.out.printf(Locale.ROOT, "(B) StreamSession @ %d fps, %.1f s measured after %d s warm-up:%n",
                fps, sched.wallNanos / 1e9, WARMUP_SECONDS);
        System.out.printf(Locale.ROOT, "    frames sent %d, achieved %.2f fps of %d (%.1f %%), repeated %d, ticks missed %d%n",
                sched.frames, sched.achievedFps, fps, 100.0 * sched.achievedFps / fps, sched.repeated, sched.missedTicks);
        System.out.printf(Locale.ROOT, "    CPU per frame: pacer %.1f µs + guard %.1f µs = %.1f µs (kernel %.0f %% of it)%n",
                sched.pacerCpuPerFrame / 1000.0, sched.renderCpuPerFrame / 1000.0, bMicros,
                100.0 * sched.sysShare);
        System.out.printf(Locale.ROOT, "    whole-process CPU per frame (all JVM threads, incl. GC/JIT/main): %.1f µs%n",
                sched.processCpuPerFrame / 1000.0);
        System.out.printf(Locale.ROOT, "    wall in tick, source.render() call -> transport.send(): p50 %.1f µs, p99 %.1f µs, max %.1f µs (%d ticks)%n",
                sched.inTick.p50 / 1e3, sched.inTick.p99 / 1e3, sched.inTick.max / 1e3, sched.inTick.n);
        System.out.printf(Locale.ROOT, "    tick start lateness (render call vs tick grid, relative to the earliest tick): p50 %.1f µs, p99 %.1f µs, max %.1f µs%n",
                sched.lateness.p50 / 1e3, sched.lateness.p99 / 1e3, sched.lateness.max / 1e3);
        System.out.printf(Locale.ROOT, "    interval between sends (target %.1f µs): p50 %.1f µs, p99 %.1f µs, min %.1f µs; largest gap %.3f ms%n",
                config.frameIntervalNanos() / 1e3, sched.intervals.p50 / 1e3, sched.intervals.p99 / 1e3,
                sched.intervals.min / 1e3, sched.intervals.max / 1e6);
        System.out.printf(Locale.ROOT, "(C) reference, no frame work, %d s each, same pacing primitives as the scheduler:%n", REFERENCE_SECONDS);
        System.out.printf(Locale.ROOT, "    C1 sleep to the tick grid only (PacingClock.SYSTEM, parkNanos): %.1f µs CPU per tick (%d ticks)%n",
                sleepOnly.cpuNanosPerTick / 1000.0, sleepOnly.ticks);
        System.out.printf(Locale.ROOT, "    C2 C1 + hand-off to a single-thread executor and Future.get(timeout) per tick: %.1f µs CPU per tick "
                + "(pacer %.1f + worker %.1f, %d ticks)%n", handOff.cpuNanosPerTick / 1000.0,
                handOff.pacerNanosPerTick / 1000.0, handOff.workerNanosPerTick / 1000.0, handOff.ticks);
        System.out.println();
        System.out.printf(Locale.ROOT, "overhead (B - A): %.1f µs per frame%n", overhead);
        System.out.printf(Locale.ROOT, "ratio B/A: %.1f%n", bMicros / aMicros);
        System.out.printf(Locale.ROOT, "goal: scheduler overhead <= %.0f µs per frame -> %s (%.1f µs)%n", GOAL_MICROS,
                overhead <= GOAL_MICROS ? "MET" : "NOT MET", overhead);
    }

    // ---------------------------------------------------------------- (A) bare

    record Bare(double medianNanos, double minNanos, double maxNanos, double medianCpuNanos) {
    }

    private static Bare runBare(ServerConfig config, VideoFrame frame, ThreadMXBean threads) throws Exception {
        PreRenderedSource source = new PreRenderedSource(frame, 1 << 16);
        CountingTransport transport = new CountingTransport(1 << 16);
        long interval = config.frameIntervalNanos();
        try (Encoder encoder = new NullEncoderFactory().create(config)) {
            long tick = 0;
            long chunk = 100_000;
            long warmEnd = System.nanoTime() + BARE_WARMUP_NANOS;
            long warmFrames = 0;
            long warmStart = System.nanoTime();
            while (System.nanoTime() < warmEnd) {
                bareLoop(config, source, encoder, transport, tick, chunk, interval);
                tick += chunk;
                warmFrames += chunk;
            }
            double warmNanosPerFrame = (double) (System.nanoTime() - warmStart) / warmFrames;
            long perRun = Math.max(10_000, (long) (BARE_RUN_NANOS / warmNanosPerFrame));

            double[] wall = new double[BARE_RUNS];
            double[] cpu = new double[BARE_RUNS];
            for (int r = 0; r < BARE_RUNS; r++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                bareLoop(config, source, encoder, transport, tick, perRun, interval);
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                tick += perRun;
                wall[r] = (double) (t1 - t0) / perRun;
                cpu[r] = (double) (c1 - c0) / perRun;
            }
            if (transport.count != tick) {
                throw new IllegalStateException("bare loop sent " + transport.count + " frames, expected " + tick);
            }
            double[] sortedWall = wall.clone();
            Arrays.sort(sortedWall);
            Arrays.sort(cpu);
            return new Bare(sortedWall[BARE_RUNS / 2], sortedWall[0], sortedWall[BARE_RUNS - 1], cpu[BARE_RUNS / 2]);
        }
    }

    /** The scheduler's per-frame work, minus the scheduler. */
    private static void bareLoop(ServerConfig config, FrameSource source, Encoder encoder, Transport transport,
                                 long firstTick, long frames, long interval) throws Exception {
        int width = config.width();
        int height = config.height();
        for (long i = 0; i < frames; i++) {
            long tick = firstTick + i;
            long pts = tick * interval / 1000;
            VideoFrame frame = source.render(new FrameRequest(width, height, tick, pts));
            FrameRules.check(frame, config);
            encoder.submit(frame);
            EncodedFrame encoded = encoder.encode(tick, pts, false, false);
            transport.send(encoded);
        }
    }

    // ---------------------------------------------------------------- (B) scheduled

    record Percentiles(long n, long p50, long p99, long min, long max) {
        static Percentiles of(long[] values, int n) {
            if (n == 0) {
                return new Percentiles(0, 0, 0, 0, 0);
            }
            long[] v = Arrays.copyOf(values, n);
            Arrays.sort(v);
            return new Percentiles(n, v[(int) Math.min(n - 1, Math.round(0.50 * (n - 1)))],
                    v[(int) Math.min(n - 1, Math.round(0.99 * (n - 1)))], v[0], v[n - 1]);
        }
    }

    record Scheduled(long frames, long wallNanos, double achievedFps, long repeated, long missedTicks,
                     double cpuNanosPerFrame, double pacerCpuPerFrame, double renderCpuPerFrame, double sysShare,
                     double processCpuPerFrame, Percentiles inTick, Percentiles lateness, Percentiles intervals) {
    }

    private static Scheduled runScheduled(ServerConfig config, VideoFrame frame, int seconds, ThreadMXBean threads)
            throws Exception {
        int capacity = Integer.highestOneBit(Math.max(1024, (WARMUP_SECONDS + seconds + 10) * config.fps() * 2)) << 1;
        PreRenderedSource source = new PreRenderedSource(frame, capacity);
        CountingTransport transport = new CountingTransport(capacity);
        StreamSession session = StreamSession.builder(config)
                .source("bench-source", source)
                .encoder("null", new NullEncoderFactory())
                .transport("counting", transport)
                .start();
        long[] s0;
        long[] s1;
        long count0;
        long count1;
        long wall0;
        long wall1;
        long proc0;
        long proc1;
        HealthReport h0;
        HealthReport h1;
        List<Long> pacerIds;
        List<Long> renderIds;
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(WARMUP_SECONDS));
            if (!session.isReady()) {
                throw new IllegalStateException("session not ready after warm-up: " + session.health());
            }
            pacerIds = threadIds(threads, "framewire-pacer");
            renderIds = threadIds(threads, "framewire-pacer-guard");
            if (pacerIds.isEmpty() || renderIds.isEmpty()) {
                throw new IllegalStateException("scheduler threads not found: pacer " + pacerIds + ", render " + renderIds);
            }
            h0 = session.health();
            s0 = cpu(threads, pacerIds, renderIds);
            count0 = transport.count;
            wall0 = System.nanoTime();
            proc0 = processCpuNanos();

            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));

            s1 = cpu(threads, pacerIds, renderIds);
            count1 = transport.count;
            wall1 = System.nanoTime();
            proc1 = processCpuNanos();
            h1 = session.health();
        } finally {
            session.close(); // joins the pacer: its writes to the rings are visible from here on
        }

        long frames = count1 - count0;
        if (frames <= 1) {
            throw new IllegalStateException("only " + frames + " frames sent in the window");
        }
        if (count1 - count0 > capacity) {
            throw new IllegalStateException("ring too small");
        }
        long wall = wall1 - wall0;
        long pacerCpu = s1[0] - s0[0];
        long renderCpu = s1[1] - s0[1];
        long user = (s1[2] - s0[2]) + (s1[3] - s0[3]);
        double cpuTotal = pacerCpu + renderCpu;
        long procCpu = proc0 < 0 || proc1 < 0 ? -1 : proc1 - proc0;

        // The tick grid's origin, estimated from the earliest render call relative to it.
        long interval = config.frameIntervalNanos();
        long origin = Long.MAX_VALUE;
        for (long k = Math.max(0, count1 - capacity); k < count1; k++) {
            long tick = transport.tick(k);
            if (source.renderedTick(tick)) {
                origin = Math.min(origin, source.renderNanos(tick) - tick * interval);
            }
        }
        int n = (int) frames;
        long[] inTick = new long[n];
        long[] late = new long[n];
        long[] gaps = new long[n];
        int nIn = 0;
        int nGaps = 0;
        for (long k = count0; k < count1; k++) {
            long tick = transport.tick(k);
            long sent = transport.sendNanos(k);
            if (source.renderedTick(tick)) {
                long rendered = source.renderNanos(tick);
                inTick[nIn] = sent - rendered;
                late[nIn] = rendered - tick * interval - origin;
                nIn++;
            }
            if (k > count0) {
                gaps[nGaps++] = sent - transport.sendNanos(k - 1);
            }
        }
        long missed = transport.tick(count1 - 1) - transport.tick(count0) + 1 - frames;
        return new Scheduled(frames, wall, frames * 1e9 / wall, h1.counters().framesRepeated() - h0.counters().framesRepeated(), missed,
                cpuTotal / frames, (double) pacerCpu / frames, (double) renderCpu / frames,
                cpuTotal == 0 ? 0 : (cpuTotal - user) / cpuTotal,
                procCpu < 0 ? Double.NaN : (double) procCpu / frames,
                Percentiles.of(inTick, nIn), Percentiles.of(late, nIn), Percentiles.of(gaps, nGaps));
    }

    private static List<Long> threadIds(ThreadMXBean threads, String name) {
        List<Long> ids = new ArrayList<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && name.equals(info.getThreadName())) {
                ids.add(info.getThreadId());
            }
        }
        return ids;
    }

    /** @return {pacer CPU, render CPU, pacer user, render user} in ns */
    private static long[] cpu(ThreadMXBean threads, List<Long> pacer, List<Long> render) {
        long[] s = new long[4];
        for (long id : pacer) {
            s[0] += Math.max(0, threads.getThreadCpuTime(id));
            s[2] += Math.max(0, threads.getThreadUserTime(id));
        }
        for (long id : render) {
            s[1] += Math.max(0, threads.getThreadCpuTime(id));
            s[3] += Math.max(0, threads.getThreadUserTime(id));
        }
        return s;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    // ---------------------------------------------------------------- (C) reference

    record Reference(long ticks, double cpuNanosPerTick, double pacerNanosPerTick, double workerNanosPerTick) {
    }

    /**
     * The scheduler's pacing skeleton with no frame work: sleep to the next tick on the grid with
     * {@link PacingClock#SYSTEM} and, with {@code handOff}, run an empty task on a single-thread
     * executor and wait for it with {@code Future.get(timeout)}, as the scheduler's tick does.
     */
    private static Reference runReference(ServerConfig config, int seconds, boolean handOff, ThreadMXBean threads)
            throws Exception {
        long interval = config.frameIntervalNanos();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "reference-worker"));
        try {
            long workerId = handOff ? worker.submit(() -> Thread.currentThread().getId()).get() : -1;
            long[] result = new long[3];
            Thread pacer = new Thread(() -> {
                try {
                    long start = System.nanoTime();
                    long warmTicks = Math.max(1, TimeUnit.SECONDS.toNanos(1) / interval);
                    long ticks = warmTicks + TimeUnit.SECONDS.toNanos(seconds) / interval;
                    long p0 = 0;
                    long w0 = 0;
                    for (long tick = 1; tick <= ticks; tick++) {
                        if (tick == warmTicks) {
                            p0 = threads.getCurrentThreadCpuTime();
                            w0 = handOff ? threads.getThreadCpuTime(workerId) : 0;
                        }
                        PacingClock.SYSTEM.sleepUntil(start + tick * interval);
                        if (handOff) {
                            Future<?> task = worker.submit(() -> { });
                            try {
                                task.get(interval / 2, TimeUnit.NANOSECONDS);
                            } catch (TimeoutException e) {
                                task.get(); // a busy machine: wait it out so every tick pays the same hand-off
                            }
                        }
                    }
                    result[0] = ticks - warmTicks;
                    result[1] = threads.getCurrentThreadCpuTime() - p0;
                    result[2] = handOff ? threads.getThreadCpuTime(workerId) - w0 : 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "reference-pacer");
            pacer.setPriority(Thread.NORM_PRIORITY + 2);
            pacer.start();
            pacer.join();
            long ticks = result[0];
            return new Reference(ticks, (double) (result[1] + result[2]) / ticks, (double) result[1] / ticks,
                    (double) result[2] / ticks);
        } finally {
            worker.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- plugins used by both

    private static VideoFrame preRenderedFrame(int width, int height) {
        ByteBuffer pixels = ByteBuffer.allocateDirect(width * height * 4);
        for (int i = 0; i < width * height; i++) {
            pixels.putInt(0xFF336699 ^ (i & 0xFF)); // any pattern: rendered once, never touched again
        }
        pixels.flip();
        return VideoFrame.hostBuffer(pixels, width, height, width * 4);
    }

    /** Returns the same pre-rendered frame every time and notes when each tick's render() was called. */
    static final class PreRenderedSource implements FrameSource {
        private final VideoFrame frame;
        private final long[] nanos;
        private final long[] ticks;
        private final int mask;

        PreRenderedSource(VideoFrame frame, int capacity) {
            this.frame = frame;
            this.nanos = new long[capacity];
            this.ticks = new long[capacity];
            Arrays.fill(ticks, -1);
            this.mask = capacity - 1;
        }

        @Override
        public VideoFrame render(FrameRequest request) {
            int i = (int) (request.frameNumber() & mask);
            nanos[i] = System.nanoTime();
            ticks[i] = request.frameNumber();
            return frame;
        }

        boolean renderedTick(long tick) {
            return ticks[(int) (tick & mask)] == tick;
        }

        long renderNanos(long tick) {
            return nanos[(int) (tick & mask)];
        }
    }

    /** Counts frames and notes when each was sent. One writer (the pacer). */
    static final class CountingTransport implements Transport {
        private final long[] nanos;
        private final long[] ticks;
        private final int mask;
        volatile long count;

        CountingTransport(int capacity) {
            this.nanos = new long[capacity];
            this.ticks = new long[capacity];
            this.mask = capacity - 1;
        }

        @Override
        public void start(TransportContext context) {
        }

        @Override
        public void send(EncodedFrame frame) {
            long c = count;
            int i = (int) (c & mask);
            nanos[i] = System.nanoTime();
            ticks[i] = frame.frameNumber();
            count = c + 1;
        }

        long sendNanos(long k) {
            return nanos[(int) (k & mask)];
        }

        long tick(long k) {
            return ticks[(int) (k & mask)];
        }

        @Override
        public void sendMessage(String peerId, OutgoingMessage message) {
        }

        @Override
        public int peerCount() {
            return 0;
        }

        @Override
        public void stop() {
        }
    }

    private static int intArg(String[] args, int index, String name, int fallback) {
        if (args.length <= index || args[index].isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(args[index].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + args[index] + ": must be an integer (args: seconds fps width height)");
        }
    }
}
