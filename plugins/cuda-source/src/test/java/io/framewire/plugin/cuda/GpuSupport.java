package io.framewire.plugin.cuda;

import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

/** Shared by the GPU tests and the benchmark: is there a device, and producer-side helpers. */
final class GpuSupport {
    private static volatile String reason;
    private static volatile boolean probed;

    private GpuSupport() {
    }

    /** @return null when a CUDA device is usable, else why not (one line) */
    static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            try {
                CudaDriver d = new JCudaDriverBinding();
                d.init();
                if (d.deviceCount() == 0) {
                    reason = "cuDeviceGetCount = 0";
                }
            } catch (Throwable t) {
                reason = t instanceof LinkageError ? CudaSourceComponent.linkageReason(t) : t.toString();
            }
        }
        return reason;
    }

    /** A producer: its own stream and the fill kernel, in the same (primary) context as the importer. */
    static final class Producer implements AutoCloseable {
        final CudaDriver driver;
        final long stream;
        final long module;
        final long fill;

        Producer(CudaDriver driver, CudaFrameImporter importer) throws Exception {
            this.driver = driver;
            driver.ctxSetCurrent(importer.context());
            stream = driver.streamCreate(CudaDriver.STREAM_NON_BLOCKING);
            module = driver.moduleLoadData(KernelImages.load(importer.kernelImage()));
            fill = driver.moduleGetFunction(module, "fill_bgra_pattern");
        }

        /** Enqueues the fill kernel: byte k of pixel (x, y) = Nv12Reference.pattern(x, y, k, seed). */
        void fill(long dst, int pitch, int width, int height, int seed) {
            driver.launchKernel(fill, (width + 31) / 32, (height + 7) / 8, 32, 8, stream, dst, pitch, width, height, seed);
        }

        @Override
        public void close() {
            driver.streamSynchronize(stream);
            driver.streamDestroy(stream);
            driver.moduleUnload(module);
        }
    }

    /** Synchronous device-to-host copy (test read-back only). */
    static byte[] readBack(long src, int bytes) {
        byte[] out = new byte[bytes];
        JCudaDriverBinding.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), JCudaDriverBinding.devicePointer(src), bytes),
                "cuMemcpyDtoH");
        return out;
    }
}
