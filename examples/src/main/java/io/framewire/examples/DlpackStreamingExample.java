package io.framewire.examples;

import io.framewire.api.CudaSync;
import io.framewire.api.HealthReport;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.plugin.cuda.CudaDriver;
import io.framewire.plugin.cuda.CudaFrameImporter;
import io.framewire.plugin.cuda.JCudaDriverBinding;
import io.framewire.plugin.dlpack.DlpackImporter;
import io.framewire.runtime.StreamSession;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An ML pipeline's hand-over, as a DLPack producer does it: each frame is rendered on the GPU and
 * wrapped in a {@code DLManagedTensorVersioned} (kDLCUDA, uint8, shape H x W x 4, strides in
 * elements) built in native memory, then streamed with {@code VideoFrame.fromDlpack}. The server
 * reads the tensor (DLPack importer), converts it on the GPU (CUDA importer) and encodes it.
 *
 * <p>The tensors here have a NULL deleter (allowed by DLPack), so the producer frees each struct
 * itself once the next {@code streamVideo()} has returned: the contract that says when the server is
 * done with a frame. A tensor from PyTorch or CuPy brings its own deleter, which the server calls
 * exactly once at that same point.
 *
 * <pre>
 * java -cp ... io.framewire.examples.DlpackStreamingExample [seconds (0 = until Ctrl-C)] [width height fps]
 * </pre>
 */
public final class DlpackStreamingExample {
    // DLManagedTensorVersioned (DLPack 1.x), x86-64: version@0, manager_ctx@8, deleter@16, flags@24, dl_tensor@32
    private static final int VERSIONED_SIZE = 80;
    private static final int TENSOR = 32;

    private DlpackStreamingExample() {
    }

    public static void main(String[] args) throws Exception {
        ExampleServer.Args a = ExampleServer.Args.parse(args);
        int seconds = a.seconds();
        int width = a.width();
        int height = a.height();
        int fps = a.fps();
        ServerConfig config = a.config().videoInput(VideoInput.TENSOR).build();

        CudaDriver cuda = new JCudaDriverBinding();
        cuda.init();
        try (CudaFrameImporter gpu = new CudaFrameImporter(cuda, 0);
             StreamSession server = ExampleServer.start(config, Map.of("dlpack", new DlpackImporter(), "cuda", gpu))) {
            cuda.ctxSetCurrent(gpu.context());
            long stream = cuda.streamCreate(CudaDriver.STREAM_NON_BLOCKING);
            long module = cuda.moduleLoadData(ExampleServer.kernelPtx());
            long fill = cuda.moduleGetFunction(module, "fill_bgra_pattern");
            int pitch = (width * 4 + 255) / 256 * 256;
            long[] buffers = {cuda.memAlloc((long) pitch * height), cuda.memAlloc((long) pitch * height)};
            long[] rendered = {cuda.eventCreate(CudaDriver.EVENT_DISABLE_TIMING), cuda.eventCreate(CudaDriver.EVENT_DISABLE_TIMING)};
            Pointer previousTensor = null;
            long interval = TimeUnit.SECONDS.toNanos(1) / fps;
            long start = System.nanoTime();
            int frames = 0;
            System.out.println("Streaming DLPack tensors from " + gpu.deviceName());
            for (long frame = 0; seconds == 0 || System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds); frame++) {
                int slot = (int) (frame & 1);
                cuda.launchKernel(fill, (width + 31) / 32, (height + 7) / 8, 32, 8, stream,
                        buffers[slot], pitch, width, height, (int) frame);
                cuda.eventRecord(rendered[slot], stream);
                Pointer tensor = tensor(buffers[slot], width, height, pitch);
                server.streamVideo(VideoFrame.fromDlpack(tensor.address(), VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED)
                        .withSync(CudaSync.onEvent(stream, rendered[slot])));
                if (previousTensor != null) {
                    Pointer.free(previousTensor); // the server is done with it: the call above returned
                }
                previousTensor = tensor;
                frames++;
                LockSupport.parkNanos(start + (frame + 1) * interval - System.nanoTime());
            }
            HealthReport.Counters counts = server.health().counters();
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("streamed %d DLPack tensors in %.1f s (%.1f fps); server sent %d (%d repeated), %d refused%n",
                    frames, elapsed, frames / elapsed, counts.framesSent(), counts.framesRepeated(), counts.sourceErrors());
            cuda.streamSynchronize(stream);
            server.close();
            if (previousTensor != null) {
                Pointer.free(previousTensor);
            }
            for (int i = 0; i < 2; i++) {
                cuda.memFree(buffers[i]);
                cuda.eventDestroy(rendered[i]);
            }
            cuda.moduleUnload(module);
            cuda.streamDestroy(stream);
        }
    }

    /** A DLManagedTensorVersioned over a pitched BGRA device buffer, its shape and strides in the same block. */
    private static Pointer tensor(long data, int width, int height, int pitch) {
        Pointer block = Pointer.malloc(VERSIONED_SIZE + 48);
        if (block == null || block.isNull()) {
            throw new OutOfMemoryError("malloc for a DLPack tensor");
        }
        BytePointer t = new BytePointer(block).capacity(VERSIONED_SIZE + 48);
        Pointer.memset(t, 0, VERSIONED_SIZE + 48);
        t.putInt(0, 1).putInt(4, 1);                        // DLPack 1.1
        long shape = t.address() + VERSIONED_SIZE;
        long strides = shape + 24;
        t.putLong(TENSOR, data);                              // data
        t.putInt(TENSOR + 8, 2).putInt(TENSOR + 12, 0);       // kDLCUDA, device 0
        t.putInt(TENSOR + 16, 3);                             // ndim
        t.put(TENSOR + 20, (byte) 1).put(TENSOR + 21, (byte) 8).putShort(TENSOR + 22, (short) 1); // uint8 x1
        t.putLong(TENSOR + 24, shape).putLong(TENSOR + 32, strides);
        t.putLong(VERSIONED_SIZE, height).putLong(VERSIONED_SIZE + 8, width).putLong(VERSIONED_SIZE + 16, 4);
        t.putLong(VERSIONED_SIZE + 24, pitch).putLong(VERSIONED_SIZE + 32, 4).putLong(VERSIONED_SIZE + 40, 1);
        return block;
    }
}
