package io.framewire.api;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.framewire.api.Refusals.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaArrayInterfaceTest {

    static final long PTR = 0x7f00_1234_0000L;
    static final int W = 1920;
    static final int H = 1080;

    static CudaArrayInterface desc(long[] shape, String typestr, long ptr, long[] strides, int version, Long stream) {
        return new CudaArrayInterface(shape, typestr, ptr, false, strides, version, stream);
    }

    static CudaArrayInterface withShape(long... shape) {
        return desc(shape, "|u1", PTR, null, 3, null);
    }

    static CudaArrayInterface withStrides(long... strides) {
        return desc(new long[] {H, W, 4}, "|u1", PTR, strides, 3, null);
    }

    @Nested
    class BgraLayoutRules {

        @ParameterizedTest(name = "version={0} accepted")
        @ValueSource(ints = {2, 3})
        void supportedVersions(int version) {
            CudaArrayInterface.BgraLayout l = desc(new long[] {H, W, 4}, "|u1", PTR, null, version, null).bgraLayout();
            assertEquals(new CudaArrayInterface.BgraLayout(W, H, W * 4), l);
        }

        @ParameterizedTest(name = "version={0} refused")
        @ValueSource(ints = {1, 4, 0, -1, 100})
        void unsupportedVersions(int version) {
            InvalidFrameException e = assertInvalid("version", String.valueOf(version),
                    () -> desc(new long[] {H, W, 4}, "|u1", PTR, null, version, null).bgraLayout());
            assertEquals(version, e.value());
        }

        @Test
        void versionIsCheckedFirst() {
            assertInvalid("version", "1", () -> desc(null, null, 0, null, 1, 0L).bgraLayout());
        }

        @Test
        void nullShapeIsRefused() {
            assertInvalid("shape", "null", () -> withShape((long[]) null).bgraLayout());
        }

        static Stream<long[]> wrongRankShapes() {
            return Stream.of(new long[] {}, new long[] {H * W * 4L}, new long[] {H, W}, new long[] {H, W, 4, 1},
                    new long[] {1, H, W, 4});
        }

        @ParameterizedTest(name = "shape={0} refused")
        @MethodSource("wrongRankShapes")
        void wrongShapeLength(long[] shape) {
            InvalidFrameException e = assertInvalid("shape", Arrays.toString(shape), () -> withShape(shape).bgraLayout());
            assertArrayEquals(shape, (long[]) e.value());
        }

        @ParameterizedTest(name = "shape[0]={0} refused")
        @ValueSource(longs = {0, -1, -1080})
        void nonPositiveHeight(long h) {
            InvalidFrameException e = assertInvalid("shape[0]", String.valueOf(h), () -> withShape(h, W, 4).bgraLayout());
            assertEquals(h, e.value());
        }

        @ParameterizedTest(name = "shape[1]={0} refused")
        @ValueSource(longs = {0, -1, -1920})
        void nonPositiveWidth(long w) {
            InvalidFrameException e = assertInvalid("shape[1]", String.valueOf(w), () -> withShape(H, w, 4).bgraLayout());
            assertEquals(w, e.value());
        }

        @Test
        void heightBeyondIntIsRefused() {
            long h = Integer.MAX_VALUE + 1L;
            InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> withShape(h, W, 4).bgraLayout());
            assertEquals("shape[0]", e.field());
            assertEquals(h, e.value());
            assertTrue(e.getMessage().startsWith("shape[0]="), e.getMessage());
            // the rendering of this value is covered in SizesRenderedInDecimal
        }

        @Test
        void widthWhosePitchOverflowsIntIsRefused() {
            long w = Integer.MAX_VALUE / 4 + 1L;
            InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> withShape(H, w, 4).bgraLayout());
            assertEquals("shape[1]", e.field());
            assertEquals(w, e.value());
            assertTrue(e.getMessage().startsWith("shape[1]="), e.getMessage());
            // largest accepted width
            assertEquals(Integer.MAX_VALUE / 4, withShape(1, Integer.MAX_VALUE / 4, 4).bgraLayout().width());
        }

        @ParameterizedTest(name = "shape[2]={0} refused")
        @ValueSource(longs = {3, 1, 0, -4, 8})
        void channelsMustBeFour(long c) {
            InvalidFrameException e = assertInvalid("shape[2]", String.valueOf(c), () -> withShape(H, W, c).bgraLayout());
            assertEquals(c, e.value());
        }

        @ParameterizedTest(name = "typestr={0} accepted")
        @ValueSource(strings = {"|u1", "<u1", ">u1", "=u1"})
        void byteTypestrs(String t) {
            assertEquals(W, desc(new long[] {H, W, 4}, t, PTR, null, 3, null).bgraLayout().width());
        }

        @ParameterizedTest(name = "typestr={0} refused")
        @ValueSource(strings = {"<f4", "|i1", "<u2", "|b1", "u1", "|U1", ""})
        void nonByteTypestrs(String t) {
            InvalidFrameException e = assertInvalid("typestr", t,
                    () -> desc(new long[] {H, W, 4}, t, PTR, null, 3, null).bgraLayout());
            assertEquals(t, e.value());
        }

        /**
         * Regression test: a null typestr used to escape as a NullPointerException:
         * bgraLayout() documents an InvalidFrameException naming "typestr", but a null typestr (possible
         * through the canonical constructor) reaches BYTE_TYPES.contains(null) on an immutable Set.of(...),
         * which throws a bare NullPointerException instead.
         */
        @Test
        void nullTypestrIsRefused() {
            assertInvalid("typestr", "null", () -> desc(new long[] {H, W, 4}, null, PTR, null, 3, null).bgraLayout());
        }

        @Test
        void nullDataPointerIsRefused() {
            InvalidFrameException e = assertInvalid("data", "0",
                    () -> desc(new long[] {H, W, 4}, "|u1", 0, null, 3, null).bgraLayout());
            assertEquals(0L, e.value());
        }

        @Test
        void streamZeroIsRefused() {
            InvalidFrameException e = assertInvalid("stream", "0",
                    () -> desc(new long[] {H, W, 4}, "|u1", PTR, null, 3, 0L).bgraLayout());
            assertEquals(0L, e.value());
        }

        @ParameterizedTest(name = "stream={0} accepted")
        @ValueSource(longs = {1, 2, 7, -1, 0x7f00_0000_1000L})
        void nonZeroStreamIsAccepted(long stream) {
            assertEquals(H, desc(new long[] {H, W, 4}, "|u1", PTR, null, 3, stream).bgraLayout().height());
        }

        @Test
        void absentStreamIsAccepted() {
            assertEquals(H, desc(new long[] {H, W, 4}, "|u1", PTR, null, 3, null).bgraLayout().height());
        }

        @Test
        void nullStridesMeanCompactPitch() {
            assertEquals(new CudaArrayInterface.BgraLayout(W, H, W * 4), withStrides((long[]) null).bgraLayout());
            assertEquals(new CudaArrayInterface.BgraLayout(3, 5, 12), withShape(5, 3, 4).bgraLayout());
        }

        @Test
        void explicitCompactStridesAreAccepted() {
            assertEquals(new CudaArrayInterface.BgraLayout(W, H, W * 4), withStrides(W * 4L, 4, 1).bgraLayout());
        }

        @ParameterizedTest(name = "strides[0]={0} accepted as pitch")
        @ValueSource(longs = {W * 4L + 1, 7936, 8192, 16384, Integer.MAX_VALUE})
        void paddedPitchIsAccepted(long pitch) {
            assertEquals(new CudaArrayInterface.BgraLayout(W, H, (int) pitch), withStrides(pitch, 4, 1).bgraLayout());
        }

        static Stream<long[]> wrongRankStrides() {
            return Stream.of(new long[] {}, new long[] {4}, new long[] {7680, 4}, new long[] {7680, 4, 1, 1});
        }

        @ParameterizedTest(name = "strides={0} refused")
        @MethodSource("wrongRankStrides")
        void wrongStridesLength(long[] strides) {
            InvalidFrameException e = assertInvalid("strides", Arrays.toString(strides),
                    () -> withStrides(strides).bgraLayout());
            assertArrayEquals(strides, (long[]) e.value());
        }

        @ParameterizedTest(name = "strides[2]={0} refused")
        @ValueSource(longs = {0, 2, 4, -1})
        void channelStrideMustBeOne(long s) {
            assertInvalid("strides[2]", String.valueOf(s), () -> withStrides(W * 4L, 4, s).bgraLayout());
        }

        @ParameterizedTest(name = "strides[1]={0} refused")
        @ValueSource(longs = {0, 1, 3, 8, -4})
        void pixelStrideMustBeFour(long s) {
            assertInvalid("strides[1]", String.valueOf(s), () -> withStrides(W * 4L, s, 1).bgraLayout());
        }

        @ParameterizedTest(name = "strides[0]={0} refused for width 1920")
        @ValueSource(longs = {W * 4L - 1, 7676, 4, 0, -7680})
        void pitchBelowWidthTimesFourIsRefused(long pitch) {
            InvalidFrameException e = assertInvalid("strides[0]", String.valueOf(pitch),
                    () -> withStrides(pitch, 4, 1).bgraLayout());
            assertTrue(e.getMessage().contains("7680"), e.getMessage());
            assertEquals(pitch, e.value());
        }

        @Test
        void pitchBeyondIntIsRefused() {
            long pitch = Integer.MAX_VALUE + 1L;
            InvalidFrameException e = assertThrows(InvalidFrameException.class,
                    () -> withStrides(pitch, 4, 1).bgraLayout());
            assertEquals("strides[0]", e.field());
            assertEquals(pitch, e.value());
        }

        @Test
        void columnMajorStridesAreRefused() {
            // Fortran order for (5, 6, 4) uint8: (1, 5, 30)
            assertInvalid("strides[2]", "30",
                    () -> desc(new long[] {5, 6, 4}, "|u1", PTR, new long[] {1, 5, 30}, 3, null).bgraLayout());
        }
    }

    /**
     * Regression tests: sizes and strides used to be rendered in hex in messages:
     * InvalidFrameException renders every Long value above 0xFFFF in hex, which is meant for pointers
     * and handles. The descriptor's shape and strides are Longs too, so a refused size or stride is
     * shown as e.g. "strides[0]=0x1387c: row pitch in bytes must be >= width*4 = 80000" - the value in
     * hex next to a limit in decimal. Sizes and strides should be rendered in decimal.
     */
    @Nested
    class SizesRenderedInDecimal {

        @Test
        void largeRefusedPitchIsRenderedInDecimal() {
            CudaArrayInterface d = desc(new long[] {10, 20000, 4}, "|u1", PTR, new long[] {79996, 4, 1}, 3, null);
            InvalidFrameException e = assertThrows(InvalidFrameException.class, d::bgraLayout);
            assertEquals("strides[0]", e.field());
            assertEquals(79996L, e.value());
            assertTrue(e.getMessage().contains("strides[0]=79996"), e.getMessage());
        }

        @Test
        void largeRefusedChannelCountIsRenderedInDecimal() {
            InvalidFrameException e = assertThrows(InvalidFrameException.class,
                    () -> withShape(H, W, 65536).bgraLayout());
            assertEquals("shape[2]", e.field());
            assertEquals(65536L, e.value());
            assertTrue(e.getMessage().contains("shape[2]=65536"), e.getMessage());
        }

        @Test
        void tooLargeHeightIsRenderedInDecimal() {
            long h = Integer.MAX_VALUE + 1L;
            InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> withShape(h, W, 4).bgraLayout());
            assertTrue(e.getMessage().contains("shape[0]=2147483648"), e.getMessage());
        }
    }

    @Nested
    class DefensiveCopies {

        @Test
        void constructorCopiesArrays() {
            long[] shape = {H, W, 4};
            long[] strides = {8192, 4, 1};
            CudaArrayInterface d = desc(shape, "|u1", PTR, strides, 3, null);
            shape[2] = 3;
            shape[1] = -1;
            strides[0] = 1;
            assertArrayEquals(new long[] {H, W, 4}, d.shape());
            assertArrayEquals(new long[] {8192, 4, 1}, d.strides());
            assertEquals(new CudaArrayInterface.BgraLayout(W, H, 8192), d.bgraLayout());
        }

        @Test
        void accessorsReturnCopies() {
            CudaArrayInterface d = desc(new long[] {H, W, 4}, "|u1", PTR, new long[] {8192, 4, 1}, 3, null);
            d.shape()[2] = 3;
            d.strides()[1] = 8;
            assertArrayEquals(new long[] {H, W, 4}, d.shape());
            assertArrayEquals(new long[] {8192, 4, 1}, d.strides());
            assertEquals(new CudaArrayInterface.BgraLayout(W, H, 8192), d.bgraLayout());
        }

        @Test
        void nullArraysStayNull() {
            CudaArrayInterface d = desc(null, "|u1", PTR, null, 3, null);
            assertNull(d.shape());
            assertNull(d.strides());
        }

        @Test
        void fromMapCopiesPrimitiveArrays() {
            long[] shape = {H, W, 4};
            long[] strides = {8192, 4, 1};
            Map<String, Object> dict = pythonDict();
            dict.put("shape", shape);
            dict.put("strides", strides);
            CudaArrayInterface d = CudaArrayInterface.fromMap(dict);
            shape[2] = 3;
            strides[1] = 8;
            assertEquals(new CudaArrayInterface.BgraLayout(W, H, 8192), d.bgraLayout());
        }

        @Test
        void equalityComparesArrayContents() {
            CudaArrayInterface a = desc(new long[] {H, W, 4}, "|u1", PTR, new long[] {8192, 4, 1}, 3, 7L);
            CudaArrayInterface b = desc(new long[] {H, W, 4}, "|u1", PTR, new long[] {8192, 4, 1}, 3, 7L);
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            assertFalse(a.equals(desc(new long[] {H, W, 4}, "|u1", PTR, new long[] {7680, 4, 1}, 3, 7L)));
        }
    }

    /** A map as Python's {@code __cuda_array_interface__} gives it (tuples as lists, None as null). */
    static Map<String, Object> pythonDict() {
        Map<String, Object> dict = new HashMap<>();
        dict.put("shape", List.of(1080, 1920, 4));
        dict.put("typestr", "|u1");
        dict.put("data", List.of(PTR, Boolean.FALSE));
        dict.put("version", 3);
        dict.put("strides", null);
        dict.put("descr", List.of(List.of("", "|u1")));
        dict.put("stream", null);
        return dict;
    }

    @Nested
    class FromMap {

        @Test
        void pythonShapedDictIsRead() {
            CudaArrayInterface d = CudaArrayInterface.fromMap(pythonDict());
            assertArrayEquals(new long[] {H, W, 4}, d.shape());
            assertEquals("|u1", d.typestr());
            assertEquals(PTR, d.dataPointer());
            assertFalse(d.readOnly());
            assertNull(d.strides());
            assertEquals(3, d.version());
            assertNull(d.stream());
            assertEquals(new CudaArrayInterface.BgraLayout(W, H, W * 4), d.bgraLayout());
        }

        @Test
        void streamNoneGivesNoCudaSync() {
            VideoFrame f = VideoFrame.fromCudaArray(CudaArrayInterface.fromMap(pythonDict()));
            assertEquals(VideoFrame.Kind.CUDA_ARRAY, f.kind());
            assertEquals(PTR, f.devicePointer());
            assertNull(f.cudaSync());
        }

        @Test
        void absentStreamKeyGivesNoCudaSync() {
            Map<String, Object> dict = pythonDict();
            dict.remove("stream");
            dict.remove("strides");
            dict.remove("descr");
            assertNull(VideoFrame.fromCudaArray(CudaArrayInterface.fromMap(dict)).cudaSync());
        }

        @Test
        void stream7GivesCudaSyncOnStream7() {
            Map<String, Object> dict = pythonDict();
            dict.put("stream", 7);
            CudaArrayInterface d = CudaArrayInterface.fromMap(dict);
            assertEquals(7L, d.stream());
            assertEquals(CudaSync.onStream(7), VideoFrame.fromCudaArray(d).cudaSync());
        }

        @Test
        void stream0IsReadButRefusedByTheLayoutRules() {
            Map<String, Object> dict = pythonDict();
            dict.put("stream", 0);
            CudaArrayInterface d = CudaArrayInterface.fromMap(dict);
            assertInvalid("stream", "0", () -> VideoFrame.fromCudaArray(d));
        }

        @Test
        void readonlyTrueAndPaddedStrides() {
            Map<String, Object> dict = pythonDict();
            dict.put("data", List.of(PTR, Boolean.TRUE));
            dict.put("strides", List.of(8192, 4, 1));
            CudaArrayInterface d = CudaArrayInterface.fromMap(dict);
            assertTrue(d.readOnly());
            assertArrayEquals(new long[] {8192, 4, 1}, d.strides());
            assertEquals(8192, VideoFrame.fromCudaArray(d).pitchBytes());
        }

        @Test
        void version2DictIsRead() {
            Map<String, Object> dict = pythonDict();
            dict.put("version", 2);
            dict.remove("stream");
            assertEquals(2, CudaArrayInterface.fromMap(dict).version());
            assertEquals(W, VideoFrame.fromCudaArray(CudaArrayInterface.fromMap(dict)).width());
        }

        @Test
        void pythonIntsAsLongsAndArraysAreRead() {
            Map<String, Object> dict = pythonDict();
            dict.put("shape", new Object[] {1080L, 1920L, 4L});
            dict.put("data", new Object[] {PTR, false});
            dict.put("version", 3L);
            dict.put("strides", new int[] {7680, 4, 1});
            dict.put("stream", 2L);
            CudaArrayInterface d = CudaArrayInterface.fromMap(dict);
            assertArrayEquals(new long[] {H, W, 4}, d.shape());
            assertArrayEquals(new long[] {7680, 4, 1}, d.strides());
            assertEquals(2L, d.stream());
        }

        @Test
        void layoutRulesStillApplyAfterReading() {
            Map<String, Object> dict = pythonDict();
            dict.put("typestr", "<f4");
            CudaArrayInterface d = CudaArrayInterface.fromMap(dict);
            assertInvalid("typestr", "<f4", d::bgraLayout);
        }

        @ParameterizedTest(name = "missing {0} is named")
        @ValueSource(strings = {"shape", "typestr", "data", "version"})
        void missingRequiredKeyIsNamed(String key) {
            Map<String, Object> dict = pythonDict();
            dict.remove(key);
            InvalidFrameException e = assertInvalid(key, "null", () -> CudaArrayInterface.fromMap(dict));
            assertTrue(e.getMessage().contains("required"), e.getMessage());
            assertNull(e.value());
        }

        @ParameterizedTest(name = "{0}=None is named")
        @ValueSource(strings = {"shape", "typestr", "data", "version"})
        void noneRequiredKeyIsNamed(String key) {
            Map<String, Object> dict = pythonDict();
            dict.put(key, null);
            assertInvalid(key, "null", () -> CudaArrayInterface.fromMap(dict));
        }

        @Test
        void maskIsRefused() {
            Map<String, Object> dict = pythonDict();
            dict.put("mask", "someMask");
            InvalidFrameException e = assertInvalid("mask", "someMask", () -> CudaArrayInterface.fromMap(dict));
            assertEquals("someMask", e.value());
        }

        @Test
        void maskNoneIsAccepted() {
            Map<String, Object> dict = pythonDict();
            dict.put("mask", null);
            assertEquals(W, CudaArrayInterface.fromMap(dict).bgraLayout().width());
        }

        @Test
        void shapeThatIsNotATupleIsRefused() {
            Map<String, Object> dict = pythonDict();
            dict.put("shape", 1080);
            InvalidFrameException e = assertInvalid("shape", "1080", () -> CudaArrayInterface.fromMap(dict));
            assertTrue(e.getMessage().contains("tuple"), e.getMessage());
        }

        @Test
        void shapeItemThatIsNotAnIntIsNamed() {
            Map<String, Object> dict = pythonDict();
            dict.put("shape", List.of(1080, "1920", 4));
            assertInvalid("shape[1]", "1920", () -> CudaArrayInterface.fromMap(dict));
        }

        @Test
        void stridesItemThatIsNotAnIntIsNamed() {
            Map<String, Object> dict = pythonDict();
            dict.put("strides", List.of(7680, 4, "x"));
            assertInvalid("strides[2]", "x", () -> CudaArrayInterface.fromMap(dict));
        }

        @Test
        void stridesThatAreNotATupleAreRefused() {
            Map<String, Object> dict = pythonDict();
            dict.put("strides", "C");
            assertInvalid("strides", "C", () -> CudaArrayInterface.fromMap(dict));
        }

        @Test
        void typestrThatIsNotAStringIsRefused() {
            Map<String, Object> dict = pythonDict();
            dict.put("typestr", 1);
            assertInvalid("typestr", "1", () -> CudaArrayInterface.fromMap(dict));
        }

        static Stream<Arguments> malformedData() {
            return Stream.of(
                    Arguments.of(List.of(1234), "[1234]"),
                    Arguments.of(List.of(1234, false, 1), "[1234, false, 1]"),
                    Arguments.of(List.of(1234, 0), "[1234, 0]"),
                    Arguments.of(List.of("1234", false), "[1234, false]"),
                    Arguments.of(List.of(), "[]"));
        }

        @ParameterizedTest(name = "data={1} refused")
        @MethodSource("malformedData")
        void malformedDataIsRefused(List<?> data, String rendered) {
            Map<String, Object> dict = pythonDict();
            dict.put("data", data);
            InvalidFrameException e = assertInvalid("data", rendered, () -> CudaArrayInterface.fromMap(dict));
            assertTrue(e.getMessage().contains("readonly"), e.getMessage());
        }

        @Test
        void dataThatIsNotATupleIsRefused() {
            Map<String, Object> dict = pythonDict();
            dict.put("data", 1234);
            assertInvalid("data", "1234", () -> CudaArrayInterface.fromMap(dict));
        }

        @Test
        void versionThatIsNotAnIntIsRefused() {
            Map<String, Object> dict = pythonDict();
            dict.put("version", "3");
            InvalidFrameException e = assertInvalid("version", "3", () -> CudaArrayInterface.fromMap(dict));
            assertEquals("3", e.value());
        }

        @ParameterizedTest(name = "stream=''{0}'' refused")
        @ValueSource(strings = {"", "7", "default"})
        void streamThatIsNotAnIntIsRefused(String stream) {
            Map<String, Object> dict = pythonDict();
            dict.put("stream", stream);
            assertInvalid("stream", stream, () -> CudaArrayInterface.fromMap(dict));
        }

        @Test
        void nullDictIsRefused() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> CudaArrayInterface.fromMap(null));
            assertEquals("dict", e.getMessage());
        }
    }
}
