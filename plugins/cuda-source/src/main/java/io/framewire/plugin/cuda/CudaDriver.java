package io.framewire.plugin.cuda;

import java.nio.ByteBuffer;

/**
 * The few CUDA driver API calls the importer needs, on plain {@code long} handles ({@code CUstream},
 * {@code CUevent}, {@code CUdeviceptr}, ...), so that the importer can be tested with a fake.
 * Every method checks the driver's return code and throws {@link CudaException} (with the
 * {@code cuGetErrorName} text) on any error; {@link #eventQuery} is the only call that treats
 * {@code CUDA_ERROR_NOT_READY} as an answer.
 *
 * <p>Stream handles follow the driver's numbering, which matches the CUDA Array Interface:
 * {@code 0} is the NULL stream, {@value #STREAM_LEGACY} is {@code CU_STREAM_LEGACY},
 * {@value #STREAM_PER_THREAD} is {@code CU_STREAM_PER_THREAD}.
 */
public interface CudaDriver {
    /** {@code CU_STREAM_LEGACY}: the legacy default stream (CUDA Array Interface value 1). */
    long STREAM_LEGACY = 1L;
    /** {@code CU_STREAM_PER_THREAD}: the calling thread's default stream (CUDA Array Interface value 2). */
    long STREAM_PER_THREAD = 2L;

    /** {@code CU_STREAM_NON_BLOCKING}: no implicit ordering with the legacy default stream. */
    int STREAM_NON_BLOCKING = 0x1;
    /** {@code CU_EVENT_BLOCKING_SYNC}: cuEventSynchronize sleeps instead of spinning. */
    int EVENT_BLOCKING_SYNC = 0x1;
    /** {@code CU_EVENT_DISABLE_TIMING}. */
    int EVENT_DISABLE_TIMING = 0x2;

    /** {@code CU_MEMORYTYPE_HOST}. */
    int MEMORYTYPE_HOST = 1;
    /** {@code CU_MEMORYTYPE_DEVICE}. */
    int MEMORYTYPE_DEVICE = 2;

    /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR}. */
    int ATTRIBUTE_CC_MAJOR = 75;
    /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR}. */
    int ATTRIBUTE_CC_MINOR = 76;

    /** Pinned (page-locked) host memory and a direct {@link ByteBuffer} over all of it. */
    record HostMemory(long bytes, ByteBuffer buffer, Object handle) {
    }

    /** {@code cuInit(0)}. */
    void init();

    /** @return {@code cuDeviceGetCount} */
    int deviceCount();

    /** @return the {@code CUdevice} of {@code ordinal} ({@code cuDeviceGet}) */
    int deviceGet(int ordinal);

    /** @return {@code cuDeviceGetName} */
    String deviceName(int device);

    /** @return {@code cuDeviceGetAttribute} */
    int deviceAttribute(int attribute, int device);

    /** @return the device's primary context ({@code cuDevicePrimaryCtxRetain}); the context CUDA runtime users share */
    long primaryCtxRetain(int device);

    /** {@code cuDevicePrimaryCtxRelease}. */
    void primaryCtxRelease(int device);

    /** {@code cuCtxSetCurrent} on the calling thread. */
    void ctxSetCurrent(long context);

    /** @return a new stream ({@code cuStreamCreate}) */
    long streamCreate(int flags);

    /** {@code cuStreamDestroy}. */
    void streamDestroy(long stream);

    /** {@code cuStreamSynchronize} (tests, shutdown and failure paths only). */
    void streamSynchronize(long stream);

    /** {@code cuStreamWaitEvent(stream, event, 0)}: GPU-side ordering, never blocks the host. */
    void streamWaitEvent(long stream, long event);

    /** @return a new event ({@code cuEventCreate}) */
    long eventCreate(int flags);

    /** {@code cuEventRecord}. */
    void eventRecord(long event, long stream);

    /** @return true when the event completed, false on {@code CUDA_ERROR_NOT_READY} ({@code cuEventQuery}) */
    boolean eventQuery(long event);

    /** {@code cuEventSynchronize}. */
    void eventSynchronize(long event);

    /** @return milliseconds between two timing events ({@code cuEventElapsedTime}) */
    float eventElapsedTime(long start, long end);

    /** {@code cuEventDestroy}. */
    void eventDestroy(long event);

    /** @return a module loaded from a cubin or NUL-terminated PTX image ({@code cuModuleLoadData}) */
    long moduleLoadData(byte[] image);

    /** {@code cuModuleUnload}. */
    void moduleUnload(long module);

    /** @return {@code cuModuleGetFunction} */
    long moduleGetFunction(long module, String name);

    /**
     * {@code cuLaunchKernel}; each argument is an {@link Integer} (32-bit) or a {@link Long} (64-bit,
     * also for device pointers).
     */
    void launchKernel(long function, int gridX, int gridY, int blockX, int blockY, long stream, Object... args);

    /** @return device memory ({@code cuMemAlloc}) */
    long memAlloc(long bytes);

    /** {@code cuMemFree}. */
    void memFree(long devicePointer);

    /** @return pinned host memory ({@code cuMemAllocHost}) */
    HostMemory memAllocHost(long bytes);

    /** {@code cuMemFreeHost}. */
    void memFreeHost(HostMemory memory);

    /** {@code cuMemcpyDtoHAsync} into pinned memory at {@code dstOffset}. */
    void memcpyDtoHAsync(HostMemory dst, long dstOffset, long src, long bytes, long stream);

    /** @return {@code cuPointerGetAttribute(CU_POINTER_ATTRIBUTE_MEMORY_TYPE)} ({@link #MEMORYTYPE_DEVICE} for device memory) */
    int pointerMemoryType(long pointer);

    /** @return {@code cuPointerGetAttribute(CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL)} */
    int pointerDeviceOrdinal(long pointer);

    /** @return {base, size} of the allocation holding {@code pointer} ({@code cuMemGetAddressRange}) */
    long[] memGetAddressRange(long pointer);

    /** @return {free, total} bytes of the current context's device ({@code cuMemGetInfo}) */
    long[] memGetInfo();
}
