package io.framewire.runtime;

import io.framewire.testing.spi.Frames;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameImporter;
import io.framewire.api.spi.ImportedFrame;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.RecordingTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.framewire.testing.spi.Frames.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames that go through importers: chains, readiness, and that every import is released exactly once. */
class FrameImportTest {
    private static final long FAKE_DEVICE_POINTER = 0x7f00_0000_1000L;
    private StreamSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    /** Records every import and how often it was closed. */
    static final class CountingImporter implements FrameImporter {
        final VideoFrame.Kind from;
        final List<Counted> imports = new CopyOnWriteArrayList<>();
        final List<String> closeOrder;
        final String name;
        volatile int argb = 0xFF112233;
        volatile RuntimeException failure;
        volatile CountDownLatch readyGate;
        volatile int outputWidth; // 0: the session's width

        CountingImporter(String name, VideoFrame.Kind from, List<String> closeOrder) {
            this.name = name;
            this.from = from;
            this.closeOrder = closeOrder;
        }

        @Override
        public boolean accepts(VideoFrame.Kind kind) {
            return kind == from;
        }

        @Override
        public ImportedFrame importFrame(VideoFrame frame, ServerConfig config) {
            if (failure != null) {
                throw failure;
            }
            VideoFrame out = from == VideoFrame.Kind.DLPACK
                    ? VideoFrame.deviceBuffer(FAKE_DEVICE_POINTER, outputWidth > 0 ? outputWidth : config.width(),
                            config.height(), config.width() * 4)
                    : Frames.solid(frame.width(), frame.height(), argb);
            Counted c = new Counted(out, readyGate);
            imports.add(c);
            return c;
        }

        final class Counted implements ImportedFrame {
            final VideoFrame frame;
            final CountDownLatch gate;
            final AtomicInteger closes = new AtomicInteger();

            Counted(VideoFrame frame, CountDownLatch gate) {
                this.frame = frame;
                this.gate = gate;
            }

            @Override
            public VideoFrame frame() {
                return frame;
            }

            @Override
            public void awaitReady() throws InterruptedException {
                if (gate != null) {
                    assertTrue(gate.await(5, TimeUnit.SECONDS));
                }
            }

            @Override
            public void close() {
                if (closes.incrementAndGet() == 1) {
                    closeOrder.add(name);
                }
            }
        }
    }

    private final List<String> closeOrder = new CopyOnWriteArrayList<>();
    private final CountingImporter cuda = new CountingImporter("cuda", VideoFrame.Kind.DEVICE_BGRA, closeOrder);
    private final CountingImporter dlpack = new CountingImporter("dlpack", VideoFrame.Kind.DLPACK, closeOrder);
    private final RecordingTransport transport = new RecordingTransport();

    private StreamSession start() {
        return start(io.framewire.api.VideoInput.BGRA);
    }

    private StreamSession start(io.framewire.api.VideoInput input) {
        ServerConfig config = ServerConfig.builder().width(64).height(48).fps(50).videoInput(input).build();
        FakeEncoderFactory encoders = new FakeEncoderFactory() {
            @Override
            public java.util.Set<io.framewire.api.VideoInput> inputs() {
                return java.util.Set.of(io.framewire.api.VideoInput.BGRA, io.framewire.api.VideoInput.TENSOR);
            }
        };
        session = StreamSession.builder(config).noSource().encoder("fake", encoders)
                .transport("rec", transport).importer("cuda", cuda).importer("dlpack", dlpack).start();
        return session;
    }

    private static VideoFrame device() {
        return VideoFrame.deviceBuffer(FAKE_DEVICE_POINTER, 64, 48, 256);
    }

    @Test
    void aDeviceFrameIsImportedAndEncodedAtTheNextTick() throws Exception {
        start();
        session.streamVideo(device());
        await("imported picture sent", 5000, () -> !transport.frames.isEmpty() && transport.lastCentrePixel() == cuda.argb);
        assertTrue(session.isReady());
        assertEquals(1, cuda.imports.size());
        assertEquals(0, cuda.imports.get(0).closes.get(), "the encoder's current picture is kept");
    }

    @Test
    void eachImportIsReleasedExactlyOnceWhenTheEncoderMovesOnOrAtClose() throws Exception {
        start();
        for (int i = 0; i < 20; i++) {
            cuda.argb = 0xFF000000 | i;
            session.streamVideo(device());
            Thread.sleep(i % 3 == 0 ? 0 : 25); // some are replaced before the pacer takes them, some are encoded
        }
        await("last picture sent", 5000, () -> transport.lastCentrePixel() == (0xFF000000 | 19));
        session.close();
        assertEquals(20, cuda.imports.size());
        for (CountingImporter.Counted c : cuda.imports) {
            assertEquals(1, c.closes.get(), "every import closed exactly once");
        }
    }

    @Test
    void theCallersBufferIsFreeOnceTheNextStreamVideoReturns() throws Exception {
        start();
        cuda.readyGate = new CountDownLatch(1); // GPU work "still running"
        session.streamVideo(device());
        Thread.sleep(60); // the pacer waits in awaitReady()
        CountingImporter.Counted first = cuda.imports.get(0);
        assertEquals(0, first.closes.get());
        cuda.readyGate.countDown();
        cuda.readyGate = null;
        session.streamVideo(device());
        await("first import released after the second was encoded", 5000, () -> first.closes.get() == 1);
    }

    @Test
    void theNextStreamVideoWaitsUntilTheGpuHasReadThePreviousBuffer() throws Exception {
        start();
        CountDownLatch gpuStillReading = new CountDownLatch(1);
        cuda.readyGate = gpuStillReading;
        session.streamVideo(device());
        await("the pacer took the first import", 5000, () -> cuda.imports.size() == 1);
        Thread.sleep(100); // the pacer is now waiting in awaitReady()
        cuda.readyGate = null;
        java.util.concurrent.CompletableFuture<Void> second =
                java.util.concurrent.CompletableFuture.runAsync(() -> session.streamVideo(device()));
        Thread.sleep(200);
        assertTrue(!second.isDone(), "streamVideo(N+1) must not return while buffer N is still being read");
        gpuStillReading.countDown();
        second.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aDlpackTensorGoesThroughTwoImportersAndIsReleasedInReverseOrder() throws Exception {
        start(io.framewire.api.VideoInput.TENSOR);
        session.streamVideo(VideoFrame.fromDlpack(0x1000, VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED)
                .withSync(io.framewire.api.CudaSync.onStream(1)));
        await("sent", 5000, () -> !transport.frames.isEmpty() && transport.lastCentrePixel() == cuda.argb);
        session.close();
        assertEquals(List.of("cuda", "dlpack"), closeOrder, "the converter lets go before the tensor is deleted");
    }

    @Test
    void aDlpackTensorRefusedByTheSessionRulesIsReleasedOnceNotLeaked() {
        start(io.framewire.api.VideoInput.BGRA); // a DLPack frame breaks the videoInput rule
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> session.streamVideo(
                VideoFrame.fromDlpack(0x1000, VideoFrame.DlpackStruct.MANAGED_TENSOR)));
        assertEquals("kind", e.field());
        assertEquals(1, dlpack.imports.size(), "handed to the DLPack importer to be released");
        assertEquals(1, dlpack.imports.get(0).closes.get(), "released exactly once, at once");
        assertTrue(cuda.imports.isEmpty(), "nothing converted");
    }

    @Test
    void withoutAnImporterTheFrameIsRefusedNamingItsKind() {
        session = StreamSession.builder(Frames.config(64, 48, 50)).noSource().encoder("fake", new FakeEncoderFactory())
                .transport("rec", transport).start();
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> session.streamVideo(device()));
        assertEquals("kind", e.field());
        assertTrue(e.getMessage().startsWith("kind=DEVICE_BGRA: no frame importer is installed"), e.getMessage());
    }

    @Test
    void aFailingImporterReleasesWhatTheChainHeldAndTheStreamGoesOn() throws Exception {
        start(io.framewire.api.VideoInput.TENSOR);
        session.streamVideo(VideoFrame.fromDlpack(0x1000, VideoFrame.DlpackStruct.MANAGED_TENSOR));
        await("sent", 5000, () -> !transport.frames.isEmpty() && transport.lastCentrePixel() == cuda.argb);
        cuda.failure = new InvalidFrameException("pitchBytes", 3, "must be >= width*4 = 256");
        VideoFrame tensor = VideoFrame.fromDlpack(0x2000, VideoFrame.DlpackStruct.MANAGED_TENSOR);
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> session.streamVideo(tensor));
        assertEquals("pitchBytes", e.field());
        assertEquals(1, dlpack.imports.get(1).closes.get(), "the tensor is released on the error path");
        int sent = transport.frames.size();
        await("still streaming", 5000, () -> transport.frames.size() > sent + 3);
    }

    @Test
    void aDeviceFrameOfTheWrongSizeIsRefusedBeforeAnyImport() {
        start();
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(VideoFrame.deviceBuffer(FAKE_DEVICE_POINTER, 32, 48, 128)));
        assertEquals("width", e.field());
        assertTrue(cuda.imports.isEmpty());
    }

    @Test
    void aTensorOfTheWrongSizeIsRefusedAfterItsImportAndReleased() {
        start(io.framewire.api.VideoInput.TENSOR);
        dlpack.outputWidth = 32; // the tensor's shape says 32 wide: only known once read
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> session.streamVideo(VideoFrame.fromDlpack(0x1000, VideoFrame.DlpackStruct.MANAGED_TENSOR)));
        assertEquals("width", e.field());
        assertEquals(1, dlpack.imports.get(0).closes.get(), "the deleter runs on the error path");
        assertEquals(1, cuda.imports.get(0).closes.get());
    }
}
