package io.framewire.plugin.dlpack;

import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameImporter;
import io.framewire.api.spi.ImportedFrame;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Component;

import static io.framewire.plugin.dlpack.DlpackLayout.*;

/**
 * Reads a DLPack tensor ({@code DLManagedTensor} or {@code DLManagedTensorVersioned}, as
 * {@link VideoFrame#dlpackStruct()} says) of shape H x W x 4, uint8, and turns it into a BGRA frame:
 * <ul>
 *   <li>{@code kDLCUDA} (2) and {@code kDLCUDAManaged} (13): {@link VideoFrame#deviceBuffer} at
 *       {@code data + byte_offset}, pitch {@code strides[0]}, carrying the frame's {@code CudaSync};</li>
 *   <li>{@code kDLCPU} (1) and {@code kDLCUDAHost} (3): {@link VideoFrame#hostBuffer} over the same
 *       memory (no copy). Host data must be ready when the frame is streamed: a {@code CudaSync} does
 *       not apply to host memory and is not carried.</li>
 * </ul>
 * Strides are in elements (= bytes for uint8); NULL strides mean compact rows. Anything else is
 * refused with an {@link InvalidFrameException} naming the field and its value.
 *
 * <p>The tensor's deleter is called exactly once: by {@link ImportedFrame#close()} (when the server
 * no longer needs the data), or before {@link #importFrame} throws. A NULL deleter is fine. A
 * versioned tensor of another MAJOR version is released without reading past its header (its
 * first 32 bytes, ABI-stable across versions); another minor version is read as usual.
 */
@Component(service = FrameImporter.class, property = Plugins.NAME + "=dlpack")
public class DlpackImporter implements FrameImporter {

    @Override
    public boolean accepts(VideoFrame.Kind kind) {
        return kind == VideoFrame.Kind.DLPACK;
    }

    @Override
    public ImportedFrame importFrame(VideoFrame frame, ServerConfig config) {
        if (frame.kind() != VideoFrame.Kind.DLPACK) {
            throw new InvalidFrameException("kind", frame.kind(), "the dlpack importer takes DLPACK frames only");
        }
        long address = frame.dlpackAddress();
        if (address == 0) { // fromDlpack refuses it already; nothing to release then
            throw new InvalidFrameException("managedTensorAddress", address, "must not be a null pointer");
        }
        boolean versioned = frame.dlpackStruct() == VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED;
        long deleter = NativeMemory.getLong(address + (versioned ? VERSIONED_DELETER : MANAGED_DELETER));
        TensorRelease release = new TensorRelease(address, deleter);
        try {
            long tensor = address + (versioned ? VERSIONED_DL_TENSOR : MANAGED_DL_TENSOR);
            if (versioned) {
                long major = Integer.toUnsignedLong(NativeMemory.getInt(address + VERSIONED_MAJOR));
                if (major != SUPPORTED_MAJOR) {
                    throw new InvalidFrameException("version.major", major, "must be " + SUPPORTED_MAJOR
                            + " (this server reads DLPack 1.x); the tensor was released unread");
                }
            }
            VideoFrame imported = read(tensor, frame);
            return new DlpackImport(imported, release);
        } catch (RuntimeException | Error e) {
            try {
                release.run();
            } catch (RuntimeException | Error releaseFailure) {
                e.addSuppressed(releaseFailure);
            }
            throw e;
        }
    }

    /** Reads and checks the DLTensor at {@code tensor}. */
    private static VideoFrame read(long tensor, VideoFrame frame) {
        int deviceType = NativeMemory.getInt(tensor + TENSOR_DEVICE_TYPE);
        boolean device;
        switch (deviceType) {
            case KDL_CUDA:
            case KDL_CUDA_MANAGED:
                device = true;
                break;
            case KDL_CPU:
            case KDL_CUDA_HOST:
                device = false;
                break;
            default:
                throw new InvalidFrameException("dl_tensor.device.device_type", deviceType,
                        "must be kDLCUDA (2), kDLCUDAManaged (13), kDLCPU (1) or kDLCUDAHost (3)");
        }
        int ndim = NativeMemory.getInt(tensor + TENSOR_NDIM);
        if (ndim != 3) {
            throw new InvalidFrameException("dl_tensor.ndim", ndim, "must be 3 (height, width, 4)");
        }
        int code = NativeMemory.getUnsignedByte(tensor + TENSOR_DTYPE_CODE);
        if (code != KDL_UINT) {
            throw new InvalidFrameException("dl_tensor.dtype.code", code, "must be kDLUInt (1) (uint8)");
        }
        int bits = NativeMemory.getUnsignedByte(tensor + TENSOR_DTYPE_BITS);
        if (bits != 8) {
            throw new InvalidFrameException("dl_tensor.dtype.bits", bits, "must be 8 (uint8)");
        }
        int lanes = NativeMemory.getUnsignedShort(tensor + TENSOR_DTYPE_LANES);
        if (lanes != 1) {
            throw new InvalidFrameException("dl_tensor.dtype.lanes", lanes, "must be 1");
        }

        long shapePointer = NativeMemory.getLong(tensor + TENSOR_SHAPE);
        if (shapePointer == 0) {
            throw new InvalidFrameException("dl_tensor.shape", shapePointer, "must not be a null pointer");
        }
        long[] shape = readInt64s(shapePointer, 3);
        int height = checkSide(shape[0], "dl_tensor.shape[0]", "height");
        int width = checkSide(shape[1], "dl_tensor.shape[1]", "width");
        if (shape[2] != 4) {
            throw new InvalidFrameException("dl_tensor.shape[2]", shape[2], "must be 4 (B, G, R, A channels)");
        }
        long rowBytes = (long) width * 4;
        if (rowBytes > Integer.MAX_VALUE) {
            throw new InvalidFrameException("dl_tensor.shape[1]", shape[1], "is too wide (width*4 must fit in 31 bits)");
        }

        long stridesPointer = NativeMemory.getLong(tensor + TENSOR_STRIDES);
        int pitch;
        if (stridesPointer == 0) {
            pitch = (int) rowBytes; // compact row-major
        } else {
            long[] strides = readInt64s(stridesPointer, 3);
            if (strides[2] != 1) {
                throw new InvalidFrameException("dl_tensor.strides[2]", strides[2], "must be 1 (elements; packed BGRA)");
            }
            if (strides[1] != 4) {
                throw new InvalidFrameException("dl_tensor.strides[1]", strides[1], "must be 4 (elements; packed BGRA)");
            }
            if (strides[0] < rowBytes || strides[0] > Integer.MAX_VALUE) {
                throw new InvalidFrameException("dl_tensor.strides[0]", strides[0], "must be >= width*4 = " + rowBytes
                        + " (elements = bytes for uint8) and fit in 31 bits");
            }
            pitch = (int) strides[0];
        }

        long byteOffset = NativeMemory.getLong(tensor + TENSOR_BYTE_OFFSET);
        if (byteOffset < 0) {
            throw new InvalidFrameException("dl_tensor.byte_offset", Long.toUnsignedString(byteOffset), "is too large");
        }
        long data = NativeMemory.getLong(tensor + TENSOR_DATA);
        if (data == 0) {
            throw new InvalidFrameException("dl_tensor.data", data, "must not be a null pointer");
        }
        long first = data + byteOffset;

        if (device) {
            VideoFrame out = VideoFrame.deviceBuffer(first, width, height, pitch);
            return frame.cudaSync() == null ? out : out.withSync(frame.cudaSync());
        }
        long bytes = (long) pitch * (height - 1) + rowBytes;
        if (bytes > Integer.MAX_VALUE) {
            throw new InvalidFrameException("dl_tensor.shape[0]", shape[0], "is too large for a host frame (pitch*(height-1)+width*4 = "
                    + bytes + " bytes must fit in 31 bits)");
        }
        return VideoFrame.hostBuffer(NativeMemory.wrap(first, (int) bytes), width, height, pitch);
    }

    private static long[] readInt64s(long pointer, int count) {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = NativeMemory.getLong(pointer + (long) i * Long.BYTES);
        }
        return values;
    }

    private static int checkSide(long value, String field, String what) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new InvalidFrameException(field, value, "must be > 0 (" + what + ")");
        }
        return (int) value;
    }
}
