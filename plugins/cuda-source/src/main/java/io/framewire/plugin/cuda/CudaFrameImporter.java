package io.framewire.plugin.cuda;

import io.framewire.api.CudaSync;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameImporter;
import io.framewire.api.spi.ImportedFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Converts CUDA device frames ({@link VideoFrame.Kind#DEVICE_BGRA}, {@link VideoFrame.Kind#CUDA_ARRAY};
 * BGRA8, pitched) into {@link VideoFrame.Kind#HOST_NV12} pictures in pinned host memory, on the GPU.
 *
 * <p><b>Colour:</b> BT.601 LIMITED range (Y 16..235, U/V 16..240), integer formula
 * {@code Y = 16 + ((66R + 129G + 25B + 128) >> 8)}, {@code U = 128 + ((-38R - 74G + 112B + 128) >> 8)},
 * {@code V = 128 + ((112R - 94G - 18B + 128) >> 8)}, U and V from the rounded 2x2 average of R, G, B
 * (see {@code src/main/cuda/bgra_to_nv12.cu}).
 *
 * <p><b>One frame, never blocking the host</b> ({@link #importFrame}): validate; order the server's own
 * stream after the producer as the frame's {@link CudaSync} says (an event: {@code cuStreamWaitEvent};
 * only a stream, by the CUDA Array Interface rules 1 = legacy default, 2 = per-thread default, else a
 * handle: {@code cuEventRecord} on the producer's stream, then {@code cuStreamWaitEvent}; none: the data
 * is ready now); launch the kernel into a slot's device NV12 buffer; {@code cuMemcpyDtoHAsync} both
 * planes into the slot's pinned buffer; record the slot's completion event; return. The returned
 * {@link ImportedFrame#awaitReady()} and {@link ImportedFrame#close()} synchronise on that event; close
 * then hands the slot back (after it, the GPU no longer reads the caller's buffer).
 *
 * <p><b>Slot ring:</b> {@value #DEFAULT_RING_SIZE} slots (device NV12 + pinned NV12 + completion event),
 * allocated at the first frame of a size, so the conversion of frame N+1 overlaps the encode of
 * frame N. The runtime holds at most three imports at once (the encoder's current picture, the
 * pending one, and the one the pacer is submitting); a fourth import waits until the oldest held one
 * is closed (up to {@value #SLOT_WAIT_MS} ms, then it fails: imports that are never closed are a bug
 * of the caller). Nothing is allocated per frame.
 *
 * <p><b>Release:</b> {@link #close()} waits for the stream, frees every free slot, the stream, events and
 * module and releases the primary context. A slot still held by the runtime is freed when it is
 * closed (waiting up to {@value #SHUTDOWN_WAIT_MS} ms for that in close()), never under a reader.
 *
 * <p>The CUDA context is the device's PRIMARY context (the one the CUDA runtime, PyTorch, CuPy use),
 * made current on whichever thread calls in. A producer stream must belong to it; the per-thread
 * default stream (2) means the calling thread's, so it is only meaningful when frames are pushed
 * from the producer's own thread ({@code streamVideo()}).
 */
public final class CudaFrameImporter implements FrameImporter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CudaFrameImporter.class);

    /** Slots per frame size. */
    public static final int DEFAULT_RING_SIZE = 3;
    /** Longest wait for a free slot in importFrame. */
    public static final long SLOT_WAIT_MS = 2000;
    /** Longest wait in close() for slots the runtime still holds. */
    public static final long SHUTDOWN_WAIT_MS = 500;
    /** Row pitch alignment of the NV12 planes (device and host). */
    public static final int PITCH_ALIGN = 64;
    static final int BLOCK_X = 32;
    static final int BLOCK_Y = 8;
    static final String KERNEL = "bgra_to_nv12";

    private final CudaDriver driver;
    private final int ordinal;
    private final int device;
    private final int ringSize;
    private final String deviceName;
    private final String kernelImage;
    private long context;
    private long stream;
    private long module;
    private long kernel;
    private long producerEvent;

    private final Object importLock = new Object();
    private final Object lock = new Object();
    // guarded by lock
    private Geometry geometry;
    private int slotsOfGeometry;
    private final Deque<Slot> free = new ArrayDeque<>();
    private final Set<Slot> inUse = new LinkedHashSet<>(); // insertion order: the oldest first
    private boolean closing;
    private boolean released;
    private long liveAllocations;
    private long slotsAllocated;
    private long slotWaits;

    /** The layout of one NV12 picture: both planes {@code pitch} apart, UV right after Y. */
    record Geometry(int width, int height, int pitch) {
        static Geometry of(int width, int height) {
            return new Geometry(width, height, (width + PITCH_ALIGN - 1) / PITCH_ALIGN * PITCH_ALIGN);
        }

        long lumaBytes() { return (long) pitch * height; }

        long chromaBytes() { return (long) pitch * (height / 2); }

        long totalBytes() { return lumaBytes() + chromaBytes(); }
    }

    /** Device NV12 + pinned NV12 + completion event. */
    static final class Slot {
        final int id;
        final Geometry geometry;
        final long device;
        final CudaDriver.HostMemory host;
        final long done;

        Slot(int id, Geometry geometry, long device, CudaDriver.HostMemory host, long done) {
            this.id = id;
            this.geometry = geometry;
            this.device = device;
            this.host = host;
            this.done = done;
        }
    }

    /**
     * Opens the importer on device {@code ordinal}: retains its primary context, creates the server's
     * stream and loads the kernel (cubin for the device's compute capability, else PTX JIT).
     *
     * @throws CudaException when a driver call fails (everything made so far is released)
     */
    public CudaFrameImporter(CudaDriver driver, int ordinal, int ringSize) {
        this.driver = Objects.requireNonNull(driver, "driver");
        if (ringSize < 1) {
            throw new IllegalArgumentException("ringSize must be >= 1: " + ringSize);
        }
        this.ordinal = ordinal;
        this.ringSize = ringSize;
        this.device = driver.deviceGet(ordinal);
        this.deviceName = driver.deviceName(device);
        this.context = driver.primaryCtxRetain(device);
        try {
            driver.ctxSetCurrent(context);
            int major = driver.deviceAttribute(CudaDriver.ATTRIBUTE_CC_MAJOR, device);
            int minor = driver.deviceAttribute(CudaDriver.ATTRIBUTE_CC_MINOR, device);
            String loaded = null;
            CudaException lastFailure = null;
            for (String name : KernelImages.candidates(major, minor)) {
                try {
                    module = driver.moduleLoadData(KernelImages.load(name));
                    loaded = name;
                    break;
                } catch (CudaException e) {
                    lastFailure = e; // e.g. a cubin the driver cannot load: try the PTX
                    LOG.debug("Kernel image {} not loadable on compute {}.{}: {}", name, major, minor, e.getMessage());
                } catch (IOException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            if (loaded == null) {
                throw new CudaException("cuModuleLoadData(" + KernelImages.PTX + " on compute " + major + "." + minor
                        + "; nvcc 13 PTX ISA 9.0 needs driver R580+)", lastFailure.code(), lastFailure.errorName());
            }
            kernelImage = loaded;
            kernel = driver.moduleGetFunction(module, KERNEL);
            stream = driver.streamCreate(CudaDriver.STREAM_NON_BLOCKING);
            producerEvent = driver.eventCreate(CudaDriver.EVENT_DISABLE_TIMING);
        } catch (RuntimeException | Error e) {
            releaseContextResources();
            throw e;
        }
    }

    /** Opens the importer on device {@code ordinal} with {@value #DEFAULT_RING_SIZE} slots. */
    public CudaFrameImporter(CudaDriver driver, int ordinal) {
        this(driver, ordinal, DEFAULT_RING_SIZE);
    }

    @Override
    public boolean accepts(VideoFrame.Kind kind) {
        return kind == VideoFrame.Kind.DEVICE_BGRA || kind == VideoFrame.Kind.CUDA_ARRAY;
    }

    @Override
    public ImportedFrame importFrame(VideoFrame frame, ServerConfig config) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(config, "config");
        synchronized (importLock) {
            synchronized (lock) {
                if (closing) {
                    throw new IllegalStateException("the cuda importer is closed");
                }
            }
            validate(frame, config);
            Geometry wanted = Geometry.of(frame.width(), frame.height());
            driver.ctxSetCurrent(context);
            checkDeviceMemory(frame);
            Slot slot = acquire(wanted);
            boolean enqueued = false;
            try {
                orderAfterProducer(frame.cudaSync());
                enqueued = true;
                int w = frame.width();
                int h = frame.height();
                long src = frame.devicePointer();
                int aligned8 = (src % 8 == 0 && frame.pitchBytes() % 8 == 0) ? 1 : 0;
                int gridX = (w / 2 + BLOCK_X - 1) / BLOCK_X;
                int gridY = (h / 2 + BLOCK_Y - 1) / BLOCK_Y;
                driver.launchKernel(kernel, gridX, gridY, BLOCK_X, BLOCK_Y, stream,
                        src, frame.pitchBytes(), slot.device, wanted.pitch(), w, h, aligned8);
                driver.memcpyDtoHAsync(slot.host, 0, slot.device, wanted.totalBytes(), stream);
                driver.eventRecord(slot.done, stream);
                return new Nv12Import(slot, view(slot));
            } catch (RuntimeException | Error e) {
                if (enqueued) {
                    try {
                        driver.streamSynchronize(stream); // nothing may still read the caller's buffer
                    } catch (RuntimeException s) {
                        e.addSuppressed(s);
                    }
                }
                release(slot, false);
                throw e;
            }
        }
    }

    private void validate(VideoFrame frame, ServerConfig config) {
        if (!accepts(frame.kind())) {
            throw new InvalidFrameException("kind", frame.kind(), "the cuda importer takes DEVICE_BGRA and CUDA_ARRAY");
        }
        if (frame.pitchBytes() < frame.width() * 4L) {
            throw new InvalidFrameException("pitchBytes", frame.pitchBytes(), "must be >= width*4 = " + frame.width() * 4L);
        }
        if (frame.width() != config.width()) {
            throw new InvalidFrameException("width", frame.width(), "must equal the session width " + config.width());
        }
        if (frame.height() != config.height()) {
            throw new InvalidFrameException("height", frame.height(), "must equal the session height " + config.height());
        }
        if (frame.width() % 2 != 0 || frame.height() % 2 != 0) {
            throw new InvalidFrameException(frame.width() % 2 != 0 ? "width" : "height",
                    frame.width() % 2 != 0 ? frame.width() : frame.height(), "must be even for NV12");
        }
    }

    /** The pointer must be device memory of this importer's device, holding the whole pitched frame. */
    private void checkDeviceMemory(VideoFrame frame) {
        String field = frame.kind() == VideoFrame.Kind.CUDA_ARRAY ? "data" : "buffer";
        long pointer = frame.devicePointer();
        String hex = "0x" + Long.toHexString(pointer);
        long needed = (long) frame.pitchBytes() * (frame.height() - 1) + frame.width() * 4L;
        try {
            int type = driver.pointerMemoryType(pointer);
            if (type != CudaDriver.MEMORYTYPE_DEVICE) {
                throw new InvalidFrameException(field, hex, "is " + memoryTypeName(type)
                        + " memory, not CUDA device memory (cuPointerGetAttribute MEMORY_TYPE=" + type + ")");
            }
            int owner = driver.pointerDeviceOrdinal(pointer);
            if (owner != ordinal) {
                throw new InvalidFrameException(field, hex, "is memory of CUDA device " + owner
                        + ", but the cuda importer runs on device " + ordinal);
            }
            long[] range = driver.memGetAddressRange(pointer);
            long available = range[0] + range[1] - pointer;
            if (available < needed) {
                throw new InvalidFrameException(field, hex, "the frame needs pitch*(height-1)+width*4 = " + needed
                        + " bytes, but its allocation holds only " + available + " from this pointer");
            }
        } catch (CudaException e) {
            throw new InvalidFrameException(field, hex, "is not CUDA device memory (" + e.call() + ": "
                    + e.errorName() + ")");
        }
    }

    private static String memoryTypeName(int type) {
        return switch (type) {
            case CudaDriver.MEMORYTYPE_HOST -> "pinned host";
            case 3 -> "CUDA array";
            case 4 -> "unified";
            default -> "type-" + type;
        };
    }

    /** GPU-side ordering after the producer's writes; never blocks the host. */
    private void orderAfterProducer(CudaSync sync) {
        if (sync == null) {
            return; // host ordering: the producer says the data is ready now
        }
        if (sync.hasEvent()) {
            driver.streamWaitEvent(stream, sync.waitEvent());
            return;
        }
        // CUDA Array Interface stream: 1 = legacy default (CU_STREAM_LEGACY), 2 = per-thread default
        // (CU_STREAM_PER_THREAD), else a CUstream handle. The driver API uses the same numbers.
        long producer = sync.stream();
        driver.eventRecord(producerEvent, producer);
        driver.streamWaitEvent(stream, producerEvent);
    }

    private static VideoFrame view(Slot slot) {
        Geometry g = slot.geometry;
        ByteBuffer all = slot.host.buffer();
        ByteBuffer luma = all.slice(0, (int) g.lumaBytes());
        ByteBuffer chroma = all.slice((int) g.lumaBytes(), (int) g.chromaBytes());
        return VideoFrame.hostNv12(luma, chroma, g.width(), g.height(), g.pitch());
    }

    // ---- slot ring ---------------------------------------------------------------------------

    private Slot acquire(Geometry wanted) {
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException("the cuda importer is closed");
            }
            if (!wanted.equals(geometry)) {
                for (Slot s : free) {
                    freeSlot(s);
                }
                free.clear();
                geometry = wanted;
                slotsOfGeometry = 0; // held slots of the old size are freed when closed
            }
            if (free.isEmpty() && slotsOfGeometry < ringSize) {
                free.add(allocateSlot(wanted));
                slotsOfGeometry++;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SLOT_WAIT_MS);
            boolean waited = false;
            while (free.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closing) {
                    throw new IllegalStateException("all " + ringSize + " NV12 slots are held (imports not closed) for "
                            + SLOT_WAIT_MS + " ms" + (closing ? "; the cuda importer is closing" : ""));
                }
                if (!waited) {
                    waited = true;
                    slotWaits++;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a free NV12 slot", e);
                }
            }
            Slot slot = free.poll();
            inUse.add(slot);
            return slot;
        }
    }

    private Slot allocateSlot(Geometry g) {
        long dev = driver.memAlloc(g.totalBytes());
        liveAllocations++;
        CudaDriver.HostMemory host = null;
        try {
            host = driver.memAllocHost(g.totalBytes());
            liveAllocations++;
            long done = driver.eventCreate(CudaDriver.EVENT_BLOCKING_SYNC | CudaDriver.EVENT_DISABLE_TIMING);
            slotsAllocated++;
            return new Slot((int) slotsAllocated, g, dev, host, done);
        } catch (RuntimeException e) {
            if (host != null) {
                CudaDriver.HostMemory h = host;
                safely(() -> driver.memFreeHost(h), e);
                liveAllocations--;
            }
            safely(() -> driver.memFree(dev), e);
            liveAllocations--;
            throw e;
        }
    }

    private void freeSlot(Slot slot) {
        safely(() -> driver.eventDestroy(slot.done), null);
        safely(() -> driver.memFreeHost(slot.host), null);
        liveAllocations--;
        safely(() -> driver.memFree(slot.device), null);
        liveAllocations--;
    }

    /** Waits for the slot's conversion and copy (the GPU has finished reading the caller's buffer). */
    private void awaitSlot(Slot slot) {
        driver.ctxSetCurrent(context);
        driver.eventSynchronize(slot.done);
    }

    private void release(Slot slot, boolean sync) {
        RuntimeException failure = null;
        if (sync) {
            try {
                awaitSlot(slot);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        synchronized (lock) {
            inUse.remove(slot);
            if (released || closing || !slot.geometry.equals(geometry)) {
                if (!released) {
                    driver.ctxSetCurrent(context);
                }
                freeSlot(slot);
                if (closing && inUse.isEmpty() && !released) {
                    releaseContextResources();
                }
            } else {
                free.add(slot);
            }
            lock.notifyAll();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A frame held in one slot. */
    private final class Nv12Import implements ImportedFrame {
        private final Slot slot;
        private final VideoFrame frame;
        private final AtomicBoolean closed = new AtomicBoolean();

        Nv12Import(Slot slot, VideoFrame frame) {
            this.slot = slot;
            this.frame = frame;
        }

        @Override
        public VideoFrame frame() {
            return frame;
        }

        @Override
        public void awaitReady() {
            if (closed.get()) {
                return; // close() waited for the slot's work before it returned
            }
            awaitSlot(slot);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(slot, true);
            }
        }

        @Override
        public String toString() {
            return "Nv12Import[slot " + slot.id + " " + frame + "]";
        }
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /**
     * Releases all GPU memory: waits for the stream, frees every free slot, waits up to
     * {@value #SHUTDOWN_WAIT_MS} ms for slots still held, then destroys the stream, events and module
     * and releases the primary context (or leaves that to the last held slot's close()).
     */
    @Override
    public void close() {
        synchronized (importLock) {
            synchronized (lock) {
                if (closing) {
                    return;
                }
                closing = true;
                lock.notifyAll();
            }
            try {
                driver.ctxSetCurrent(context);
                driver.streamSynchronize(stream);
            } catch (RuntimeException e) {
                LOG.warn("Waiting for the CUDA importer's stream failed: {}", e.getMessage());
            }
            synchronized (lock) {
                for (Slot s : free) {
                    freeSlot(s);
                }
                free.clear();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_WAIT_MS);
                while (!inUse.isEmpty() && !released) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                if (!released) {
                    if (inUse.isEmpty()) {
                        releaseContextResources();
                    } else {
                        LOG.warn("{} NV12 slot(s) still held by the runtime after {} ms; they are freed when closed",
                                inUse.size(), SHUTDOWN_WAIT_MS);
                    }
                }
            }
        }
    }

    private void releaseContextResources() {
        released = true;
        if (context == 0) {
            return;
        }
        safely(() -> driver.ctxSetCurrent(context), null);
        if (producerEvent != 0) {
            safely(() -> driver.eventDestroy(producerEvent), null);
            producerEvent = 0;
        }
        if (stream != 0) {
            safely(() -> driver.streamDestroy(stream), null);
            stream = 0;
        }
        if (module != 0) {
            safely(() -> driver.moduleUnload(module), null);
            module = 0;
        }
        safely(() -> driver.primaryCtxRelease(device), null);
        context = 0;
    }

    private static void safely(Runnable release, RuntimeException addTo) {
        try {
            release.run();
        } catch (RuntimeException e) {
            if (addTo != null) {
                addTo.addSuppressed(e);
            } else {
                LOG.warn("Releasing a CUDA resource failed: {}", e.getMessage());
            }
        }
    }

    // ---- for tests and the benchmark -----------------------------------------------------------

    /** @return device and pinned allocations alive now (0 after close() once every import is closed) */
    public long liveAllocations() {
        synchronized (lock) {
            return liveAllocations;
        }
    }

    /** @return slots allocated since start (a steady stream of one size allocates {@code ringSize}) */
    public long slotsAllocated() {
        synchronized (lock) {
            return slotsAllocated;
        }
    }

    /** @return how many imports had to wait for a held slot */
    public long slotWaits() {
        synchronized (lock) {
            return slotWaits;
        }
    }

    /** @return the kernel resource loaded (a cubin, or the PTX when JIT-compiled) */
    public String kernelImage() { return kernelImage; }

    /** @return the device's name */
    public String deviceName() { return deviceName; }

    /** @return the server's CUDA stream (for the benchmark's event timing) */
    public long serverStream() { return stream; }

    /** @return the primary context in use */
    public long context() { return context; }

    /** @return the NV12 row pitch used for {@code width} */
    public static int nv12Pitch(int width) {
        return Geometry.of(width, 2).pitch();
    }

    @Override
    public String toString() {
        return "CudaFrameImporter[" + deviceName + ", " + kernelImage + "]";
    }

    List<Integer> freeSlotIds() {
        synchronized (lock) {
            List<Integer> ids = new ArrayList<>();
            free.forEach(s -> ids.add(s.id));
            return ids;
        }
    }
}
