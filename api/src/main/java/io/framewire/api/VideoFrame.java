package io.framewire.api;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An immutable description of one frame handed to {@link StreamServer#streamVideo(VideoFrame)}.
 * It describes memory owned by the caller; it never owns or copies it.
 *
 * <p>The factories mirror the reference Python API:
 * <ul>
 *   <li>{@link #deviceBuffer}: a raw CUDA device pointer with width, height and pitch (BGRA8);</li>
 *   <li>{@link #hostBuffer}: BGRA8 pixels in host memory (the CPU path, e.g. the test pattern);</li>
 *   <li>{@link #fromCudaArray}: a CUDA Array Interface v3 descriptor (H x W x 4, {@code |u1});</li>
 *   <li>{@link #fromDlpack}: the address of a {@code DLManagedTensor} or
 *       {@code DLManagedTensorVersioned};</li>
 *   <li>{@link #encoded}: one pre-encoded access unit (H.264 / H.265 / AV1) of {@code sizeBytes}.</li>
 * </ul>
 * Each factory checks the rules that need no server context (positive sizes, pitch &gt;= width*4,
 * non-null pointers) and throws {@link InvalidFrameException} naming the field and the value.
 * The rules that depend on the session (stream size, {@link VideoInput}) are checked by
 * {@link FrameRules#check(VideoFrame, ServerConfig)} when the frame is streamed.
 */
public final class VideoFrame {

    /** Where the pixels (or bytes) live and how they are described. */
    public enum Kind {
        /** BGRA8 in host memory ({@link #hostBuffer()}). */
        HOST_BGRA,
        /** BGRA8 in CUDA device memory at {@link #devicePointer()}. */
        DEVICE_BGRA,
        /** A CUDA Array Interface descriptor ({@link #cudaArray()}). */
        CUDA_ARRAY,
        /** A DLPack managed tensor at {@link #dlpackAddress()}. */
        DLPACK,
        /** A pre-encoded access unit in host memory. */
        BITSTREAM,
        /**
         * NV12 in host memory: a luma plane ({@link #hostBuffer()}) and an interleaved UV plane
         * ({@link #chromaBuffer()}), both {@link #pitchBytes()} apart row to row. Produced by frame
         * importers (GPU colour conversion) for software encoders.
         */
        HOST_NV12
    }

    /** Which DLPack struct lies at {@link #dlpackAddress()}. */
    public enum DlpackStruct {
        /** {@code DLManagedTensor}: no version, no flags (deprecated, still common). */
        MANAGED_TENSOR,
        /** {@code DLManagedTensorVersioned} (DLPack 1.x). */
        MANAGED_TENSOR_VERSIONED
    }

    private final Kind kind;
    private final int width;
    private final int height;
    private final int pitchBytes;
    private final long address;
    private final ByteBuffer hostBuffer;
    private final ByteBuffer chromaBuffer;
    private final CudaArrayInterface cudaArray;
    private final DlpackStruct dlpackStruct;
    private final int sizeBytes;
    private final CudaSync cudaSync;

    private VideoFrame(Kind kind, int width, int height, int pitchBytes, long address, ByteBuffer hostBuffer,
                       CudaArrayInterface cudaArray, DlpackStruct dlpackStruct, int sizeBytes, CudaSync cudaSync) {
        this(kind, width, height, pitchBytes, address, hostBuffer, null, cudaArray, dlpackStruct, sizeBytes, cudaSync);
    }

    private VideoFrame(Kind kind, int width, int height, int pitchBytes, long address, ByteBuffer hostBuffer,
                       ByteBuffer chromaBuffer, CudaArrayInterface cudaArray, DlpackStruct dlpackStruct, int sizeBytes,
                       CudaSync cudaSync) {
        this.kind = kind;
        this.width = width;
        this.height = height;
        this.pitchBytes = pitchBytes;
        this.address = address;
        this.hostBuffer = hostBuffer;
        this.chromaBuffer = chromaBuffer;
        this.cudaArray = cudaArray;
        this.dlpackStruct = dlpackStruct;
        this.sizeBytes = sizeBytes;
        this.cudaSync = cudaSync;
    }

    /**
     * Mirrors the reference Python constructor {@code VideoFrame(buffer, width, height, pitch_bytes, size_bytes)}:
     * {@code sizeBytes == 0} describes a BGRA8 device buffer, {@code sizeBytes > 0} a pre-encoded
     * access unit at a host address (then {@code pitchBytes} must be 0).
     */
    public static VideoFrame of(long buffer, int width, int height, int pitchBytes, int sizeBytes) {
        if (sizeBytes < 0) {
            throw new InvalidFrameException("sizeBytes", sizeBytes, "must be >= 0 (0 for pixels, > 0 for a bitstream)");
        }
        if (sizeBytes == 0) {
            return deviceBuffer(buffer, width, height, pitchBytes);
        }
        if (pitchBytes != 0) {
            throw new InvalidFrameException("pitchBytes", pitchBytes, "must be 0 for a bitstream (sizeBytes > 0)");
        }
        return encoded(buffer, width, height, sizeBytes);
    }

    /**
     * A BGRA8 frame in CUDA device memory.
     *
     * @param buffer     the device pointer ({@code CUdeviceptr}) of the first pixel
     * @param width      pixels per row
     * @param height     rows
     * @param pitchBytes bytes from one row to the next, at least {@code width * 4}
     */
    public static VideoFrame deviceBuffer(long buffer, int width, int height, int pitchBytes) {
        checkSize(width, height);
        checkPitch(pitchBytes, width);
        checkPointer("buffer", buffer);
        return new VideoFrame(Kind.DEVICE_BGRA, width, height, pitchBytes, buffer, null, null, null, 0, null);
    }

    /**
     * A BGRA8 frame in host memory, read from {@code buffer.position()}.
     *
     * @param buffer     the pixels; must hold {@code pitchBytes * (height - 1) + width * 4} bytes
     * @param width      pixels per row
     * @param height     rows
     * @param pitchBytes bytes from one row to the next, at least {@code width * 4}
     */
    public static VideoFrame hostBuffer(ByteBuffer buffer, int width, int height, int pitchBytes) {
        Objects.requireNonNull(buffer, "buffer");
        checkSize(width, height);
        checkPitch(pitchBytes, width);
        long needed = (long) pitchBytes * (height - 1) + (long) width * 4;
        if (buffer.remaining() < needed) {
            throw new InvalidFrameException("buffer.remaining", buffer.remaining(),
                    "must be >= pitchBytes*(height-1)+width*4 = " + needed);
        }
        return new VideoFrame(Kind.HOST_BGRA, width, height, pitchBytes, 0, buffer, null, null, 0, null);
    }

    /**
     * A BGRA8 frame described by a CUDA Array Interface v3 descriptor (shape H x W x 4, {@code |u1}).
     * The descriptor's {@code stream}, when present, becomes this frame's {@link CudaSync}.
     */
    public static VideoFrame fromCudaArray(CudaArrayInterface descriptor) {
        Objects.requireNonNull(descriptor, "descriptor");
        CudaArrayInterface.BgraLayout layout = descriptor.bgraLayout();
        CudaSync sync = descriptor.stream() == null ? null : CudaSync.onStream(descriptor.stream());
        return new VideoFrame(Kind.CUDA_ARRAY, layout.width(), layout.height(), layout.pitchBytes(),
                descriptor.dataPointer(), null, descriptor, null, 0, sync);
    }

    /**
     * A DLPack tensor by the address of its managed struct. Its shape, dtype and device are read
     * (and checked) by the DLPack source plugin; the server calls the deleter exactly once, when it
     * no longer needs the data. Width and height are unknown (0) until then.
     */
    public static VideoFrame fromDlpack(long managedTensorAddress, DlpackStruct struct) {
        checkPointer("managedTensorAddress", managedTensorAddress);
        Objects.requireNonNull(struct, "struct");
        return new VideoFrame(Kind.DLPACK, 0, 0, 0, managedTensorAddress, null, null, struct, 0, null);
    }

    /**
     * An NV12 picture in host memory (even width and height): {@code luma} holds {@code height} rows
     * of {@code width} bytes, {@code chroma} {@code height/2} rows of {@code width} interleaved U,V
     * bytes, both {@code pitchBytes} apart, read from each buffer's position.
     */
    public static VideoFrame hostNv12(ByteBuffer luma, ByteBuffer chroma, int width, int height, int pitchBytes) {
        Objects.requireNonNull(luma, "luma");
        Objects.requireNonNull(chroma, "chroma");
        checkSize(width, height);
        if (width % 2 != 0 || height % 2 != 0) {
            throw new InvalidFrameException(width % 2 != 0 ? "width" : "height", width % 2 != 0 ? width : height,
                    "must be even for NV12");
        }
        if (pitchBytes < width) {
            throw new InvalidFrameException("pitchBytes", pitchBytes, "must be >= width = " + width + " for NV12");
        }
        long lumaNeeded = (long) pitchBytes * (height - 1) + width;
        long chromaNeeded = (long) pitchBytes * (height / 2 - 1) + width;
        if (luma.remaining() < lumaNeeded) {
            throw new InvalidFrameException("luma.remaining", luma.remaining(), "must be >= " + lumaNeeded);
        }
        if (chroma.remaining() < chromaNeeded) {
            throw new InvalidFrameException("chroma.remaining", chroma.remaining(), "must be >= " + chromaNeeded);
        }
        return new VideoFrame(Kind.HOST_NV12, width, height, pitchBytes, 0, luma, chroma, null, null, 0, null);
    }

    /** One pre-encoded access unit at a host address. */
    public static VideoFrame encoded(long hostAddress, int width, int height, int sizeBytes) {
        checkSize(width, height);
        checkPointer("buffer", hostAddress);
        checkBitstreamSize(sizeBytes);
        return new VideoFrame(Kind.BITSTREAM, width, height, 0, hostAddress, null, null, null, sizeBytes, null);
    }

    /** One pre-encoded access unit: {@code sizeBytes} bytes from {@code data.position()}. */
    public static VideoFrame encoded(ByteBuffer data, int width, int height, int sizeBytes) {
        Objects.requireNonNull(data, "data");
        checkSize(width, height);
        checkBitstreamSize(sizeBytes);
        if (data.remaining() < sizeBytes) {
            throw new InvalidFrameException("sizeBytes", sizeBytes, "must be <= data.remaining() = " + data.remaining());
        }
        return new VideoFrame(Kind.BITSTREAM, width, height, 0, 0, data, null, null, sizeBytes, null);
    }

    /** @return a copy of this descriptor whose device reads wait as {@code sync} says */
    public VideoFrame withSync(CudaSync sync) {
        if (kind == Kind.HOST_BGRA || kind == Kind.BITSTREAM || kind == Kind.HOST_NV12) {
            throw new InvalidFrameException("cudaSync", sync, "applies only to device frames, not " + kind);
        }
        return new VideoFrame(kind, width, height, pitchBytes, address, hostBuffer, chromaBuffer, cudaArray, dlpackStruct,
                sizeBytes, sync);
    }

    private static void checkSize(int width, int height) {
        if (width <= 0) {
            throw new InvalidFrameException("width", width, "must be > 0");
        }
        if (height <= 0) {
            throw new InvalidFrameException("height", height, "must be > 0");
        }
    }

    private static void checkPitch(int pitchBytes, int width) {
        if (pitchBytes < width * 4L) {
            throw new InvalidFrameException("pitchBytes", pitchBytes, "must be >= width*4 = " + (width * 4L));
        }
    }

    private static void checkPointer(String field, long pointer) {
        if (pointer == 0) {
            throw new InvalidFrameException(field, pointer, "must not be a null pointer");
        }
    }

    private static void checkBitstreamSize(int sizeBytes) {
        if (sizeBytes <= 0) {
            throw new InvalidFrameException("sizeBytes", sizeBytes, "must be > 0 for a bitstream");
        }
    }

    /** @return how this frame is described */
    public Kind kind() { return kind; }

    /** @return pixels per row (0 for a DLPack frame not yet read) */
    public int width() { return width; }

    /** @return rows (0 for a DLPack frame not yet read) */
    public int height() { return height; }

    /** @return bytes between rows for pixel frames, 0 otherwise */
    public int pitchBytes() { return pitchBytes; }

    /** @return the device pointer (DEVICE_BGRA, CUDA_ARRAY), the managed-tensor address (DLPACK) or the host address of a bitstream; 0 when the data is a ByteBuffer */
    public long devicePointer() { return kind == Kind.DEVICE_BGRA || kind == Kind.CUDA_ARRAY ? address : 0; }

    /** @return the DLManagedTensor(Versioned) address, or 0 */
    public long dlpackAddress() { return kind == Kind.DLPACK ? address : 0; }

    /** @return the host address of a bitstream given by address, or 0 */
    public long hostAddress() { return kind == Kind.BITSTREAM ? address : 0; }

    /** @return host pixels (HOST_BGRA), the luma plane (HOST_NV12) or bitstream bytes given as a buffer; null otherwise */
    public ByteBuffer hostBuffer() { return hostBuffer; }

    /** @return the interleaved UV plane of a HOST_NV12 frame, or null */
    public ByteBuffer chromaBuffer() { return chromaBuffer; }

    /** @return the CUDA Array Interface descriptor, or null */
    public CudaArrayInterface cudaArray() { return cudaArray; }

    /** @return which DLPack struct, or null */
    public DlpackStruct dlpackStruct() { return dlpackStruct; }

    /** @return bytes of a bitstream access unit; 0 for pixel frames */
    public int sizeBytes() { return sizeBytes; }

    /** @return the GPU ordering with the producer, or null (host ordering: the data is ready now) */
    public CudaSync cudaSync() { return cudaSync; }

    /** @return true when the data lives in device memory */
    public boolean isDevice() {
        return kind == Kind.DEVICE_BGRA || kind == Kind.CUDA_ARRAY || kind == Kind.DLPACK;
    }

    @Override
    public String toString() {
        return "VideoFrame[" + kind + " " + width + "x" + height + (pitchBytes > 0 ? " pitch=" + pitchBytes : "")
                + (sizeBytes > 0 ? " size=" + sizeBytes : "") + (cudaSync != null ? " " + cudaSync : "") + "]";
    }
}
