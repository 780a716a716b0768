package io.framewire.plugin.cuda;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CudaDriver without a GPU: hands out increasing handles, records every call as text
 * ({@code "cuStreamWaitEvent(stream#3, event#9)"}) and keeps the live allocations, so tests can check
 * call order and that everything is freed.
 */
class FakeCudaDriver implements CudaDriver {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Set<Long> liveDevice = Collections.synchronizedSet(new HashSet<>());
    final Set<Long> liveHost = Collections.synchronizedSet(new HashSet<>());
    final Set<Long> liveEvents = Collections.synchronizedSet(new HashSet<>());
    final Set<Long> liveStreams = Collections.synchronizedSet(new HashSet<>());
    /** Producer allocations the fake knows: base -> {size, memoryType, ordinal}. */
    final Map<Long, long[]> producerMemory = Collections.synchronizedMap(new TreeMap<>());
    private final AtomicLong next = new AtomicLong(100);
    volatile int deviceCount = 1;
    volatile CudaException initFailure;
    volatile int ccMajor = 9;
    volatile int ccMinor = 0;
    volatile int retained;
    volatile boolean failLaunch;

    long register(long base, long size) {
        producerMemory.put(base, new long[] {size, MEMORYTYPE_DEVICE, 0});
        return base;
    }

    private long id() {
        return next.incrementAndGet();
    }

    private void call(String text) {
        calls.add(text);
    }

    static String s(long stream) {
        return stream == STREAM_LEGACY ? "legacy" : stream == STREAM_PER_THREAD ? "per-thread" : "stream#" + stream;
    }

    /** @return the calls recorded from index {@code from} on */
    List<String> callsFrom(int from) {
        synchronized (calls) {
            return new ArrayList<>(calls.subList(from, calls.size()));
        }
    }

    @Override public void init() {
        call("cuInit");
        if (initFailure != null) {
            throw initFailure;
        }
    }

    @Override public int deviceCount() { call("cuDeviceGetCount"); return deviceCount; }

    @Override public int deviceGet(int ordinal) { call("cuDeviceGet(" + ordinal + ")"); return ordinal; }

    @Override public String deviceName(int device) { return "Fake GPU " + device; }

    @Override public int deviceAttribute(int attribute, int device) {
        return attribute == ATTRIBUTE_CC_MAJOR ? ccMajor : attribute == ATTRIBUTE_CC_MINOR ? ccMinor : 0;
    }

    @Override public long primaryCtxRetain(int device) { call("cuDevicePrimaryCtxRetain"); retained++; return 7; }

    @Override public void primaryCtxRelease(int device) { call("cuDevicePrimaryCtxRelease"); retained--; }

    @Override public void ctxSetCurrent(long context) {
        if (context != 7) {
            throw new CudaException("cuCtxSetCurrent", 201, "CUDA_ERROR_INVALID_CONTEXT");
        }
    }

    @Override public long streamCreate(int flags) {
        long id = id();
        liveStreams.add(id);
        call("cuStreamCreate(" + s(id) + ", flags=" + flags + ")");
        return id;
    }

    @Override public void streamDestroy(long stream) { liveStreams.remove(stream); call("cuStreamDestroy(" + s(stream) + ")"); }

    @Override public void streamSynchronize(long stream) { call("cuStreamSynchronize(" + s(stream) + ")"); }

    @Override public void streamWaitEvent(long stream, long event) {
        call("cuStreamWaitEvent(" + s(stream) + ", event#" + event + ")");
    }

    @Override public long eventCreate(int flags) {
        long id = id();
        liveEvents.add(id);
        call("cuEventCreate(event#" + id + ", flags=" + flags + ")");
        return id;
    }

    @Override public void eventRecord(long event, long stream) { call("cuEventRecord(event#" + event + ", " + s(stream) + ")"); }

    @Override public boolean eventQuery(long event) { call("cuEventQuery(event#" + event + ")"); return true; }

    @Override public void eventSynchronize(long event) { call("cuEventSynchronize(event#" + event + ")"); }

    @Override public float eventElapsedTime(long start, long end) { return 1f; }

    @Override public void eventDestroy(long event) { liveEvents.remove(event); call("cuEventDestroy(event#" + event + ")"); }

    @Override public long moduleLoadData(byte[] image) { call("cuModuleLoadData(" + image.length + " bytes)"); return id(); }

    @Override public void moduleUnload(long module) { call("cuModuleUnload"); }

    @Override public long moduleGetFunction(long module, String name) { call("cuModuleGetFunction(" + name + ")"); return id(); }

    @Override public void launchKernel(long function, int gridX, int gridY, int blockX, int blockY, long stream, Object... args) {
        if (failLaunch) {
            throw new CudaException("cuLaunchKernel", 719, "CUDA_ERROR_LAUNCH_FAILED");
        }
        call("cuLaunchKernel(" + s(stream) + ", grid=" + gridX + "x" + gridY + ", dst=dev#" + args[2] + ", aligned8=" + args[6] + ")");
    }

    @Override public long memAlloc(long bytes) {
        long id = id();
        liveDevice.add(id);
        call("cuMemAlloc(dev#" + id + ", " + bytes + ")");
        return id;
    }

    @Override public void memFree(long devicePointer) {
        if (!liveDevice.remove(devicePointer)) {
            throw new CudaException("cuMemFree", 1, "CUDA_ERROR_INVALID_VALUE");
        }
        call("cuMemFree(dev#" + devicePointer + ")");
    }

    @Override public HostMemory memAllocHost(long bytes) {
        long id = id();
        liveHost.add(id);
        call("cuMemAllocHost(host#" + id + ", " + bytes + ")");
        return new HostMemory(bytes, ByteBuffer.allocateDirect((int) bytes), id);
    }

    @Override public void memFreeHost(HostMemory memory) {
        if (!liveHost.remove((Long) memory.handle())) {
            throw new CudaException("cuMemFreeHost", 1, "CUDA_ERROR_INVALID_VALUE");
        }
        call("cuMemFreeHost(host#" + memory.handle() + ")");
    }

    @Override public void memcpyDtoHAsync(HostMemory dst, long dstOffset, long src, long bytes, long stream) {
        call("cuMemcpyDtoHAsync(host#" + dst.handle() + ", dev#" + src + ", " + bytes + ", " + s(stream) + ")");
    }

    private long[] find(long pointer) {
        synchronized (producerMemory) {
            for (Map.Entry<Long, long[]> e : producerMemory.entrySet()) {
                if (pointer >= e.getKey() && pointer < e.getKey() + e.getValue()[0]) {
                    return new long[] {e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]};
                }
            }
        }
        throw new CudaException("cuPointerGetAttribute", 1, "CUDA_ERROR_INVALID_VALUE");
    }

    @Override public int pointerMemoryType(long pointer) { return (int) find(pointer)[2]; }

    @Override public int pointerDeviceOrdinal(long pointer) { return (int) find(pointer)[3]; }

    @Override public long[] memGetAddressRange(long pointer) {
        long[] f = find(pointer);
        return new long[] {f[0], f[1]};
    }

    @Override public long[] memGetInfo() { return new long[] {1L << 30, 1L << 31}; }

    boolean allReleased() {
        return liveDevice.isEmpty() && liveHost.isEmpty() && liveEvents.isEmpty() && liveStreams.isEmpty() && retained == 0;
    }
}
