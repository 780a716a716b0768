package io.framewire.testing.receiver;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.Codec;
import io.framewire.plugin.cuda.CudaDriver;
import io.framewire.plugin.cuda.CudaFrameImporter;
import io.framewire.plugin.cuda.JCudaDriverBinding;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.plugin.webrtc.WebRtcTransport;
import io.framewire.runtime.StreamSession;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GPU frames to a decoded picture, where no browser runs (the GPU machine): BGRA frames filled in
 * CUDA device memory are streamed with {@code VideoFrame.deviceBuffer}, converted on the GPU (the CUDA
 * importer), encoded by libx264 and sent by the WebRTC transport; the test receiver decodes them and
 * the colours are the ones written on the GPU. Skipped visibly without a CUDA device.
 */
class GpuFramesEndToEndTest {
    private static final int W = 640;
    private static final int H = 360;
    private static final String TOKEN = "gpu-receiver-token-0123456789";
    /** BGRA little-endian words: B, G, R, A = 0x1E, 0x3C, 0xC8, 0xFF (R 200, G 60, B 30) and a blue band. */
    private static final int BACKGROUND = 0xFFC83C1E;
    private static final int BAND = 0xFF2020E0;

    private static CudaDriver gpu() {
        try {
            CudaDriver d = new JCudaDriverBinding();
            d.init();
            return d.deviceCount() > 0 ? d : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /** Fills a rectangle of BGRA pixels on the GPU (cuMemsetD2D32: one 32-bit word per pixel). */
    private static void fill(long dst, int pitch, int x, int y, int w, int h, int bgra) {
        // JCuda pointer arithmetic: a null device pointer moved by the address is that address
        CUdeviceptr at = new CUdeviceptr().withByteOffset(dst + (long) y * pitch + x * 4L);
        assertEquals(0, JCudaDriver.cuMemsetD2D32(at, pitch, bgra, w, h), "cuMemsetD2D32");
        assertEquals(0, JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    @Test
    void deviceFramesAreDecodedWithTheColoursWrittenOnTheGpu() throws Exception {
        CudaDriver cuda = gpu();
        Assumptions.assumeTrue(cuda != null, "no CUDA device here: GPU frames -> WebRTC -> decode runs on the GPU machine"
                + " (scripts/gpu/run.sh)");
        ServerConfig config = ServerConfig.builder().width(W).height(H).fps(30).build();
        WebRtcTransport transport = new WebRtcTransport(WebRtcTransport.defaultSettings(TOKEN, "127.0.0.1", 0));
        try (CudaFrameImporter importer = new CudaFrameImporter(cuda, 0);
             StreamSession session = StreamSession.builder(config).noSource().importer("cuda", importer)
                     .encoder("libx264", new Libx264EncoderFactory()).transport("webrtc", transport).start()) {
            cuda.ctxSetCurrent(importer.context());
            int pitch = (W * 4 + 255) / 256 * 256;
            long frame = cuda.memAlloc((long) pitch * H);
            try {
                fill(frame, pitch, 0, 0, W, H, BACKGROUND);
                fill(frame, pitch, 0, H / 4, W, H / 4, BAND);
                try (WebRtcTestReceiver rx = WebRtcTestReceiver.connect("http://127.0.0.1:" + transport.port(), TOKEN,
                        Codec.H264)) {
                    DecodedFrame decoded = null;
                    for (int i = 0; i < 60; i++) {
                        session.streamVideo(VideoFrame.deviceBuffer(frame, W, H, pitch));
                        Thread.sleep(33);
                        DecodedFrame f = rx.pollFrame();
                        if (f != null) {
                            decoded = f;
                        }
                    }
                    if (decoded == null) {
                        decoded = rx.awaitFrame(Duration.ofSeconds(5));
                    }
                    assertEquals(W, decoded.width());
                    assertEquals(H, decoded.height());
                    assertNear(decoded.rgb(W / 2, H * 3 / 4), new int[]{200, 60, 30}, "background");
                    assertNear(decoded.rgb(W / 2, H * 3 / 8), new int[]{0x20, 0x20, 0xE0}, "band (blue)");
                    assertTrue(rx.framesDecoded() >= 10, rx.toString());
                    assertEquals(0, session.health().counters().framesRefused(), session.health().toString());
                }
            } finally {
                cuda.memFree(frame);
            }
        }
    }

    private static void assertNear(int[] rgb, int[] want, String where) {
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(rgb[c] - want[c]) <= 16, where + ": got " + java.util.Arrays.toString(rgb) + ", want "
                    + java.util.Arrays.toString(want));
        }
    }
}
