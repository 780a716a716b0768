package io.framewire.plugin.dlpack;

import io.framewire.api.CudaSync;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.VideoInput;
import io.framewire.api.spi.ImportedFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.framewire.plugin.dlpack.DlpackLayout.*;
import static io.framewire.plugin.dlpack.TestNatives.CountingDeleter.callsFor;
import static org.junit.jupiter.api.Assertions.*;

/** The importer against real DLPack structs in native memory, with a real C-callable deleter. */
class DlpackImporterTest {
    private static final ServerConfig CONFIG = ServerConfig.builder().width(64).height(48).fps(30)
            .videoInput(VideoInput.TENSOR).build();
    private final Tensors tensors = new Tensors();
    private final DlpackImporter importer = new DlpackImporter();

    @BeforeEach
    void forgetCalls() {
        TestNatives.CountingDeleter.CALLS.clear(); // malloc reuses the addresses of earlier tests' tensors
    }

    @AfterEach
    void free() {
        tensors.close();
    }

    private ImportedFrame importTensor(long address, VideoFrame.DlpackStruct struct, CudaSync sync) {
        VideoFrame frame = VideoFrame.fromDlpack(address, struct);
        return importer.importFrame(sync == null ? frame : frame.withSync(sync), CONFIG);
    }

    @Test
    void acceptsOnlyDlpackFrames() {
        assertTrue(importer.accepts(VideoFrame.Kind.DLPACK));
        for (VideoFrame.Kind kind : VideoFrame.Kind.values()) {
            assertEquals(kind == VideoFrame.Kind.DLPACK, importer.accepts(kind), kind.name());
        }
    }

    @Test
    void theLayoutMatchesTheDlpackStructSizes() {
        assertEquals(48, TENSOR_SIZE);
        assertEquals(TENSOR_SIZE + 16, MANAGED_SIZE);
        assertEquals(VERSIONED_DL_TENSOR + TENSOR_SIZE, VERSIONED_SIZE);
        assertEquals(VERSIONED_HEADER_SIZE, VERSIONED_DL_TENSOR);
    }

    @ParameterizedTest
    @EnumSource(VideoFrame.DlpackStruct.class)
    void aCudaTensorBecomesADeviceFrameAtDataPlusByteOffsetWithItsPitchAndSync(VideoFrame.DlpackStruct struct) {
        Tensors.Spec spec = tensors.spec().struct(struct);
        spec.strides = new long[] {320, 4, 1};
        spec.byteOffset = 256;
        spec.data = 0x7f12_3400_0000L;
        long address = spec.build();
        CudaSync sync = CudaSync.onEvent(0x55, 0x66);

        ImportedFrame imported = importTensor(address, struct, sync);
        VideoFrame out = imported.frame();
        assertEquals(VideoFrame.Kind.DEVICE_BGRA, out.kind());
        assertEquals(0x7f12_3400_0000L + 256, out.devicePointer());
        assertEquals(64, out.width());
        assertEquals(48, out.height());
        assertEquals(320, out.pitchBytes());
        assertEquals(sync, out.cudaSync());
        assertEquals(0, callsFor(address), "the deleter is not called before close");

        imported.close();
        assertEquals(1, callsFor(address), "close calls the deleter once");
        imported.close();
        assertEquals(1, callsFor(address), "a second close calls nothing");
    }

    @ParameterizedTest
    @EnumSource(VideoFrame.DlpackStruct.class)
    void nullStridesMeanCompactRowsAndNoSyncStaysNone(VideoFrame.DlpackStruct struct) {
        long address = tensors.spec().struct(struct).build();
        try (ImportedFrame imported = importTensor(address, struct, null)) {
            assertEquals(64 * 4, imported.frame().pitchBytes());
            assertEquals(0x7f00_0000_1000L, imported.frame().devicePointer());
            assertNull(imported.frame().cudaSync());
        }
        assertEquals(1, callsFor(address));
    }

    @Test
    void cudaManagedMemoryGoesTheDevicePath() {
        Tensors.Spec spec = tensors.spec();
        spec.deviceType = KDL_CUDA_MANAGED;
        long address = spec.build();
        try (ImportedFrame imported = importTensor(address, spec.struct, CudaSync.onStream(2))) {
            assertEquals(VideoFrame.Kind.DEVICE_BGRA, imported.frame().kind());
            assertEquals(CudaSync.onStream(2), imported.frame().cudaSync());
        }
        assertEquals(1, callsFor(address));
    }

    static Stream<Arguments> hostTensors() {
        List<Arguments> cases = new ArrayList<>();
        for (VideoFrame.DlpackStruct struct : VideoFrame.DlpackStruct.values()) {
            cases.add(Arguments.of(struct, KDL_CPU, null, 0L));
            cases.add(Arguments.of(struct, KDL_CPU, new long[] {300, 4, 1}, 40L));
            cases.add(Arguments.of(struct, KDL_CUDA_HOST, new long[] {256, 4, 1}, 8L));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("hostTensors")
    void aHostTensorBecomesAHostFrameOverTheSameBytes(VideoFrame.DlpackStruct struct, int deviceType, long[] strides,
                                                      long byteOffset) {
        int pitch = strides == null ? 256 : (int) strides[0];
        int bytes = pitch * 47 + 256;
        BytePointer pixels = tensors.alloc(byteOffset + bytes);
        for (int i = 0; i < byteOffset + bytes; i++) {
            pixels.put(i, (byte) (i * 31 + 7));
        }
        Tensors.Spec spec = tensors.spec().struct(struct);
        spec.deviceType = deviceType;
        spec.strides = strides;
        spec.byteOffset = byteOffset;
        spec.data = pixels.address();
        long address = spec.build();

        ImportedFrame imported = importTensor(address, struct, null);
        VideoFrame out = imported.frame();
        assertEquals(VideoFrame.Kind.HOST_BGRA, out.kind());
        assertEquals(64, out.width());
        assertEquals(48, out.height());
        assertEquals(pitch, out.pitchBytes());
        ByteBuffer buffer = out.hostBuffer();
        assertTrue(buffer.isDirect());
        assertEquals(bytes, buffer.remaining());
        for (int i = 0; i < bytes; i++) {
            assertEquals(pixels.get(byteOffset + i), buffer.get(buffer.position() + i), "byte " + i);
        }
        pixels.put(byteOffset + 5, (byte) 0x5A);
        assertEquals((byte) 0x5A, buffer.get(5), "a view of the tensor's memory, not a copy");
        assertEquals(0, callsFor(address));
        imported.close();
        imported.close();
        assertEquals(1, callsFor(address));
    }

    static Stream<Arguments> refusals() {
        List<Arguments> cases = new ArrayList<>();
        for (VideoFrame.DlpackStruct struct : VideoFrame.DlpackStruct.values()) {
            cases.add(refusal(struct, "dl_tensor.device.device_type=4:", s -> s.deviceType = 4));
            cases.add(refusal(struct, "dl_tensor.device.device_type=0:", s -> s.deviceType = 0));
            cases.add(refusal(struct, "dl_tensor.ndim=2: must be 3", s -> s.ndim = 2));
            cases.add(refusal(struct, "dl_tensor.dtype.code=2: must be kDLUInt (1)", s -> s.code = 2));
            cases.add(refusal(struct, "dl_tensor.dtype.bits=16: must be 8 (uint8)", s -> s.bits = 16));
            cases.add(refusal(struct, "dl_tensor.dtype.lanes=4: must be 1", s -> s.lanes = 4));
            cases.add(refusal(struct, "dl_tensor.shape=0: must not be a null pointer", s -> s.nullShape = true));
            cases.add(refusal(struct, "dl_tensor.shape[2]=3: must be 4", s -> s.shape = new long[] {48, 64, 3}));
            cases.add(refusal(struct, "dl_tensor.shape[0]=0: must be > 0", s -> s.shape = new long[] {0, 64, 4}));
            cases.add(refusal(struct, "dl_tensor.shape[1]=-64: must be > 0", s -> s.shape = new long[] {48, -64, 4}));
            cases.add(refusal(struct, "dl_tensor.strides[2]=2: must be 1", s -> s.strides = new long[] {512, 8, 2}));
            cases.add(refusal(struct, "dl_tensor.strides[1]=8: must be 4", s -> s.strides = new long[] {512, 8, 1}));
            cases.add(refusal(struct, "dl_tensor.strides[0]=255: must be >= width*4 = 256",
                    s -> s.strides = new long[] {255, 4, 1}));
            cases.add(refusal(struct, "dl_tensor.data=0: must not be a null pointer", s -> s.data = 0));
            cases.add(refusal(struct, "dl_tensor.byte_offset=18446744073709551615:", s -> s.byteOffset = -1));
        }
        cases.add(refusal(VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED,
                "version.major=0: must be 1", s -> s.major = 0));
        return cases.stream();
    }

    private static Arguments refusal(VideoFrame.DlpackStruct struct, String message, Consumer<Tensors.Spec> change) {
        return Arguments.of(struct, message, change);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusals")
    void aBrokenRuleIsRefusedNamingFieldAndValueAndTheTensorIsReleasedOnce(VideoFrame.DlpackStruct struct,
                                                                          String message,
                                                                          Consumer<Tensors.Spec> change) {
        Tensors.Spec spec = tensors.spec().struct(struct);
        change.accept(spec);
        long address = spec.build();
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> importTensor(address, struct, null));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertEquals(message.substring(0, message.indexOf('=')), e.field());
        assertEquals(1, callsFor(address), "the deleter runs exactly once on the error path");
    }

    @Test
    void theBitsMessageIsExact() {
        Tensors.Spec spec = tensors.spec();
        spec.bits = 16;
        long address = spec.build();
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> importTensor(address, spec.struct, null));
        assertEquals("dl_tensor.dtype.bits=16: must be 8 (uint8)", e.getMessage());
    }

    @Test
    void anUnknownMajorVersionIsReleasedWithoutReadingPastTheHeader() {
        // Only the 32-byte header exists, and the next byte is an inaccessible page: any read of the
        // DLTensor part would crash the test JVM.
        Pointer header = TestNatives.guardedAlloc(VERSIONED_HEADER_SIZE);
        assertNotNull(header);
        BytePointer h = new BytePointer(header).capacity(VERSIONED_HEADER_SIZE);
        h.putInt(VERSIONED_MAJOR, 2);
        h.putInt(VERSIONED_MINOR, 0);
        h.putLong(VERSIONED_MANAGER_CTX, 0);
        h.putLong(VERSIONED_DELETER, TestNatives.CountingDeleter.functionAddress());
        h.putLong(VERSIONED_FLAGS, 0);
        long address = header.address();

        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> importTensor(address, VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED, null));
        assertEquals("version.major", e.field());
        assertTrue(e.getMessage().startsWith("version.major=2: must be 1"), e.getMessage());
        assertEquals(1, callsFor(address), "only the deleter is called");
    }

    @Test
    void anotherMinorVersionIsRead() {
        Tensors.Spec spec = tensors.spec();
        spec.minor = 7;
        spec.flags = 1; // READ_ONLY: fine, the server only reads
        long address = spec.build();
        try (ImportedFrame imported = importTensor(address, spec.struct, null)) {
            assertEquals(VideoFrame.Kind.DEVICE_BGRA, imported.frame().kind());
        }
        assertEquals(1, callsFor(address));
    }

    @ParameterizedTest
    @EnumSource(VideoFrame.DlpackStruct.class)
    void aNullDeleterIsFineOnBothPaths(VideoFrame.DlpackStruct struct) {
        int before = TestNatives.CountingDeleter.TOTAL.get();
        Tensors.Spec ok = tensors.spec().struct(struct);
        ok.deleter = 0;
        ImportedFrame imported = importTensor(ok.build(), struct, null);
        assertEquals(VideoFrame.Kind.DEVICE_BGRA, imported.frame().kind());
        imported.close();
        imported.close();

        Tensors.Spec bad = tensors.spec().struct(struct);
        bad.deleter = 0;
        bad.ndim = 4;
        long address = bad.build();
        assertThrows(InvalidFrameException.class, () -> importTensor(address, struct, null));
        assertEquals(before, TestNatives.CountingDeleter.TOTAL.get(), "no deleter was called");
    }

    @Test
    void theDeleterGetsTheManagedTensorItselfEvenFromAnotherThread() throws Exception {
        Tensors.Spec spec = tensors.spec();
        long address = spec.build();
        ImportedFrame imported = importTensor(address, spec.struct, null);
        Thread closer = new Thread(imported::close);
        closer.start();
        closer.join(5000);
        assertEquals(1, callsFor(address));
    }
}
