package io.framewire.examples;

import io.framewire.api.CudaSync;
import io.framewire.api.HealthReport;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.plugin.cuda.CudaDriver;
import io.framewire.plugin.cuda.CudaFrameImporter;
import io.framewire.plugin.cuda.JCudaDriverBinding;
import io.framewire.runtime.StreamSession;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A renderer on the GPU streaming to the browser: each frame a CUDA kernel draws a moving pattern
 * into one of two pitched device buffers on the producer's own stream, records an event, and hands
 * the buffer to {@code streamVideo()} with {@code CudaSync(stream, event)}. The server converts it to
 * NV12 on its own stream after that event (the host never waits for the GPU), encodes with libx264
 * and sends it over WebRTC. Open the URL it prints.
 *
 * <p>Two buffers, because of the {@code streamVideo()} contract: the buffer handed over in call N is
 * free again once call N+1 has returned, so the producer draws N+1 into the other one.
 *
 * <pre>
 * java -cp ... io.framewire.examples.CudaStreamingExample [seconds (0 = until Ctrl-C)] [width height fps]
 * </pre>
 */
public final class CudaStreamingExample {
    private CudaStreamingExample() {
    }

    public static void main(String[] args) throws Exception {
        ExampleServer.Args a = ExampleServer.Args.parse(args);
        int seconds = a.seconds();
        int width = a.width();
        int height = a.height();
        int fps = a.fps();
        ServerConfig config = a.config().build();

        CudaDriver cuda = new JCudaDriverBinding();
        cuda.init(); // cuInit: once per process, before any other driver call
        try (CudaFrameImporter importer = new CudaFrameImporter(cuda, 0);
             StreamSession server = ExampleServer.start(config, "cuda", timed(importer))) {
            // The producer works in the importer's (primary) context, on a stream of its own.
            cuda.ctxSetCurrent(importer.context());
            long stream = cuda.streamCreate(CudaDriver.STREAM_NON_BLOCKING);
            long module = cuda.moduleLoadData(ExampleServer.kernelPtx());
            long fill = cuda.moduleGetFunction(module, "fill_bgra_pattern");
            int pitch = (width * 4 + 255) / 256 * 256;
            long[] buffers = {cuda.memAlloc((long) pitch * height), cuda.memAlloc((long) pitch * height)};
            long[] rendered = {cuda.eventCreate(CudaDriver.EVENT_DISABLE_TIMING), cuda.eventCreate(CudaDriver.EVENT_DISABLE_TIMING)};
            System.out.println("Rendering on " + importer.deviceName() + "; streaming " + width + "x" + height + " @" + fps);

            long interval = TimeUnit.SECONDS.toNanos(1) / fps;
            long start = System.nanoTime();
            long[] returnNanos = new long[Math.max(1, seconds) * fps + 16];
            int frames = 0;
            for (long frame = 0; seconds == 0 || System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds); frame++) {
                int slot = (int) (frame & 1);
                cuda.launchKernel(fill, (width + 31) / 32, (height + 7) / 8, 32, 8, stream,
                        buffers[slot], pitch, width, height, (int) frame);
                cuda.eventRecord(rendered[slot], stream);
                VideoFrame picture = VideoFrame.deviceBuffer(buffers[slot], width, height, pitch)
                        .withSync(CudaSync.onEvent(stream, rendered[slot]));
                long t0 = System.nanoTime();
                server.streamVideo(picture);
                long took = System.nanoTime() - t0;
                if (frames < returnNanos.length) {
                    returnNanos[frames] = took;
                }
                frames++;
                LockSupport.parkNanos(start + (frame + 1) * interval - System.nanoTime());
            }
            HealthReport.Counters counts = server.health().counters();
            long[] measured = Arrays.copyOf(returnNanos, Math.min(frames, returnNanos.length));
            Arrays.sort(measured);
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("streamed %d GPU frames in %.1f s (%.1f fps); server sent %d (%d repeated)%n",
                    frames, elapsed, frames / elapsed, counts.framesSent(), counts.framesRepeated());
            System.out.printf("streamVideo() return time: p50 %.1f µs, p99 %.1f µs, max %.1f µs%n",
                    measured[measured.length / 2] / 1e3, measured[(int) (measured.length * 0.99)] / 1e3,
                    measured[measured.length - 1] / 1e3);
            long[] imports = Arrays.copyOf(IMPORT_NANOS, Math.min(importCount, IMPORT_NANOS.length));
            Arrays.sort(imports);
            if (imports.length > 0) {
                System.out.printf("  of which importFrame (GPU work enqueued): p50 %.1f µs, p99 %.1f µs%n",
                        imports[imports.length / 2] / 1e3, imports[(int) (imports.length * 0.99)] / 1e3);
            }
            cuda.streamSynchronize(stream);
            server.close(); // releases the imports before their buffers go
            for (int i = 0; i < 2; i++) {
                cuda.memFree(buffers[i]);
                cuda.eventDestroy(rendered[i]);
            }
            cuda.moduleUnload(module);
            cuda.streamDestroy(stream);
        }
    }

    private static final long[] IMPORT_NANOS = new long[1 << 16];
    private static int importCount;

    /** Times the importer's part of streamVideo(), to show where the call's time goes. */
    private static io.framewire.api.spi.FrameImporter timed(CudaFrameImporter importer) {
        return new io.framewire.api.spi.FrameImporter() {
            @Override
            public boolean accepts(VideoFrame.Kind kind) {
                return importer.accepts(kind);
            }

            @Override
            public io.framewire.api.spi.ImportedFrame importFrame(VideoFrame frame, ServerConfig config) {
                long t0 = System.nanoTime();
                try {
                    return importer.importFrame(frame, config);
                } finally {
                    if (importCount < IMPORT_NANOS.length) {
                        IMPORT_NANOS[importCount++] = System.nanoTime() - t0;
                    }
                }
            }
        };
    }
}
