package io.framewire.plugin.dlpack;

import io.framewire.api.CudaSync;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.ImportedFrame;
import io.framewire.plugin.cuda.CudaDriver;
import io.framewire.plugin.cuda.CudaFrameImporter;
import io.framewire.plugin.cuda.JCudaDriverBinding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.framewire.plugin.dlpack.DlpackLayout.KDL_CUDA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DLPack tensor whose data lives in CUDA device memory, filled by a kernel on the producer's
 * stream: the DLPack importer hands it to the CUDA importer, which converts it to NV12 on the GPU.
 * The result must equal the conversion of the same pixels handed over as a plain device buffer,
 * and the tensor's deleter must run exactly once. Skipped (visibly) without a GPU.
 */
class DlpackGpuTest {
    private static String unavailable;

    @BeforeAll
    static void probe() {
        try {
            CudaDriver d = new JCudaDriverBinding();
            d.init();
            unavailable = d.deviceCount() > 0 ? null : "cuDeviceGetCount = 0";
        } catch (Throwable t) {
            unavailable = t.toString();
        }
    }

    @Test
    void aCudaTensorIsConvertedLikeTheSameDeviceBufferAndDeletedOnce() throws Exception {
        Assumptions.assumeTrue(unavailable == null, "SKIPPED: no CUDA device/driver on this machine (" + unavailable + ")");
        int w = 640;
        int h = 360;
        int pitch = w * 4 + 128;
        ServerConfig config = ServerConfig.builder().width(w).height(h).build();
        CudaDriver cuda = new JCudaDriverBinding();
        cuda.init();
        try (CudaFrameImporter gpu = new CudaFrameImporter(cuda, 0); Tensors tensors = new Tensors()) {
            cuda.ctxSetCurrent(gpu.context());
            long stream = cuda.streamCreate(CudaDriver.STREAM_NON_BLOCKING);
            long module = cuda.moduleLoadData(ptx());
            long fill = cuda.moduleGetFunction(module, "fill_bgra_pattern");
            long base = cuda.memAlloc((long) pitch * (h + 1));
            long rendered = cuda.eventCreate(CudaDriver.EVENT_DISABLE_TIMING);
            try {
                // the picture starts one row in: the tensor says so with byte_offset
                cuda.launchKernel(fill, (w + 31) / 32, (h + 7) / 8, 32, 8, stream, base + pitch, pitch, w, h, 7);
                cuda.eventRecord(rendered, stream);

                Tensors.Spec spec = tensors.spec();
                spec.deviceType = KDL_CUDA;
                spec.shape = new long[] {h, w, 4};
                spec.strides = new long[] {pitch, 4, 1}; // elements: uint8, so bytes
                spec.data = base;
                spec.byteOffset = pitch;
                long tensor = spec.build();
                VideoFrame fromDlpack = VideoFrame.fromDlpack(tensor, VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED)
                        .withSync(CudaSync.onEvent(stream, rendered));

                DlpackImporter dlpack = new DlpackImporter();
                ImportedFrame view = dlpack.importFrame(fromDlpack, config);
                assertEquals(VideoFrame.Kind.DEVICE_BGRA, view.frame().kind());
                assertEquals(base + pitch, view.frame().devicePointer());
                ImportedFrame nv12 = gpu.importFrame(view.frame(), config);
                nv12.awaitReady();
                byte[] viaDlpack = bytes(nv12.frame(), w, h);
                nv12.close();
                assertEquals(0, TestNatives.CountingDeleter.callsFor(tensor), "not before close");
                view.close();
                view.close();
                assertEquals(1, TestNatives.CountingDeleter.callsFor(tensor), "exactly once");

                ImportedFrame direct = gpu.importFrame(VideoFrame.deviceBuffer(base + pitch, w, h, pitch)
                        .withSync(CudaSync.onEvent(stream, rendered)), config);
                direct.awaitReady();
                byte[] viaDevice = bytes(direct.frame(), w, h);
                direct.close();

                assertTrue(Arrays.stream(toInts(viaDevice)).distinct().count() > 16, "the pattern is in the picture");
                assertArrayEquals(viaDevice, viaDlpack, "NV12 from the tensor equals NV12 from the same device buffer");
            } finally {
                cuda.streamSynchronize(stream);
                cuda.memFree(base);
                cuda.eventDestroy(rendered);
                cuda.moduleUnload(module);
                cuda.streamDestroy(stream);
            }
        }
    }

    /** The NV12 planes without their pitch padding. */
    private static byte[] bytes(VideoFrame nv12, int w, int h) {
        byte[] out = new byte[w * h * 3 / 2];
        ByteBuffer y = nv12.hostBuffer().duplicate();
        ByteBuffer uv = nv12.chromaBuffer().duplicate();
        for (int row = 0; row < h; row++) {
            y.position(nv12.hostBuffer().position() + row * nv12.pitchBytes());
            y.get(out, row * w, w);
        }
        for (int row = 0; row < h / 2; row++) {
            uv.position(nv12.chromaBuffer().position() + row * nv12.pitchBytes());
            uv.get(out, w * h + row * w, w);
        }
        return out;
    }

    private static int[] toInts(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    private static byte[] ptx() throws Exception {
        try (InputStream in = CudaFrameImporter.class.getResourceAsStream("kernels/bgra_to_nv12.compute_75.ptx")) {
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        }
    }
}
