package io.framewire.plugin.cuda;

import io.framewire.api.CudaArrayInterface;
import io.framewire.api.CudaSync;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.ImportedFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On a real GPU (skipped, visibly, without one): frames written by a kernel on ANOTHER stream, imported
 * with GPU-side ordering only, compared byte for byte with the CPU reference; no memory growth.
 */
class CudaImportGpuTest {
    private static CudaDriver driver;
    private static CudaFrameImporter importer;
    private static GpuSupport.Producer producer;

    @BeforeAll
    static void gpu() throws Exception {
        if (GpuSupport.unavailableReason() != null) {
            return; // every test is skipped in @BeforeEach, with the reason
        }
        driver = new JCudaDriverBinding();
        importer = new CudaFrameImporter(driver, 0);
        producer = new GpuSupport.Producer(driver, importer);
        System.out.println("GPU: " + importer.deviceName() + ", kernel image " + importer.kernelImage());
    }

    @BeforeEach
    void needsGpu() {
        String why = GpuSupport.unavailableReason();
        assumeTrue(why == null, "SKIPPED: no CUDA device/driver on this machine (" + why + ")");
    }

    @AfterAll
    static void release() {
        if (importer != null) {
            producer.close();
            importer.close();
            assertEquals(0, importer.liveAllocations());
        }
    }

    /** sync: event (CudaSync.onEvent), stream (the producer's handle), legacy (1), cai (descriptor with stream). */
    @ParameterizedTest(name = "{0}x{1} pitch +{2} sync={3}")
    @CsvSource({
            "1920, 1080, 256, event",
            "1920, 1080, 0, stream",
            "1282, 722, 4, event",
            "3840, 2160, 512, cai",
            "64, 48, 36, legacy",
    })
    void convertsExactlyLikeTheCpuReference(int w, int h, int extraPitch, String sync) throws Exception {
        ServerConfig config = ServerConfig.builder().width(w).height(h).build();
        int pitch = w * 4 + extraPitch;
        driver.ctxSetCurrent(importer.context());
        long src = driver.memAlloc((long) pitch * h);
        long event = driver.eventCreate(CudaDriver.EVENT_DISABLE_TIMING);
        try {
            for (int seed = 1; seed <= 8; seed++) { // keep the producer busy: the import must wait on the GPU
                producer.fill(src, pitch, w, h, seed);
            }
            VideoFrame frame;
            switch (sync) {
                case "event" -> {
                    driver.eventRecord(event, producer.stream);
                    frame = VideoFrame.deviceBuffer(src, w, h, pitch).withSync(CudaSync.onEvent(producer.stream, event));
                }
                case "stream" -> frame = VideoFrame.deviceBuffer(src, w, h, pitch).withSync(CudaSync.onStream(producer.stream));
                case "cai" -> frame = VideoFrame.fromCudaArray(new CudaArrayInterface(new long[] {h, w, 4}, "|u1", src,
                        false, new long[] {pitch, 4, 1}, 3, producer.stream));
                case "legacy" -> {
                    driver.streamSynchronize(producer.stream); // legacy-stream work: produce on stream 1
                    producer.driver.launchKernel(producer.fill, (w + 31) / 32, (h + 7) / 8, 32, 8, CudaDriver.STREAM_LEGACY,
                            src, pitch, w, h, 8);
                    frame = VideoFrame.deviceBuffer(src, w, h, pitch).withSync(CudaSync.onStream(1));
                }
                default -> throw new IllegalArgumentException(sync);
            }
            try (ImportedFrame imported = importer.importFrame(frame, config)) {
                imported.awaitReady();
                driver.streamSynchronize(producer.stream);
                byte[] bgra = GpuSupport.readBack(src, pitch * h);
                assertEquals(Nv12Reference.pattern(5, 3, 2, 8), bgra[3 * pitch + 5 * 4 + 2] & 0xFF, "the fill kernel's pattern");
                VideoFrame nv12 = imported.frame();
                int dstPitch = nv12.pitchBytes();
                byte[] expected = Nv12Reference.convert(bgra, pitch, w, h, dstPitch);
                compare("Y", nv12.hostBuffer(), expected, 0, dstPitch, w, h);
                compare("UV", nv12.chromaBuffer(), expected, dstPitch * h, dstPitch, w, h / 2);
            }
        } finally {
            driver.memFree(src);
            driver.eventDestroy(event);
        }
    }

    private static void compare(String plane, ByteBuffer actual, byte[] expected, int offset, int pitch, int w, int rows) {
        int mismatches = 0;
        String first = null;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < w; x++) {
                int a = actual.get(actual.position() + y * pitch + x) & 0xFF;
                int e = expected[offset + y * pitch + x] & 0xFF;
                if (a != e) {
                    mismatches++;
                    if (first == null) {
                        first = plane + "(" + x + "," + y + ") = " + a + ", expected " + e;
                    }
                }
            }
        }
        if (mismatches > 0) {
            fail(mismatches + " " + plane + " bytes differ from the CPU reference; first " + first);
        }
    }

    @Test
    void hostPointersAreRefusedByThePointerCheck() {
        ServerConfig config = ServerConfig.builder().width(64).height(48).build();
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> importer.importFrame(VideoFrame.deviceBuffer(0x10000L, 64, 48, 256), config));
        assertTrue(e.getMessage().contains("not CUDA device memory"), e.getMessage());
        System.out.println("unknown pointer refused: " + e.getMessage());
        driver.ctxSetCurrent(importer.context());
        CudaDriver.HostMemory pinned = driver.memAllocHost(256 * 48);
        try {
            long address = JCudaDriverBinding.handle((jcuda.Pointer) pinned.handle());
            e = assertThrows(InvalidFrameException.class,
                    () -> importer.importFrame(VideoFrame.deviceBuffer(address, 64, 48, 256), config));
            assertTrue(e.getMessage().contains("pinned host memory"), e.getMessage());
            System.out.println("pinned host pointer refused: " + e.getMessage());
        } finally {
            driver.memFreeHost(pinned);
        }
    }

    @Test
    void tenThousandFramesDoNotGrowDeviceMemory() throws Exception {
        int w = 1920;
        int h = 1080;
        int pitch = w * 4;
        ServerConfig config = ServerConfig.builder().width(w).height(h).build();
        driver.ctxSetCurrent(importer.context());
        long src = driver.memAlloc((long) pitch * h);
        long event = driver.eventCreate(CudaDriver.EVENT_DISABLE_TIMING);
        Deque<ImportedFrame> held = new ArrayDeque<>();
        try {
            producer.fill(src, pitch, w, h, 3);
            driver.eventRecord(event, producer.stream);
            VideoFrame frame = VideoFrame.deviceBuffer(src, w, h, pitch).withSync(CudaSync.onEvent(producer.stream, event));
            for (int i = 0; i < 3; i++) { // warm-up: the ring's slots for this size
                held.add(importer.importFrame(frame, config));
                if (held.size() > 2) {
                    held.poll().close();
                }
            }
            long slotsBefore = importer.slotsAllocated();
            driver.ctxSetCurrent(importer.context());
            long freeBefore = driver.memGetInfo()[0];
            long start = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                driver.eventRecord(event, producer.stream);
                ImportedFrame imported = importer.importFrame(frame, config);
                held.add(imported);
                if (held.size() > 2) { // like the runtime: the encoder's picture + the pending one
                    ImportedFrame oldest = held.poll();
                    oldest.awaitReady();
                    oldest.close();
                }
            }
            while (!held.isEmpty()) {
                held.poll().close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            driver.ctxSetCurrent(importer.context());
            long freeAfter = driver.memGetInfo()[0];
            System.out.printf("10000 frames 1080p in %.2f s (%.0f fps); device free before %d, after %d (diff %d bytes); "
                            + "slots %d -> %d; live allocations %d%n", seconds, 10_000 / seconds, freeBefore, freeAfter,
                    freeBefore - freeAfter, slotsBefore, importer.slotsAllocated(), importer.liveAllocations());
            assertEquals(freeBefore, freeAfter, "device memory must not grow");
            assertEquals(slotsBefore, importer.slotsAllocated(), "no slot allocated after warm-up");
            assertTrue(importer.slotsAllocated() <= 3);
        } finally {
            while (!held.isEmpty()) {
                held.poll().close();
            }
            driver.memFree(src);
            driver.eventDestroy(event);
        }
    }
}
