package io.framewire.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A CUDA Array Interface descriptor (version 3; version 2 is read too), as Python's
 * {@code __cuda_array_interface__} dict carries it. Strides are in BYTES (unlike DLPack's elements);
 * {@code null} strides mean C-contiguous. The interface does not keep the memory alive: the
 * producer does, until the next {@code streamVideo()} returns.
 *
 * <p>Build one in Java with the canonical constructor, or hand over the dict unchanged with
 * {@link #fromMap(Map)} (e.g. from JPype or GraalPy, or a sidecar's JSON).
 *
 * @param shape       the array shape; a BGRA frame is {@code (H, W, 4)}
 * @param typestr     numpy type string; a BGRA frame is {@code "|u1"}
 * @param dataPointer device pointer of element (0,0,0)
 * @param readOnly    the producer's read-only flag (the server only reads, so both are fine)
 * @param strides     bytes per step in each dimension, or null for C-contiguous
 * @param version     interface version (2 or 3)
 * @param stream      the producer's stream (1 legacy default, 2 per-thread default, else a handle),
 *                    or null when absent/None (no synchronisation needed); 0 is refused
 */
public record CudaArrayInterface(long[] shape, String typestr, long dataPointer, boolean readOnly,
                                 long[] strides, int version, Long stream) {

    private static final Set<String> BYTE_TYPES = Set.of("|u1", "<u1", ">u1", "=u1");

    /** The pixel layout of a valid BGRA descriptor. */
    public record BgraLayout(int width, int height, int pitchBytes) {
    }

    /** Copies the arrays, so that later changes by the caller do not reach the descriptor. */
    public CudaArrayInterface {
        shape = shape == null ? null : shape.clone();
        strides = strides == null ? null : strides.clone();
    }

    @Override
    public long[] shape() {
        return shape == null ? null : shape.clone();
    }

    @Override
    public long[] strides() {
        return strides == null ? null : strides.clone();
    }

    /**
     * Checks this descriptor against the rules for a BGRA8 frame and returns its layout.
     *
     * @throws InvalidFrameException naming the key ({@code shape}, {@code typestr}, {@code strides},
     *                               {@code data}, {@code version}, {@code stream}) and its value
     */
    public BgraLayout bgraLayout() {
        if (version != 2 && version != 3) {
            throw new InvalidFrameException("version", version, "must be 3 (2 is also read)");
        }
        if (shape == null || shape.length != 3) {
            throw new InvalidFrameException("shape", shape, "must be (height, width, 4)");
        }
        if (shape[0] <= 0 || shape[0] > Integer.MAX_VALUE) {
            throw new InvalidFrameException("shape[0]", shape[0], "height must be in 1.." + Integer.MAX_VALUE);
        }
        if (shape[1] <= 0 || shape[1] > Integer.MAX_VALUE / 4) {
            throw new InvalidFrameException("shape[1]", shape[1], "width must be in 1.." + Integer.MAX_VALUE / 4);
        }
        if (shape[2] != 4) {
            throw new InvalidFrameException("shape[2]", shape[2], "must be 4 (B, G, R, A)");
        }
        if (typestr == null || !BYTE_TYPES.contains(typestr)) {
            throw new InvalidFrameException("typestr", typestr, "must be \"|u1\" (uint8)");
        }
        if (dataPointer == 0) {
            throw new InvalidFrameException("data", dataPointer, "must not be a null pointer");
        }
        if (stream != null && stream == 0) {
            throw new InvalidFrameException("stream", stream, "0 is disallowed (use 1 legacy default, 2 per-thread, or a handle)");
        }
        int height = (int) shape[0];
        int width = (int) shape[1];
        long pitch = width * 4L;
        if (strides != null) {
            if (strides.length != 3) {
                throw new InvalidFrameException("strides", strides, "must have 3 entries (bytes) or be None");
            }
            if (strides[2] != 1) {
                throw new InvalidFrameException("strides[2]", strides[2], "must be 1 byte (packed B, G, R, A)");
            }
            if (strides[1] != 4) {
                throw new InvalidFrameException("strides[1]", strides[1], "must be 4 bytes (packed BGRA pixels)");
            }
            if (strides[0] < pitch || strides[0] > Integer.MAX_VALUE) {
                throw new InvalidFrameException("strides[0]", strides[0], "row pitch in bytes must be >= width*4 = " + pitch);
            }
            pitch = strides[0];
        }
        return new BgraLayout(width, height, (int) pitch);
    }

    /**
     * Reads a descriptor shaped exactly like Python's {@code __cuda_array_interface__}:
     * {@code shape} (list of ints), {@code typestr}, {@code data} = (pointer, readonly),
     * {@code version}, optional {@code strides} (list or null), {@code stream} (int or null),
     * {@code descr} (ignored). A {@code mask} is refused: masked frames are not supported.
     *
     * @throws InvalidFrameException naming the key that is missing or malformed
     */
    public static CudaArrayInterface fromMap(Map<String, ?> dict) {
        Objects.requireNonNull(dict, "dict");
        Object mask = dict.get("mask");
        if (mask != null) {
            throw new InvalidFrameException("mask", mask, "masked arrays are not supported");
        }
        long[] shape = longs("shape", required(dict, "shape"));
        Object typestr = required(dict, "typestr");
        if (!(typestr instanceof String)) {
            throw new InvalidFrameException("typestr", typestr, "must be a string such as \"|u1\"");
        }
        List<?> data = list("data", required(dict, "data"));
        if (data.size() != 2 || !(data.get(0) instanceof Number) || !(data.get(1) instanceof Boolean)) {
            throw new InvalidFrameException("data", data, "must be (pointer: int, readonly: bool)");
        }
        Object version = required(dict, "version");
        if (!(version instanceof Number)) {
            throw new InvalidFrameException("version", version, "must be an int");
        }
        Object strides = dict.get("strides");
        Object stream = dict.get("stream");
        if (stream != null && !(stream instanceof Number)) {
            throw new InvalidFrameException("stream", stream, "must be an int or None");
        }
        return new CudaArrayInterface(shape, (String) typestr, ((Number) data.get(0)).longValue(),
                (Boolean) data.get(1), strides == null ? null : longs("strides", strides),
                ((Number) version).intValue(), stream == null ? null : ((Number) stream).longValue());
    }

    private static Object required(Map<String, ?> dict, String key) {
        Object value = dict.get(key);
        if (value == null) {
            throw new InvalidFrameException(key, null, "is required");
        }
        return value;
    }

    private static List<?> list(String key, Object value) {
        if (value instanceof List<?>) {
            return (List<?>) value;
        }
        if (value instanceof Object[]) {
            return Arrays.asList((Object[]) value);
        }
        throw new InvalidFrameException(key, value, "must be a tuple or list");
    }

    private static long[] longs(String key, Object value) {
        if (value instanceof long[]) {
            return (long[]) value;
        }
        if (value instanceof int[]) {
            return Arrays.stream((int[]) value).asLongStream().toArray();
        }
        List<?> items = list(key, value);
        long[] result = new long[items.size()];
        for (int i = 0; i < result.length; i++) {
            if (!(items.get(i) instanceof Number)) {
                throw new InvalidFrameException(key + "[" + i + "]", items.get(i), "must be an int");
            }
            result[i] = ((Number) items.get(i)).longValue();
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CudaArrayInterface other && Arrays.equals(shape, other.shape)
                && Objects.equals(typestr, other.typestr) && dataPointer == other.dataPointer
                && readOnly == other.readOnly && Arrays.equals(strides, other.strides)
                && version == other.version && Objects.equals(stream, other.stream);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(shape), typestr, dataPointer, Arrays.hashCode(strides), version, stream);
    }

    @Override
    public String toString() {
        return "CudaArrayInterface[shape=" + Arrays.toString(shape) + ", typestr=" + typestr + ", data=0x"
                + Long.toHexString(dataPointer) + ", readOnly=" + readOnly + ", strides=" + Arrays.toString(strides)
                + ", version=" + version + ", stream=" + stream + "]";
    }
}
