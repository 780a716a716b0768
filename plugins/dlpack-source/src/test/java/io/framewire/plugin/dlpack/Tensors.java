package io.framewire.plugin.dlpack;

import io.framewire.api.VideoFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.ArrayList;
import java.util.List;

import static io.framewire.plugin.dlpack.DlpackLayout.*;

/** Builds real DLManagedTensor / DLManagedTensorVersioned structs in native memory for the tests. */
final class Tensors implements AutoCloseable {
    private final List<Pointer> allocations = new ArrayList<>();

    /** The fields of one tensor; defaults: a valid 64x48 kDLCUDA uint8 tensor, compact, counting deleter. */
    final class Spec {
        VideoFrame.DlpackStruct struct = VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED;
        long major = 1;
        long minor = 1;
        int deviceType = KDL_CUDA;
        int deviceId = 0;
        int ndim = 3;
        int code = KDL_UINT;
        int bits = 8;
        int lanes = 1;
        long[] shape = {48, 64, 4};
        long[] strides; // null: NULL pointer (compact)
        long byteOffset;
        long data = 0x7f00_0000_1000L;
        long deleter = TestNatives.CountingDeleter.functionAddress();
        boolean nullShape;
        long managerCtx = 0x1234;
        long flags;

        Spec legacy() {
            struct = VideoFrame.DlpackStruct.MANAGED_TENSOR;
            return this;
        }

        Spec struct(VideoFrame.DlpackStruct s) {
            struct = s;
            return this;
        }

        /** @return the address of the managed struct */
        long build() {
            boolean versioned = struct == VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED;
            BytePointer m = alloc(versioned ? VERSIONED_SIZE : MANAGED_SIZE);
            long t = versioned ? VERSIONED_DL_TENSOR : MANAGED_DL_TENSOR;
            if (versioned) {
                m.putInt(VERSIONED_MAJOR, (int) major);
                m.putInt(VERSIONED_MINOR, (int) minor);
                m.putLong(VERSIONED_MANAGER_CTX, managerCtx);
                m.putLong(VERSIONED_DELETER, deleter);
                m.putLong(VERSIONED_FLAGS, flags);
            } else {
                m.putLong(MANAGED_MANAGER_CTX, managerCtx);
                m.putLong(MANAGED_DELETER, deleter);
            }
            m.putLong(t + TENSOR_DATA, data);
            m.putInt(t + TENSOR_DEVICE_TYPE, deviceType);
            m.putInt(t + TENSOR_DEVICE_ID, deviceId);
            m.putInt(t + TENSOR_NDIM, ndim);
            m.put(t + TENSOR_DTYPE_CODE, (byte) code);
            m.put(t + TENSOR_DTYPE_BITS, (byte) bits);
            m.putShort(t + TENSOR_DTYPE_LANES, (short) lanes);
            m.putLong(t + TENSOR_SHAPE, nullShape ? 0 : int64s(shape));
            m.putLong(t + TENSOR_STRIDES, strides == null ? 0 : int64s(strides));
            m.putLong(t + TENSOR_BYTE_OFFSET, byteOffset);
            return m.address();
        }
    }

    Spec spec() {
        return new Spec();
    }

    /** @return zeroed native memory, freed at {@link #close()} */
    BytePointer alloc(long bytes) {
        Pointer p = Pointer.malloc(bytes);
        if (p == null || p.isNull()) {
            throw new OutOfMemoryError("malloc " + bytes);
        }
        Pointer.memset(p, 0, bytes);
        allocations.add(p);
        return new BytePointer(p).capacity(bytes);
    }

    long int64s(long[] values) {
        BytePointer p = alloc((long) values.length * 8);
        for (int i = 0; i < values.length; i++) {
            p.putLong((long) i * 8, values[i]);
        }
        return p.address();
    }

    @Override
    public void close() {
        for (Pointer p : allocations) {
            Pointer.free(p);
        }
        allocations.clear();
    }
}
