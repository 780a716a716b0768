package io.framewire.api;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;

import static io.framewire.api.Refusals.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoFrameTest {

    static final long PTR = 0x7f00_1234_0000L;
    static final int W = 1920;
    static final int H = 1080;

    static CudaArrayInterface bgraDescriptor(Long stream) {
        return new CudaArrayInterface(new long[] {H, W, 4}, "|u1", PTR, false, null, 3, stream);
    }

    @Nested
    class DeviceBuffer {

        @Test
        void validFrameCarriesItsFields() {
            VideoFrame f = VideoFrame.deviceBuffer(PTR, W, H, W * 4);
            assertEquals(VideoFrame.Kind.DEVICE_BGRA, f.kind());
            assertEquals(W, f.width());
            assertEquals(H, f.height());
            assertEquals(W * 4, f.pitchBytes());
            assertEquals(PTR, f.devicePointer());
            assertEquals(0, f.hostAddress());
            assertEquals(0, f.dlpackAddress());
            assertEquals(0, f.sizeBytes());
            assertNull(f.hostBuffer());
            assertNull(f.cudaArray());
            assertNull(f.dlpackStruct());
            assertNull(f.cudaSync());
            assertTrue(f.isDevice());
        }

        @ParameterizedTest(name = "pitchBytes={0} accepted for width 1000")
        @ValueSource(ints = {4000, 4001, 4096, 8192, Integer.MAX_VALUE})
        void pitchAtLeastWidthTimesFourIsAccepted(int pitch) {
            VideoFrame f = VideoFrame.deviceBuffer(PTR, 1000, 10, pitch);
            assertEquals(pitch, f.pitchBytes());
        }

        @ParameterizedTest(name = "pitchBytes={0} refused for width 1000")
        @ValueSource(ints = {3999, 3996, 1000, 0, -1, -4000, Integer.MIN_VALUE})
        void pitchBelowWidthTimesFourIsRefused(int pitch) {
            InvalidFrameException e = assertInvalid("pitchBytes", String.valueOf(pitch),
                    () -> VideoFrame.deviceBuffer(PTR, 1000, 10, pitch));
            assertTrue(e.getMessage().contains("4000"), e.getMessage());
            assertEquals(pitch, e.value());
        }

        @Test
        void pitch4000RefusedForWidth1001() {
            InvalidFrameException e = assertInvalid("pitchBytes", "4000",
                    () -> VideoFrame.deviceBuffer(PTR, 1001, 10, 4000));
            assertTrue(e.getMessage().contains("4004"), e.getMessage());
        }

        @Test
        void widthTimesFourIsComputedWithoutIntOverflow() {
            // width*4 overflows int for this width; the rule must still refuse the pitch
            InvalidFrameException e = assertInvalid("pitchBytes", String.valueOf(Integer.MAX_VALUE),
                    () -> VideoFrame.deviceBuffer(PTR, Integer.MAX_VALUE, 1, Integer.MAX_VALUE));
            assertTrue(e.getMessage().contains(String.valueOf(Integer.MAX_VALUE * 4L)), e.getMessage());
        }

        @ParameterizedTest(name = "width={0} refused")
        @ValueSource(ints = {0, -1, -1920, Integer.MIN_VALUE})
        void nonPositiveWidthIsRefused(int width) {
            InvalidFrameException e = assertInvalid("width", String.valueOf(width),
                    () -> VideoFrame.deviceBuffer(PTR, width, H, W * 4));
            assertEquals(width, e.value());
        }

        @ParameterizedTest(name = "height={0} refused")
        @ValueSource(ints = {0, -1, -1080, Integer.MIN_VALUE})
        void nonPositiveHeightIsRefused(int height) {
            InvalidFrameException e = assertInvalid("height", String.valueOf(height),
                    () -> VideoFrame.deviceBuffer(PTR, W, height, W * 4));
            assertEquals(height, e.value());
        }

        @Test
        void nullPointerIsRefused() {
            InvalidFrameException e = assertInvalid("buffer", "0",
                    () -> VideoFrame.deviceBuffer(0L, W, H, W * 4));
            assertEquals(0L, e.value());
        }
    }

    @Nested
    class HostBuffer {

        @Test
        void exactCompactSizeIsAccepted() {
            ByteBuffer buf = ByteBuffer.allocate(4 * 4 * 3);
            VideoFrame f = VideoFrame.hostBuffer(buf, 4, 3, 16);
            assertEquals(VideoFrame.Kind.HOST_BGRA, f.kind());
            assertSame(buf, f.hostBuffer());
            assertEquals(4, f.width());
            assertEquals(3, f.height());
            assertEquals(16, f.pitchBytes());
            assertFalse(f.isDevice());
            assertEquals(0, f.devicePointer());
            assertEquals(0, f.hostAddress());
            assertEquals(0, f.sizeBytes());
            assertNull(f.cudaSync());
        }

        @Test
        void exactPaddedSizeIsAccepted() {
            // pitch 20, height 3, width 4: needs 20*2 + 16 = 56 bytes (the last row needs no padding)
            VideoFrame f = VideoFrame.hostBuffer(ByteBuffer.allocateDirect(56), 4, 3, 20);
            assertEquals(20, f.pitchBytes());
        }

        @Test
        void largerBufferIsAccepted() {
            VideoFrame f = VideoFrame.hostBuffer(ByteBuffer.allocate(1000), 4, 3, 20);
            assertEquals(VideoFrame.Kind.HOST_BGRA, f.kind());
        }

        @Test
        void bufferOneByteTooSmallIsRefused() {
            InvalidFrameException e = assertInvalid("buffer.remaining", "55",
                    () -> VideoFrame.hostBuffer(ByteBuffer.allocate(55), 4, 3, 20));
            assertTrue(e.getMessage().contains("56"), e.getMessage());
            assertEquals(55, e.value());
        }

        @Test
        void compactBufferOneByteTooSmallIsRefused() {
            InvalidFrameException e = assertInvalid("buffer.remaining", String.valueOf(W * H * 4 - 1),
                    () -> VideoFrame.hostBuffer(ByteBuffer.allocate(W * H * 4 - 1), W, H, W * 4));
            assertTrue(e.getMessage().contains(String.valueOf(W * H * 4)), e.getMessage());
        }

        @Test
        void sizeIsMeasuredFromPosition() {
            ByteBuffer buf = ByteBuffer.allocate(60);
            buf.position(10); // 50 remaining, 56 needed
            InvalidFrameException e = assertInvalid("buffer.remaining", "50",
                    () -> VideoFrame.hostBuffer(buf, 4, 3, 20));
            assertTrue(e.getMessage().contains("56"), e.getMessage());

            buf.position(4); // 56 remaining: exactly enough
            assertEquals(VideoFrame.Kind.HOST_BGRA, VideoFrame.hostBuffer(buf, 4, 3, 20).kind());
        }

        @Test
        void emptyBufferIsRefused() {
            assertInvalid("buffer.remaining", "0", () -> VideoFrame.hostBuffer(ByteBuffer.allocate(0), 1, 1, 4));
        }

        @ParameterizedTest(name = "pitchBytes={0} refused for width 4")
        @ValueSource(ints = {15, 12, 0, -16})
        void pitchBelowWidthTimesFourIsRefused(int pitch) {
            InvalidFrameException e = assertInvalid("pitchBytes", String.valueOf(pitch),
                    () -> VideoFrame.hostBuffer(ByteBuffer.allocate(1000), 4, 3, pitch));
            assertTrue(e.getMessage().contains("16"), e.getMessage());
        }

        @ParameterizedTest(name = "width={0} refused")
        @ValueSource(ints = {0, -1})
        void nonPositiveWidthIsRefused(int width) {
            assertInvalid("width", String.valueOf(width),
                    () -> VideoFrame.hostBuffer(ByteBuffer.allocate(1000), width, 3, 16));
        }

        @ParameterizedTest(name = "height={0} refused")
        @ValueSource(ints = {0, -1})
        void nonPositiveHeightIsRefused(int height) {
            assertInvalid("height", String.valueOf(height),
                    () -> VideoFrame.hostBuffer(ByteBuffer.allocate(1000), 4, height, 16));
        }

        @Test
        void nullBufferIsRefusedNamingIt() {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> VideoFrame.hostBuffer(null, 4, 3, 16));
            assertEquals("buffer", e.getMessage());
        }
    }

    @Nested
    class Of {

        @Test
        void sizeBytesZeroDescribesDeviceBgra() {
            VideoFrame f = VideoFrame.of(PTR, W, H, 8192, 0);
            assertEquals(VideoFrame.Kind.DEVICE_BGRA, f.kind());
            assertEquals(PTR, f.devicePointer());
            assertEquals(8192, f.pitchBytes());
            assertEquals(0, f.sizeBytes());
            assertTrue(f.isDevice());
        }

        @Test
        void sizeBytesPositiveDescribesBitstream() {
            VideoFrame f = VideoFrame.of(PTR, W, H, 0, 12345);
            assertEquals(VideoFrame.Kind.BITSTREAM, f.kind());
            assertEquals(PTR, f.hostAddress());
            assertEquals(0, f.devicePointer());
            assertEquals(12345, f.sizeBytes());
            assertEquals(0, f.pitchBytes());
            assertEquals(W, f.width());
            assertEquals(H, f.height());
            assertFalse(f.isDevice());
            assertNull(f.hostBuffer());
        }

        @ParameterizedTest(name = "sizeBytes={0} refused")
        @ValueSource(ints = {-1, -100, Integer.MIN_VALUE})
        void negativeSizeBytesIsRefused(int size) {
            InvalidFrameException e = assertInvalid("sizeBytes", String.valueOf(size),
                    () -> VideoFrame.of(PTR, W, H, 0, size));
            assertEquals(size, e.value());
        }

        @ParameterizedTest(name = "pitchBytes={0} with sizeBytes>0 refused")
        @ValueSource(ints = {7680, 1, -1})
        void nonZeroPitchWithBitstreamIsRefused(int pitch) {
            InvalidFrameException e = assertInvalid("pitchBytes", String.valueOf(pitch),
                    () -> VideoFrame.of(PTR, W, H, pitch, 5000));
            assertTrue(e.getMessage().contains("sizeBytes"), e.getMessage());
        }

        @Test
        void deviceRulesApplyWhenSizeBytesIsZero() {
            assertInvalid("pitchBytes", "4000", () -> VideoFrame.of(PTR, 1001, 10, 4000, 0));
            assertInvalid("buffer", "0", () -> VideoFrame.of(0L, W, H, W * 4, 0));
            assertInvalid("width", "0", () -> VideoFrame.of(PTR, 0, H, W * 4, 0));
            assertInvalid("height", "-1", () -> VideoFrame.of(PTR, W, -1, W * 4, 0));
        }

        @Test
        void bitstreamRulesApplyWhenSizeBytesIsPositive() {
            assertInvalid("buffer", "0", () -> VideoFrame.of(0L, W, H, 0, 100));
            assertInvalid("width", "0", () -> VideoFrame.of(PTR, 0, H, 0, 100));
            assertInvalid("height", "0", () -> VideoFrame.of(PTR, W, 0, 0, 100));
        }
    }

    @Nested
    class Encoded {

        @Test
        void byAddress() {
            VideoFrame f = VideoFrame.encoded(PTR, W, H, 777);
            assertEquals(VideoFrame.Kind.BITSTREAM, f.kind());
            assertEquals(PTR, f.hostAddress());
            assertEquals(777, f.sizeBytes());
            assertNull(f.hostBuffer());
            assertFalse(f.isDevice());
        }

        @ParameterizedTest(name = "sizeBytes={0} refused")
        @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
        void byAddressNonPositiveSizeIsRefused(int size) {
            assertInvalid("sizeBytes", String.valueOf(size), () -> VideoFrame.encoded(PTR, W, H, size));
        }

        @Test
        void byAddressNullPointerIsRefused() {
            assertInvalid("buffer", "0", () -> VideoFrame.encoded(0L, W, H, 100));
        }

        @Test
        void byAddressNonPositiveSidesAreRefused() {
            assertInvalid("width", "0", () -> VideoFrame.encoded(PTR, 0, H, 100));
            assertInvalid("width", "-5", () -> VideoFrame.encoded(PTR, -5, H, 100));
            assertInvalid("height", "0", () -> VideoFrame.encoded(PTR, W, 0, 100));
            assertInvalid("height", "-5", () -> VideoFrame.encoded(PTR, W, -5, 100));
        }

        @Test
        void byBuffer() {
            ByteBuffer data = ByteBuffer.allocate(100);
            VideoFrame f = VideoFrame.encoded(data, W, H, 60);
            assertEquals(VideoFrame.Kind.BITSTREAM, f.kind());
            assertSame(data, f.hostBuffer());
            assertEquals(0, f.hostAddress());
            assertEquals(60, f.sizeBytes());
            assertEquals(0, f.pitchBytes());
            assertFalse(f.isDevice());
        }

        @Test
        void byBufferExactSizeIsAccepted() {
            assertEquals(100, VideoFrame.encoded(ByteBuffer.allocate(100), W, H, 100).sizeBytes());
        }

        @Test
        void byBufferSmallerThanSizeBytesIsRefused() {
            InvalidFrameException e = assertInvalid("sizeBytes", "101",
                    () -> VideoFrame.encoded(ByteBuffer.allocate(100), W, H, 101));
            assertTrue(e.getMessage().contains("100"), e.getMessage());
        }

        @Test
        void byBufferSizeIsMeasuredFromPosition() {
            ByteBuffer data = ByteBuffer.allocate(100);
            data.position(50);
            InvalidFrameException e = assertInvalid("sizeBytes", "51", () -> VideoFrame.encoded(data, W, H, 51));
            assertTrue(e.getMessage().contains("50"), e.getMessage());
            assertEquals(50, VideoFrame.encoded(data, W, H, 50).sizeBytes());
        }

        @ParameterizedTest(name = "sizeBytes={0} refused")
        @ValueSource(ints = {0, -1})
        void byBufferNonPositiveSizeIsRefused(int size) {
            assertInvalid("sizeBytes", String.valueOf(size),
                    () -> VideoFrame.encoded(ByteBuffer.allocate(100), W, H, size));
        }

        @Test
        void byBufferNonPositiveSidesAreRefused() {
            assertInvalid("width", "0", () -> VideoFrame.encoded(ByteBuffer.allocate(10), 0, H, 10));
            assertInvalid("height", "-1", () -> VideoFrame.encoded(ByteBuffer.allocate(10), W, -1, 10));
        }

        @Test
        void byBufferNullDataIsRefusedNamingIt() {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> VideoFrame.encoded((ByteBuffer) null, W, H, 10));
            assertEquals("data", e.getMessage());
        }
    }

    @Nested
    class FromCudaArray {

        @Test
        void compactDescriptorGivesPitchWidthTimesFour() {
            CudaArrayInterface d = bgraDescriptor(null);
            VideoFrame f = VideoFrame.fromCudaArray(d);
            assertEquals(VideoFrame.Kind.CUDA_ARRAY, f.kind());
            assertEquals(W, f.width());
            assertEquals(H, f.height());
            assertEquals(W * 4, f.pitchBytes());
            assertEquals(PTR, f.devicePointer());
            assertSame(d, f.cudaArray());
            assertTrue(f.isDevice());
            assertNull(f.cudaSync());
        }

        @Test
        void paddedStridesGivePitch() {
            CudaArrayInterface d = new CudaArrayInterface(new long[] {H, W, 4}, "|u1", PTR, true,
                    new long[] {8192, 4, 1}, 3, null);
            assertEquals(8192, VideoFrame.fromCudaArray(d).pitchBytes());
        }

        @ParameterizedTest(name = "stream={0} becomes CudaSync.onStream({0})")
        @ValueSource(longs = {1, 2, 7, 0x7f00_0000_1000L})
        void streamBecomesCudaSync(long stream) {
            VideoFrame f = VideoFrame.fromCudaArray(bgraDescriptor(stream));
            assertEquals(CudaSync.onStream(stream), f.cudaSync());
            assertFalse(f.cudaSync().hasEvent());
        }

        @Test
        void invalidDescriptorIsRefused() {
            CudaArrayInterface d = new CudaArrayInterface(new long[] {H, W, 3}, "|u1", PTR, false, null, 3, null);
            assertInvalid("shape[2]", "3", () -> VideoFrame.fromCudaArray(d));
        }

        @Test
        void streamZeroIsRefused() {
            assertInvalid("stream", "0", () -> VideoFrame.fromCudaArray(bgraDescriptor(0L)));
        }

        @Test
        void nullDescriptorIsRefused() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> VideoFrame.fromCudaArray(null));
            assertEquals("descriptor", e.getMessage());
        }
    }

    @Nested
    class FromDlpack {

        @ParameterizedTest
        @EnumSource(VideoFrame.DlpackStruct.class)
        void validAddress(VideoFrame.DlpackStruct struct) {
            VideoFrame f = VideoFrame.fromDlpack(PTR, struct);
            assertEquals(VideoFrame.Kind.DLPACK, f.kind());
            assertEquals(PTR, f.dlpackAddress());
            assertEquals(0, f.devicePointer());
            assertEquals(0, f.hostAddress());
            assertEquals(struct, f.dlpackStruct());
            assertEquals(0, f.width());
            assertEquals(0, f.height());
            assertEquals(0, f.pitchBytes());
            assertTrue(f.isDevice());
            assertNull(f.cudaSync());
        }

        @Test
        void nullAddressIsRefused() {
            InvalidFrameException e = assertInvalid("managedTensorAddress", "0",
                    () -> VideoFrame.fromDlpack(0L, VideoFrame.DlpackStruct.MANAGED_TENSOR_VERSIONED));
            assertEquals(0L, e.value());
        }

        @Test
        void nullStructIsRefusedNamingIt() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> VideoFrame.fromDlpack(PTR, null));
            assertEquals("struct", e.getMessage());
        }
    }

    @Nested
    class WithSync {

        @Test
        void deviceBufferGetsSyncAndKeepsEverythingElse() {
            VideoFrame f = VideoFrame.deviceBuffer(PTR, W, H, 8192);
            CudaSync sync = CudaSync.onEvent(7, 99);
            VideoFrame g = f.withSync(sync);
            assertNotSame(f, g);
            assertNull(f.cudaSync(), "the original is immutable");
            assertSame(sync, g.cudaSync());
            assertEquals(f.kind(), g.kind());
            assertEquals(f.width(), g.width());
            assertEquals(f.height(), g.height());
            assertEquals(f.pitchBytes(), g.pitchBytes());
            assertEquals(f.devicePointer(), g.devicePointer());
        }

        @Test
        void cudaArrayFrameSyncIsReplaced() {
            VideoFrame f = VideoFrame.fromCudaArray(bgraDescriptor(7L));
            VideoFrame g = f.withSync(CudaSync.onEvent(0, 42));
            assertEquals(CudaSync.onEvent(0, 42), g.cudaSync());
            assertSame(f.cudaArray(), g.cudaArray());
            assertEquals(CudaSync.onStream(7), f.cudaSync());
        }

        @Test
        void dlpackFrameAcceptsSync() {
            VideoFrame f = VideoFrame.fromDlpack(PTR, VideoFrame.DlpackStruct.MANAGED_TENSOR);
            VideoFrame g = f.withSync(CudaSync.onStream(2));
            assertEquals(CudaSync.onStream(2), g.cudaSync());
            assertEquals(PTR, g.dlpackAddress());
            assertEquals(VideoFrame.DlpackStruct.MANAGED_TENSOR, g.dlpackStruct());
        }

        @Test
        void hostFrameIsRefused() {
            VideoFrame f = VideoFrame.hostBuffer(ByteBuffer.allocate(64), 4, 4, 16);
            CudaSync sync = CudaSync.onStream(1);
            InvalidFrameException e = assertInvalid("cudaSync", sync.toString(), () -> f.withSync(sync));
            assertTrue(e.getMessage().contains("HOST_BGRA"), e.getMessage());
            assertSame(sync, e.value());
        }

        @Test
        void bitstreamByAddressIsRefused() {
            VideoFrame f = VideoFrame.encoded(PTR, W, H, 100);
            CudaSync sync = CudaSync.onStream(2);
            InvalidFrameException e = assertInvalid("cudaSync", sync.toString(), () -> f.withSync(sync));
            assertTrue(e.getMessage().contains("BITSTREAM"), e.getMessage());
        }

        @Test
        void bitstreamByBufferIsRefused() {
            VideoFrame f = VideoFrame.encoded(ByteBuffer.allocate(10), W, H, 10);
            CudaSync sync = CudaSync.onEvent(5, 6);
            InvalidFrameException e = assertInvalid("cudaSync", sync.toString(), () -> f.withSync(sync));
            assertTrue(e.getMessage().contains("BITSTREAM"), e.getMessage());
        }

        @Test
        void hostFrameIsRefusedEvenForNullSync() {
            VideoFrame f = VideoFrame.hostBuffer(ByteBuffer.allocate(64), 4, 4, 16);
            assertInvalid("cudaSync", "null", () -> f.withSync(null));
        }
    }
}
