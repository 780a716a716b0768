package io.framewire.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;

import static io.framewire.api.Refusals.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameRulesTest {

    static final long PTR = 0x7f00_1234_0000L;

    static ServerConfig config(VideoInput input, int width, int height) {
        return ServerConfig.builder().videoInput(input).width(width).height(height).build();
    }

    /** A valid frame of {@code kind} and the given size (DLPACK has no size). */
    static VideoFrame frame(VideoFrame.Kind kind, int width, int height) {
        switch (kind) {
            case HOST_BGRA:
                return VideoFrame.hostBuffer(ByteBuffer.allocate(width * height * 4), width, height, width * 4);
            case DEVICE_BGRA:
                return VideoFrame.deviceBuffer(PTR, width, height, width * 4);
            case CUDA_ARRAY:
                return VideoFrame.fromCudaArray(new CudaArrayInterface(new long[] {height, width, 4}, "|u1", PTR,
                        false, null, 3, null));
            case DLPACK:
                return VideoFrame.fromDlpack(PTR, VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED);
            case BITSTREAM:
                return VideoFrame.encoded(PTR, width, height, 1000);
            default:
                throw new AssertionError(kind);
        }
    }

    @ParameterizedTest(name = "{0} session, {1} frame: accepted={2}")
    @CsvSource({
            "BGRA,   HOST_BGRA,   true",
            "BGRA,   DEVICE_BGRA, true",
            "BGRA,   CUDA_ARRAY,  true",
            "BGRA,   DLPACK,      false",
            "BGRA,   BITSTREAM,   false",
            "TENSOR, HOST_BGRA,   false",
            "TENSOR, DEVICE_BGRA, false",
            "TENSOR, CUDA_ARRAY,  true",
            "TENSOR, DLPACK,      true",
            "TENSOR, BITSTREAM,   false",
            "H264,   HOST_BGRA,   false",
            "H264,   DEVICE_BGRA, false",
            "H264,   CUDA_ARRAY,  false",
            "H264,   DLPACK,      false",
            "H264,   BITSTREAM,   true",
            "H265,   HOST_BGRA,   false",
            "H265,   DEVICE_BGRA, false",
            "H265,   CUDA_ARRAY,  false",
            "H265,   DLPACK,      false",
            "H265,   BITSTREAM,   true",
            "AV1,    HOST_BGRA,   false",
            "AV1,    DEVICE_BGRA, false",
            "AV1,    CUDA_ARRAY,  false",
            "AV1,    DLPACK,      false",
            "AV1,    BITSTREAM,   true",
    })
    void acceptsMatrix(VideoInput input, VideoFrame.Kind kind, boolean accepted) {
        assertEquals(accepted, FrameRules.accepts(input, kind));
        ServerConfig cfg = config(input, 640, 480);
        VideoFrame f = frame(kind, 640, 480);
        if (accepted) {
            assertDoesNotThrow(() -> FrameRules.check(f, cfg));
        } else {
            InvalidFrameException e = assertInvalid("kind", kind.name(), () -> FrameRules.check(f, cfg));
            assertEquals(kind, e.value());
            assertTrue(e.getMessage().contains("videoInput " + input), e.getMessage());
        }
    }

    @Test
    void bgraSessionRefusesBitstreamNamingExpectedKinds() {
        InvalidFrameException e = assertInvalid("kind", "BITSTREAM",
                () -> FrameRules.check(frame(VideoFrame.Kind.BITSTREAM, 1920, 1080), ServerConfig.builder().build()));
        assertTrue(e.getMessage().contains("HOST_BGRA, DEVICE_BGRA or CUDA_ARRAY"), e.getMessage());
    }

    @Test
    void bgraSessionRefusesDlpack() {
        InvalidFrameException e = assertInvalid("kind", "DLPACK",
                () -> FrameRules.check(frame(VideoFrame.Kind.DLPACK, 0, 0), ServerConfig.builder().build()));
        assertTrue(e.getMessage().contains("BGRA"), e.getMessage());
    }

    @Test
    void tensorSessionRefusesHostFrameNamingExpectedKinds() {
        InvalidFrameException e = assertInvalid("kind", "HOST_BGRA",
                () -> FrameRules.check(frame(VideoFrame.Kind.HOST_BGRA, 640, 480), config(VideoInput.TENSOR, 640, 480)));
        assertTrue(e.getMessage().contains("DLPACK or CUDA_ARRAY"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} session refuses pixels, naming the codec")
    @EnumSource(value = VideoInput.class, names = {"H264", "H265", "AV1"})
    void bitstreamSessionNamesCodec(VideoInput input) {
        InvalidFrameException e = assertInvalid("kind", "DEVICE_BGRA",
                () -> FrameRules.check(frame(VideoFrame.Kind.DEVICE_BGRA, 640, 480), config(input, 640, 480)));
        assertTrue(e.getMessage().contains("BITSTREAM of " + input.codec()), e.getMessage());
    }

    @Test
    void nullFrameIsRefused() {
        InvalidFrameException e = assertInvalid("frame", "null",
                () -> FrameRules.check(null, ServerConfig.builder().build()));
        assertEquals(null, e.value());
    }

    @ParameterizedTest(name = "{0} frame of wrong width refused")
    @EnumSource(value = VideoFrame.Kind.class, names = {"HOST_BGRA", "DEVICE_BGRA", "CUDA_ARRAY"})
    void widthMismatchNamesWidthAndBothValues(VideoFrame.Kind kind) {
        InvalidFrameException e = assertInvalid("width", "1280",
                () -> FrameRules.check(frame(kind, 1280, 1080), ServerConfig.builder().build()));
        assertTrue(e.getMessage().contains("1920"), e.getMessage());
        assertEquals(1280, e.value());
    }

    @ParameterizedTest(name = "{0} frame of wrong height refused")
    @EnumSource(value = VideoFrame.Kind.class, names = {"HOST_BGRA", "DEVICE_BGRA", "CUDA_ARRAY"})
    void heightMismatchNamesHeightAndBothValues(VideoFrame.Kind kind) {
        InvalidFrameException e = assertInvalid("height", "720",
                () -> FrameRules.check(frame(kind, 1920, 720), ServerConfig.builder().build()));
        assertTrue(e.getMessage().contains("1080"), e.getMessage());
        assertEquals(720, e.value());
    }

    @Test
    void widthIsCheckedBeforeHeight() {
        assertInvalid("width", "1280", () -> FrameRules.check(frame(VideoFrame.Kind.DEVICE_BGRA, 1280, 720),
                ServerConfig.builder().build()));
    }

    @Test
    void kindIsCheckedBeforeSize() {
        assertInvalid("kind", "BITSTREAM", () -> FrameRules.check(frame(VideoFrame.Kind.BITSTREAM, 1280, 720),
                ServerConfig.builder().build()));
    }

    @Test
    void bitstreamOfWrongSizeIsRefused() {
        ServerConfig cfg = config(VideoInput.H264, 1920, 1080);
        assertInvalid("width", "1280", () -> FrameRules.check(frame(VideoFrame.Kind.BITSTREAM, 1280, 1080), cfg));
        assertInvalid("height", "1088", () -> FrameRules.check(frame(VideoFrame.Kind.BITSTREAM, 1920, 1088), cfg));
    }

    @Test
    void cudaArrayOfWrongSizeInTensorSessionIsRefused() {
        assertInvalid("height", "480", () -> FrameRules.check(frame(VideoFrame.Kind.CUDA_ARRAY, 1920, 480),
                config(VideoInput.TENSOR, 1920, 1080)));
    }

    @Test
    void dlpackSizeIsLeftToThePlugin() {
        // width/height are 0 until the DLPack plugin reads the tensor
        assertDoesNotThrow(() -> FrameRules.check(frame(VideoFrame.Kind.DLPACK, 0, 0),
                config(VideoInput.TENSOR, 1920, 1080)));
    }

    @Test
    void matchingSizePasses() {
        assertDoesNotThrow(() -> FrameRules.check(frame(VideoFrame.Kind.DEVICE_BGRA, 1920, 1080),
                ServerConfig.builder().build()));
        assertDoesNotThrow(() -> FrameRules.checkStreamSize(16, 8192, config(VideoInput.BGRA, 16, 8192)));
    }

    @Test
    void checkStreamSizeDirectly() {
        ServerConfig cfg = ServerConfig.builder().build();
        InvalidFrameException w = assertInvalid("width", "1921", () -> FrameRules.checkStreamSize(1921, 1080, cfg));
        assertTrue(w.getMessage().contains("1920"), w.getMessage());
        InvalidFrameException h = assertInvalid("height", "0", () -> FrameRules.checkStreamSize(1920, 0, cfg));
        assertTrue(h.getMessage().contains("1080"), h.getMessage());
    }
}
