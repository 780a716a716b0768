package io.framewire.plugin.cuda;

import io.framewire.api.CudaSync;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.ImportedFrame;
import jcuda.driver.JCudaDriver;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Prints, in one run: the kernel time per 1080p and 4K frame (cuEvent timing), the device copy
 * bandwidth (cuMemcpyDtoD of 1 GiB, read + write bytes) and the kernel's share of it, the time
 * importFrame takes to return (host clock), and the NV12 device-to-pinned-host copy time.
 * Run: {@code java -cp <test classpath> io.framewire.plugin.cuda.CudaBenchmark}.
 */
public final class CudaBenchmark {
    private CudaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String why = GpuSupport.unavailableReason();
        if (why != null) {
            System.out.println("BENCHMARK SKIPPED: no CUDA device (" + why + ")");
            return;
        }
        CudaDriver d = new JCudaDriverBinding();
        CudaFrameImporter importer = new CudaFrameImporter(d, 0);
        GpuSupport.Producer producer = new GpuSupport.Producer(d, importer);
        d.ctxSetCurrent(importer.context());
        long kernel = d.moduleGetFunction(producer.module, CudaFrameImporter.KERNEL);
        long start = d.eventCreate(0);
        long end = d.eventCreate(0);
        System.out.printf("device: %s (compute %d.%d), kernel image: %s%n", importer.deviceName(),
                d.deviceAttribute(CudaDriver.ATTRIBUTE_CC_MAJOR, d.deviceGet(0)),
                d.deviceAttribute(CudaDriver.ATTRIBUTE_CC_MINOR, d.deviceGet(0)), importer.kernelImage());

        // device copy bandwidth: cuMemcpyDtoD of a 1 GiB buffer, bytes read + written
        long big = 1L << 30;
        long a = d.memAlloc(big);
        long b = d.memAlloc(big);
        int copies = 10;
        copyDtoD(b, a, big, producer.stream);
        d.eventRecord(start, producer.stream);
        for (int i = 0; i < copies; i++) {
            copyDtoD(b, a, big, producer.stream);
        }
        d.eventRecord(end, producer.stream);
        d.eventSynchronize(end);
        double copyMs = d.eventElapsedTime(start, end);
        double dtodGBs = 2.0 * big * copies / (copyMs / 1e3) / 1e9;
        System.out.printf("cuMemcpyDtoD 1 GiB x %d: %.3f ms per copy, %.1f GB/s (read + write)%n", copies, copyMs / copies, dtodGBs);
        d.memFree(a);
        d.memFree(b);

        for (int[] size : new int[][] {{1920, 1080}, {3840, 2160}}) {
            run(d, importer, producer, kernel, start, end, size[0], size[1], dtodGBs);
        }
        d.eventDestroy(start);
        d.eventDestroy(end);
        producer.close();
        importer.close();
        System.out.println("live allocations after close: " + importer.liveAllocations());
    }

    private static void copyDtoD(long dst, long src, long bytes, long stream) {
        JCudaDriverBinding.check(JCudaDriver.cuMemcpyDtoDAsync(JCudaDriverBinding.devicePointer(dst),
                JCudaDriverBinding.devicePointer(src), bytes, JCudaDriverBinding.stream(stream)), "cuMemcpyDtoDAsync");
    }

    private static void run(CudaDriver d, CudaFrameImporter importer, GpuSupport.Producer producer, long kernel,
                            long start, long end, int w, int h, double dtodGBs) throws Exception {
        String name = h == 1080 ? "1080p" : "4K";
        int pitch = w * 4;
        int dstPitch = CudaFrameImporter.nv12Pitch(w);
        long nv12Bytes = (long) dstPitch * h * 3 / 2;
        d.ctxSetCurrent(importer.context());
        long src = d.memAlloc((long) pitch * h);
        long dst = d.memAlloc(nv12Bytes);
        producer.fill(src, pitch, w, h, 1);
        int gridX = (w / 2 + CudaFrameImporter.BLOCK_X - 1) / CudaFrameImporter.BLOCK_X;
        int gridY = (h / 2 + CudaFrameImporter.BLOCK_Y - 1) / CudaFrameImporter.BLOCK_Y;
        int n = 500;
        for (int i = 0; i < 200; i++) { // warm-up: module load, clocks
            d.launchKernel(kernel, gridX, gridY, CudaFrameImporter.BLOCK_X, CudaFrameImporter.BLOCK_Y, producer.stream,
                    src, pitch, dst, dstPitch, w, h, 1);
        }
        long moved = (long) w * h * 4 + (long) w * h * 3 / 2;
        long spin = d.moduleGetFunction(producer.module, "spin_wait");
        // (a) the same source every launch: on H100 (50 MB L2) a 1080p source stays L2-resident.
        // spin_wait first holds the stream ~50 ms, so all launches are queued before the GPU runs them
        // and the events time the GPU, not JCuda's host launch rate.
        d.launchKernel(spin, 1, 1, 1, 1, producer.stream, 100_000_000L);
        d.eventRecord(start, producer.stream);
        for (int i = 0; i < n; i++) {
            d.launchKernel(kernel, gridX, gridY, CudaFrameImporter.BLOCK_X, CudaFrameImporter.BLOCK_Y, producer.stream,
                    src, pitch, dst, dstPitch, w, h, 1);
        }
        d.eventRecord(end, producer.stream);
        d.eventSynchronize(end);
        double sameUs = d.eventElapsedTime(start, end) * 1e3 / n;
        // (b) rotating over >= 256 MB of sources and destinations: every launch reads and writes DRAM
        int copies = (int) Math.max(2, (256L << 20) / moved + 1);
        long[] srcs = new long[copies];
        long[] dsts = new long[copies];
        for (int i = 0; i < copies; i++) {
            srcs[i] = d.memAlloc((long) pitch * h);
            dsts[i] = d.memAlloc(nv12Bytes);
            producer.fill(srcs[i], pitch, w, h, i);
        }
        d.launchKernel(spin, 1, 1, 1, 1, producer.stream, 100_000_000L);
        d.eventRecord(start, producer.stream);
        for (int i = 0; i < n; i++) {
            d.launchKernel(kernel, gridX, gridY, CudaFrameImporter.BLOCK_X, CudaFrameImporter.BLOCK_Y, producer.stream,
                    srcs[i % copies], pitch, dsts[i % copies], dstPitch, w, h, 1);
        }
        d.eventRecord(end, producer.stream);
        d.eventSynchronize(end);
        double kernelUs = d.eventElapsedTime(start, end) * 1e3 / n;
        for (int i = 0; i < copies; i++) {
            d.memFree(srcs[i]);
            d.memFree(dsts[i]);
        }
        double kernelGBs = moved / (kernelUs / 1e6) / 1e9;
        double sameGBs = moved / (sameUs / 1e6) / 1e9;
        System.out.printf("%s kernel, DRAM (rotating %d frame buffers): %.2f us per frame (cuEvent, %d launches queued behind a spin kernel), "
                        + "%d bytes moved -> %.1f GB/s = %.1f%% of DtoD%n",
                name, copies, kernelUs, n, moved, kernelGBs, 100 * kernelGBs / dtodGBs);
        System.out.printf("%s kernel, same buffer every launch (L2 may hold it): %.2f us per frame -> %.1f GB/s = %.1f%% of DtoD%n",
                name, sameUs, sameGBs, 100 * sameGBs / dtodGBs);

        // NV12 device -> pinned host copy
        CudaDriver.HostMemory host = d.memAllocHost(nv12Bytes);
        copies = 100;
        d.memcpyDtoHAsync(host, 0, dst, nv12Bytes, producer.stream);
        d.launchKernel(spin, 1, 1, 1, 1, producer.stream, 100_000_000L);
        d.eventRecord(start, producer.stream);
        for (int i = 0; i < copies; i++) {
            d.memcpyDtoHAsync(host, 0, dst, nv12Bytes, producer.stream);
        }
        d.eventRecord(end, producer.stream);
        d.eventSynchronize(end);
        double copyUs = d.eventElapsedTime(start, end) * 1e3 / copies;
        System.out.printf("%s NV12 DtoH (pinned): %.1f us per copy of %d bytes, %.1f GB/s%n", name, copyUs, nv12Bytes,
                nv12Bytes / (copyUs / 1e6) / 1e9);
        d.memFreeHost(host);

        // importFrame: host time to return, and to ready (awaitReady), holding 2 like the runtime
        ServerConfig config = ServerConfig.builder().width(w).height(h).build();
        long producerEvent = d.eventCreate(CudaDriver.EVENT_DISABLE_TIMING);
        VideoFrame frame = VideoFrame.deviceBuffer(src, w, h, pitch).withSync(CudaSync.onEvent(producer.stream, producerEvent));
        Deque<ImportedFrame> held = new ArrayDeque<>();
        int frames = 2000;
        long[] returnNs = new long[frames];
        long[] readyNs = new long[frames];
        for (int i = 0; i < frames + 50; i++) {
            d.eventRecord(producerEvent, producer.stream);
            long t0 = System.nanoTime();
            ImportedFrame imported = importer.importFrame(frame, config);
            long t1 = System.nanoTime();
            imported.awaitReady();
            long t2 = System.nanoTime();
            if (i >= 50) {
                returnNs[i - 50] = t1 - t0;
                readyNs[i - 50] = t2 - t0;
            }
            held.add(imported);
            if (held.size() > 2) {
                held.poll().close();
            }
        }
        while (!held.isEmpty()) {
            held.poll().close();
        }
        Arrays.sort(returnNs);
        Arrays.sort(readyNs);
        System.out.printf("%s importFrame return (host clock, %d frames): median %.1f us, p99 %.1f us, max %.1f us; "
                        + "importFrame+awaitReady: median %.1f us, p99 %.1f us%n", name, frames,
                returnNs[frames / 2] / 1e3, returnNs[frames * 99 / 100] / 1e3, returnNs[frames - 1] / 1e3,
                readyNs[frames / 2] / 1e3, readyNs[frames * 99 / 100] / 1e3);
        d.eventDestroy(producerEvent);
        d.memFree(src);
        d.memFree(dst);
    }
}
