package io.framewire.plugin.cuda;

import io.framewire.api.CudaArrayInterface;
import io.framewire.api.CudaSync;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.ImportedFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The importer against the fake driver: validation, CudaSync ordering, the slot ring, release. */
class CudaFrameImporterTest {
    private static final int W = 64;
    private static final int H = 48;
    private static final int PITCH = 320; // > W*4
    private static final long SRC = 0x7f00_0000_0000L;
    private final ServerConfig config = ServerConfig.builder().width(W).height(H).build();
    private FakeCudaDriver driver;
    private CudaFrameImporter importer;

    @BeforeEach
    void open() {
        driver = new FakeCudaDriver();
        driver.register(SRC, (long) PITCH * H);
        importer = new CudaFrameImporter(driver, 0);
    }

    @AfterEach
    void close() {
        importer.close();
    }

    private static VideoFrame frame() {
        return VideoFrame.deviceBuffer(SRC, W, H, PITCH);
    }

    private String serverStream() {
        return FakeCudaDriver.s(importer.serverStream());
    }

    /** @return the calls importFrame made, after checking that none of them blocks the host */
    private List<String> importCalls(VideoFrame frame) {
        int from = driver.calls.size();
        ImportedFrame imported = importer.importFrame(frame, config);
        List<String> calls = driver.callsFrom(from);
        for (String c : calls) {
            assertFalse(c.startsWith("cuEventSynchronize") || c.startsWith("cuStreamSynchronize"),
                    "importFrame must not block the host: " + calls);
        }
        imported.close();
        return calls.stream().filter(c -> !c.startsWith("cuMemAlloc") && !c.startsWith("cuEventCreate")).toList();
    }

    // ---- validation ------------------------------------------------------------------------

    @Test
    void aFrameOfAnotherSizeThanTheSessionIsRefused() {
        driver.register(0x1000_0000L, 1 << 20);
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> importer.importFrame(VideoFrame.deviceBuffer(0x1000_0000L, 32, H, 128), config));
        assertEquals("width", e.field());
        assertTrue(e.getMessage().contains("session width 64"), e.getMessage());
        e = assertThrows(InvalidFrameException.class,
                () -> importer.importFrame(VideoFrame.deviceBuffer(0x1000_0000L, W, 40, PITCH), config));
        assertEquals("height", e.field());
    }

    @Test
    void aHostPointerIsRefusedNamingTheField() {
        int before = driver.calls.size();
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> importer.importFrame(VideoFrame.deviceBuffer(0x5555_0000L, W, H, PITCH), config));
        assertEquals("buffer", e.field());
        assertEquals("0x55550000", e.value());
        assertTrue(e.getMessage().contains("is not CUDA device memory") && e.getMessage().contains("CUDA_ERROR_INVALID_VALUE"),
                e.getMessage());
        assertTrue(driver.callsFrom(before).stream().noneMatch(c -> c.startsWith("cuLaunchKernel") || c.startsWith("cuMemAlloc")),
                "nothing is enqueued or allocated for a refused frame");
    }

    @Test
    void pinnedHostMemoryAndOtherDevicesAreRefused() {
        driver.producerMemory.put(0x2000_0000L, new long[] {1 << 20, CudaDriver.MEMORYTYPE_HOST, 0});
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> importer.importFrame(VideoFrame.deviceBuffer(0x2000_0000L, W, H, PITCH), config));
        assertTrue(e.getMessage().contains("pinned host memory, not CUDA device memory"), e.getMessage());
        driver.producerMemory.put(0x3000_0000L, new long[] {1 << 20, CudaDriver.MEMORYTYPE_DEVICE, 1});
        e = assertThrows(InvalidFrameException.class,
                () -> importer.importFrame(VideoFrame.deviceBuffer(0x3000_0000L, W, H, PITCH), config));
        assertTrue(e.getMessage().contains("memory of CUDA device 1"), e.getMessage());
    }

    @Test
    void anAllocationTooSmallForPitchTimesHeightIsRefused() {
        driver.register(0x4000_0000L, (long) W * 4 * H); // tight, but the frame claims a wider pitch
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> importer.importFrame(VideoFrame.deviceBuffer(0x4000_0000L, W, H, PITCH), config));
        assertTrue(e.getMessage().contains("needs pitch*(height-1)+width*4 = " + ((long) PITCH * (H - 1) + W * 4)),
                e.getMessage());
    }

    @Test
    void aCudaArrayIsCheckedUnderItsOwnFieldName() {
        CudaArrayInterface cai = new CudaArrayInterface(new long[] {H, W, 4}, "|u1", 0x6000_0000L, false, null, 3, null);
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> importer.importFrame(VideoFrame.fromCudaArray(cai), config));
        assertEquals("data", e.field());
    }

    @Test
    void hostFramesAreNotTaken() {
        assertTrue(importer.accepts(VideoFrame.Kind.DEVICE_BGRA));
        assertTrue(importer.accepts(VideoFrame.Kind.CUDA_ARRAY));
        assertFalse(importer.accepts(VideoFrame.Kind.HOST_BGRA));
        assertFalse(importer.accepts(VideoFrame.Kind.DLPACK));
        VideoFrame host = VideoFrame.hostBuffer(java.nio.ByteBuffer.allocate(W * 4 * H), W, H, W * 4);
        assertEquals("kind", assertThrows(InvalidFrameException.class, () -> importer.importFrame(host, config)).field());
    }

    @Test
    void anUnalignedPitchTakesTheByteLoadPath() {
        driver.register(0x8000_0000L, 1 << 20);
        List<String> calls = importCalls(VideoFrame.deviceBuffer(0x8000_0000L, W, H, W * 4 + 4));
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("cuLaunchKernel") && c.contains("aligned8=0")), calls.toString());
        calls = importCalls(frame());
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("cuLaunchKernel") && c.contains("aligned8=1")), calls.toString());
    }

    // ---- CudaSync ----------------------------------------------------------------------------

    @Test
    void aWaitEventMakesTheServerStreamWaitOnIt() {
        List<String> calls = importCalls(frame().withSync(CudaSync.onEvent(0x999, 0x4242)));
        assertEquals("cuStreamWaitEvent(" + serverStream() + ", event#" + 0x4242 + ")", calls.get(0));
        assertTrue(calls.get(1).startsWith("cuLaunchKernel(" + serverStream()), calls.toString());
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("cuEventRecord") && c.contains("stream#" + 0x999)),
                "no event is recorded on the producer's stream when it gave one: " + calls);
    }

    @Test
    void aStreamIsFollowedWithAnEventRecordedOnItThenAWait() {
        for (long stream : new long[] {1, 2, 0xABCDEF}) {
            List<String> calls = importCalls(frame().withSync(CudaSync.onStream(stream)));
            String producer = FakeCudaDriver.s(stream);
            assertTrue(calls.get(0).startsWith("cuEventRecord(event#") && calls.get(0).endsWith(", " + producer + ")"),
                    "stream " + stream + ": " + calls);
            String event = calls.get(0).substring("cuEventRecord(".length(), calls.get(0).indexOf(','));
            assertEquals("cuStreamWaitEvent(" + serverStream() + ", " + event + ")", calls.get(1));
            assertTrue(calls.get(2).startsWith("cuLaunchKernel(" + serverStream()), calls.toString());
        }
        assertEquals("legacy", FakeCudaDriver.s(1));
        assertEquals("per-thread", FakeCudaDriver.s(2));
    }

    @Test
    void aCudaArrayStreamFollowsTheSameRules() {
        CudaArrayInterface cai = new CudaArrayInterface(new long[] {H, W, 4}, "|u1", SRC, true,
                new long[] {PITCH, 4, 1}, 3, 2L);
        List<String> calls = importCalls(VideoFrame.fromCudaArray(cai));
        assertTrue(calls.get(0).startsWith("cuEventRecord(") && calls.get(0).endsWith(", per-thread)"), calls.toString());
        assertTrue(calls.get(1).startsWith("cuStreamWaitEvent(" + serverStream()), calls.toString());
    }

    @Test
    void noSyncMeansNoWait() {
        List<String> calls = importCalls(frame());
        assertTrue(calls.get(0).startsWith("cuLaunchKernel(" + serverStream()), calls.toString());
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("cuStreamWaitEvent")), calls.toString());
        assertTrue(calls.get(1).startsWith("cuMemcpyDtoHAsync("), calls.toString());
        assertTrue(calls.get(1).endsWith(serverStream() + ")"), calls.toString());
        assertTrue(calls.get(2).startsWith("cuEventRecord(") && calls.get(2).endsWith(serverStream() + ")"), calls.toString());
    }

    // ---- result, ring, release ---------------------------------------------------------------

    @Test
    void theResultIsHostNv12OverPinnedMemory() throws Exception {
        ImportedFrame imported = importer.importFrame(frame(), config);
        VideoFrame nv12 = imported.frame();
        assertEquals(VideoFrame.Kind.HOST_NV12, nv12.kind());
        assertEquals(W, nv12.width());
        assertEquals(H, nv12.height());
        assertEquals(64, nv12.pitchBytes());
        assertTrue(nv12.hostBuffer().isDirect());
        assertEquals(64 * H, nv12.hostBuffer().remaining());
        assertEquals(64 * H / 2, nv12.chromaBuffer().remaining());
        int before = driver.calls.size();
        imported.awaitReady();
        assertTrue(driver.callsFrom(before).get(0).startsWith("cuEventSynchronize"), driver.callsFrom(before).toString());
        imported.close();
    }

    @Test
    void threeSlotsAreReusedAndCloseWaitsForTheSlotsEventBeforeFreeingIt() throws Exception {
        ImportedFrame a = importer.importFrame(frame(), config);
        ImportedFrame b = importer.importFrame(frame(), config);
        ImportedFrame c = importer.importFrame(frame(), config);
        assertEquals(3, importer.slotsAllocated());
        assertEquals(6, importer.liveAllocations()); // device + pinned per slot
        int before = driver.calls.size();
        a.close();
        a.close(); // idempotent
        List<String> closeCalls = driver.callsFrom(before);
        assertEquals(1, closeCalls.size(), closeCalls.toString());
        assertTrue(closeCalls.get(0).startsWith("cuEventSynchronize(event#"), closeCalls.toString());
        String aDevice = deviceOf(a);
        ImportedFrame d = importer.importFrame(frame(), config);
        assertEquals(3, importer.slotsAllocated(), "a closed slot is reused, nothing new is allocated");
        assertEquals(aDevice, deviceOf(d));
        for (ImportedFrame f : List.of(b, c, d)) {
            f.close();
        }
        for (int i = 0; i < 50; i++) {
            importer.importFrame(frame(), config).close();
        }
        assertEquals(3, importer.slotsAllocated());
    }

    private String deviceOf(ImportedFrame imported) {
        String s = imported.toString(); // Nv12Import[slot N ...]
        return s.substring(0, s.indexOf(' ', "Nv12Import[slot ".length()));
    }

    @Test
    void aFourthImportWaitsForTheOldestHeldSlotToBeClosed() throws Exception {
        ImportedFrame a = importer.importFrame(frame(), config);
        ImportedFrame b = importer.importFrame(frame(), config);
        ImportedFrame c = importer.importFrame(frame(), config);
        CompletableFuture<ImportedFrame> fourth = CompletableFuture.supplyAsync(() -> importer.importFrame(frame(), config));
        assertThrows(TimeoutException.class, () -> fourth.get(200, TimeUnit.MILLISECONDS));
        a.close();
        ImportedFrame d = fourth.get(2, TimeUnit.SECONDS);
        assertEquals(deviceOf(a), deviceOf(d));
        assertEquals(1, importer.slotWaits());
        assertEquals(3, importer.slotsAllocated());
        b.close();
        c.close();
        d.close();
    }

    @Test
    void aFailedLaunchReleasesTheSlotAndWaitsForTheStream() {
        driver.failLaunch = true;
        int before = driver.calls.size();
        CudaException e = assertThrows(CudaException.class, () -> importer.importFrame(frame(), config));
        assertEquals("CUDA_ERROR_LAUNCH_FAILED", e.errorName());
        assertTrue(driver.callsFrom(before).contains("cuStreamSynchronize(" + serverStream() + ")"));
        driver.failLaunch = false;
        importer.importFrame(frame(), config).close();
        assertEquals(1, importer.slotsAllocated(), "the slot went back to the ring");
    }

    @Test
    void closeReleasesEveryAllocationStreamEventModuleAndTheContext() {
        for (int i = 0; i < 5; i++) {
            importer.importFrame(frame(), config).close();
        }
        ImportedFrame held = importer.importFrame(frame(), config);
        held.close();
        assertNotEquals(0, importer.liveAllocations());
        importer.close();
        assertEquals(0, importer.liveAllocations());
        assertTrue(driver.allReleased(), "device " + driver.liveDevice + " host " + driver.liveHost
                + " events " + driver.liveEvents + " streams " + driver.liveStreams + " ctx " + driver.retained);
        assertThrows(IllegalStateException.class, () -> importer.importFrame(frame(), config));
    }

    @Test
    void aSlotStillHeldAtCloseIsFreedWhenItIsClosed() {
        ImportedFrame held = importer.importFrame(frame(), config);
        importer.importFrame(frame(), config).close();
        importer.close(); // waits SHUTDOWN_WAIT_MS, then leaves the held slot to its close()
        assertEquals(2, importer.liveAllocations());
        assertFalse(driver.allReleased());
        held.close();
        assertEquals(0, importer.liveAllocations());
        assertTrue(driver.allReleased());
    }

    @Test
    void aNewSizeReplacesTheSlots() {
        importer.importFrame(frame(), config).close();
        ServerConfig other = ServerConfig.builder().width(32).height(16).build();
        driver.register(0x9000_0000L, 1 << 20);
        ImportedFrame small = importer.importFrame(VideoFrame.deviceBuffer(0x9000_0000L, 32, 16, 128), other);
        assertEquals(64, small.frame().pitchBytes());
        assertEquals(16, small.frame().height());
        assertEquals(2, importer.liveAllocations(), "the old size's slot was freed");
        small.close();
    }
}
