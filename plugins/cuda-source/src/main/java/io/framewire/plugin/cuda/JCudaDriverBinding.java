package io.framewire.plugin.cuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUpointer_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@link CudaDriver} over JCuda 12.6.0's driver API ({@code jcuda.driver.JCudaDriver}; needs only
 * {@code libcuda.so.1}). JCuda's own exceptions stay off: every return code is checked here and turned
 * into a {@link CudaException} carrying {@code cuGetErrorName}.
 *
 * <p>Handles cross this interface as {@code long}s; JCuda's handle objects are built from them by
 * setting {@code NativePointerObject.nativePointer} (private, reached once by reflection: JCuda has no
 * public constructor from a raw handle, and producers hand over raw {@code CUstream}/{@code CUevent}
 * values). Loading this class loads JCuda's JNI library, which fails with a {@link LinkageError} when
 * {@code libcuda.so.1} is missing: callers probe inside a try block.
 */
public final class JCudaDriverBinding implements CudaDriver {
    private static final Field NATIVE_POINTER;

    static {
        try {
            NATIVE_POINTER = NativePointerObject.class.getDeclaredField("nativePointer");
            NATIVE_POINTER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Loads JCuda's driver JNI library (and through it libcuda.so.1). */
    public JCudaDriverBinding() {
        JCudaDriver.setExceptionsEnabled(false);
    }

    // ---- handle conversion -------------------------------------------------------------------

    static long handle(NativePointerObject object) {
        try {
            return NATIVE_POINTER.getLong(object);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T extends NativePointerObject> T wrap(T object, long handle) {
        try {
            NATIVE_POINTER.setLong(object, handle);
            return object;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static CUstream stream(long handle) { return wrap(new CUstream(), handle); }

    static CUevent event(long handle) { return wrap(new CUevent(), handle); }

    static CUdeviceptr devicePointer(long address) { return wrap(new CUdeviceptr(), address); }

    static CUdevice device(int device) { return wrap(new CUdevice(), device); }

    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call, result, errorName(result));
        }
    }

    static String errorName(int result) {
        String[] name = new String[1];
        if (JCudaDriver.cuGetErrorName(result, name) == CUresult.CUDA_SUCCESS && name[0] != null) {
            return name[0];
        }
        return CUresult.stringFor(result);
    }

    // ---- CudaDriver --------------------------------------------------------------------------

    @Override
    public void init() {
        check(JCudaDriver.cuInit(0), "cuInit");
    }

    @Override
    public int deviceCount() {
        int[] count = new int[1];
        check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        return count[0];
    }

    @Override
    public int deviceGet(int ordinal) {
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet");
        return (int) handle(device);
    }

    @Override
    public String deviceName(int device) {
        byte[] name = new byte[256];
        check(JCudaDriver.cuDeviceGetName(name, name.length, device(device)), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, StandardCharsets.US_ASCII);
    }

    @Override
    public int deviceAttribute(int attribute, int device) {
        int[] value = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(value, attribute, device(device)), "cuDeviceGetAttribute");
        return value[0];
    }

    @Override
    public long primaryCtxRetain(int device) {
        CUcontext context = new CUcontext();
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device(device)), "cuDevicePrimaryCtxRetain");
        return handle(context);
    }

    @Override
    public void primaryCtxRelease(int device) {
        check(JCudaDriver.cuDevicePrimaryCtxRelease(device(device)), "cuDevicePrimaryCtxRelease");
    }

    @Override
    public void ctxSetCurrent(long context) {
        check(JCudaDriver.cuCtxSetCurrent(wrap(new CUcontext(), context)), "cuCtxSetCurrent");
    }

    @Override
    public long streamCreate(int flags) {
        CUstream stream = new CUstream();
        check(JCudaDriver.cuStreamCreate(stream, flags), "cuStreamCreate");
        return handle(stream);
    }

    @Override
    public void streamDestroy(long stream) {
        check(JCudaDriver.cuStreamDestroy(stream(stream)), "cuStreamDestroy");
    }

    @Override
    public void streamSynchronize(long stream) {
        check(JCudaDriver.cuStreamSynchronize(stream(stream)), "cuStreamSynchronize");
    }

    @Override
    public void streamWaitEvent(long stream, long event) {
        check(JCudaDriver.cuStreamWaitEvent(stream(stream), event(event), 0), "cuStreamWaitEvent");
    }

    @Override
    public long eventCreate(int flags) {
        CUevent event = new CUevent();
        check(JCudaDriver.cuEventCreate(event, flags), "cuEventCreate");
        return handle(event);
    }

    @Override
    public void eventRecord(long event, long stream) {
        check(JCudaDriver.cuEventRecord(event(event), stream(stream)), "cuEventRecord");
    }

    @Override
    public boolean eventQuery(long event) {
        int result = JCudaDriver.cuEventQuery(event(event));
        if (result == CUresult.CUDA_ERROR_NOT_READY) {
            return false;
        }
        check(result, "cuEventQuery");
        return true;
    }

    @Override
    public void eventSynchronize(long event) {
        check(JCudaDriver.cuEventSynchronize(event(event)), "cuEventSynchronize");
    }

    @Override
    public float eventElapsedTime(long start, long end) {
        float[] ms = new float[1];
        check(JCudaDriver.cuEventElapsedTime(ms, event(start), event(end)), "cuEventElapsedTime");
        return ms[0];
    }

    @Override
    public void eventDestroy(long event) {
        check(JCudaDriver.cuEventDestroy(event(event)), "cuEventDestroy");
    }

    @Override
    public long moduleLoadData(byte[] image) {
        CUmodule module = new CUmodule();
        check(JCudaDriver.cuModuleLoadData(module, image), "cuModuleLoadData");
        return handle(module);
    }

    @Override
    public void moduleUnload(long module) {
        check(JCudaDriver.cuModuleUnload(wrap(new CUmodule(), module)), "cuModuleUnload");
    }

    @Override
    public long moduleGetFunction(long module, String name) {
        CUfunction function = new CUfunction();
        check(JCudaDriver.cuModuleGetFunction(function, wrap(new CUmodule(), module), name), "cuModuleGetFunction");
        return handle(function);
    }

    @Override
    public void launchKernel(long function, int gridX, int gridY, int blockX, int blockY, long stream, Object... args) {
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Integer v) {
                params[i] = Pointer.to(new int[] {v});
            } else if (args[i] instanceof Long v) {
                params[i] = Pointer.to(new long[] {v});
            } else {
                throw new IllegalArgumentException("kernel argument " + i + " must be Integer or Long: " + args[i]);
            }
        }
        check(JCudaDriver.cuLaunchKernel(wrap(new CUfunction(), function), gridX, gridY, 1, blockX, blockY, 1, 0,
                stream(stream), Pointer.to(params), null), "cuLaunchKernel");
    }

    @Override
    public long memAlloc(long bytes) {
        CUdeviceptr pointer = new CUdeviceptr();
        check(JCudaDriver.cuMemAlloc(pointer, bytes), "cuMemAlloc");
        return handle(pointer);
    }

    @Override
    public void memFree(long devicePointer) {
        check(JCudaDriver.cuMemFree(devicePointer(devicePointer)), "cuMemFree");
    }

    @Override
    public HostMemory memAllocHost(long bytes) {
        Pointer pointer = new Pointer();
        check(JCudaDriver.cuMemAllocHost(pointer, bytes), "cuMemAllocHost");
        ByteBuffer buffer = pointer.getByteBuffer(0, bytes); // a direct buffer over the pinned memory
        return new HostMemory(bytes, buffer, pointer);
    }

    @Override
    public void memFreeHost(HostMemory memory) {
        check(JCudaDriver.cuMemFreeHost((Pointer) memory.handle()), "cuMemFreeHost");
    }

    @Override
    public void memcpyDtoHAsync(HostMemory dst, long dstOffset, long src, long bytes, long stream) {
        if (dstOffset < 0 || dstOffset + bytes > dst.bytes()) {
            throw new IndexOutOfBoundsException("copy of " + bytes + " at " + dstOffset + " into " + dst.bytes());
        }
        Pointer target = ((Pointer) dst.handle()).withByteOffset(dstOffset);
        check(JCudaDriver.cuMemcpyDtoHAsync(target, devicePointer(src), bytes, stream(stream)), "cuMemcpyDtoHAsync");
    }

    @Override
    public int pointerMemoryType(long pointer) {
        int[] value = new int[1];
        check(JCudaDriver.cuPointerGetAttribute(Pointer.to(value), CUpointer_attribute.CU_POINTER_ATTRIBUTE_MEMORY_TYPE,
                devicePointer(pointer)), "cuPointerGetAttribute(MEMORY_TYPE)");
        return value[0];
    }

    @Override
    public int pointerDeviceOrdinal(long pointer) {
        int[] value = new int[1];
        check(JCudaDriver.cuPointerGetAttribute(Pointer.to(value), CUpointer_attribute.CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL,
                devicePointer(pointer)), "cuPointerGetAttribute(DEVICE_ORDINAL)");
        return value[0];
    }

    @Override
    public long[] memGetAddressRange(long pointer) {
        CUdeviceptr base = new CUdeviceptr();
        long[] size = new long[1];
        check(JCudaDriver.cuMemGetAddressRange(base, size, devicePointer(pointer)), "cuMemGetAddressRange");
        return new long[] {handle(base), size[0]};
    }

    @Override
    public long[] memGetInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }
}
