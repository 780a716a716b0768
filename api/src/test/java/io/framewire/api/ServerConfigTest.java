package io.framewire.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.BiFunction;
import java.util.stream.Stream;

import static io.framewire.api.Refusals.assertIllegal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {

    @Test
    void defaults() {
        ServerConfig c = ServerConfig.builder().build();
        assertEquals(1920, c.width());
        assertEquals(1080, c.height());
        assertEquals(VideoInput.BGRA, c.videoInput());
        assertEquals(30, c.fps());
        assertEquals(8000, c.bitrateKbps());
        assertEquals(ServerConfig.EncoderPreference.AUTO, c.encoderPreference());
        assertEquals(33_333_333L, c.frameIntervalNanos());
    }

    static Stream<Arguments> sides() {
        BiFunction<ServerConfig.Builder, Integer, ServerConfig.Builder> width = ServerConfig.Builder::width;
        BiFunction<ServerConfig.Builder, Integer, ServerConfig.Builder> height = ServerConfig.Builder::height;
        return Stream.of(Arguments.of("width", width), Arguments.of("height", height));
    }

    static Stream<Arguments> sidesOutOfRange() {
        return sides().flatMap(a -> Stream.of(8, 9, 15, 0, -2, 8193, 8194, 9000, Integer.MAX_VALUE, Integer.MIN_VALUE)
                .map(v -> Arguments.of(a.get()[0], a.get()[1], v)));
    }

    @ParameterizedTest(name = "{0}={2} refused (range)")
    @MethodSource("sidesOutOfRange")
    void sideOutOfRange(String field, BiFunction<ServerConfig.Builder, Integer, ServerConfig.Builder> set, int value) {
        IllegalArgumentException e = assertIllegal(field, String.valueOf(value),
                () -> set.apply(ServerConfig.builder(), value).build());
        assertTrue(e.getMessage().contains("16..8192"), e.getMessage());
    }

    static Stream<Arguments> oddSides() {
        return sides().flatMap(a -> Stream.of(17, 1921, 1081, 8191).map(v -> Arguments.of(a.get()[0], a.get()[1], v)));
    }

    @ParameterizedTest(name = "{0}={2} refused (odd)")
    @MethodSource("oddSides")
    void oddSide(String field, BiFunction<ServerConfig.Builder, Integer, ServerConfig.Builder> set, int value) {
        IllegalArgumentException e = assertIllegal(field, String.valueOf(value),
                () -> set.apply(ServerConfig.builder(), value).build());
        assertTrue(e.getMessage().contains("even"), e.getMessage());
    }

    static Stream<Arguments> sidesInRange() {
        return sides().flatMap(a -> Stream.of(16, 18, 1080, 1920, 8190, 8192).map(v -> Arguments.of(a.get()[0], a.get()[1], v)));
    }

    @ParameterizedTest(name = "{0}={2} accepted")
    @MethodSource("sidesInRange")
    void sideInRange(String field, BiFunction<ServerConfig.Builder, Integer, ServerConfig.Builder> set, int value) {
        ServerConfig c = set.apply(ServerConfig.builder(), value).build();
        assertEquals(value, field.equals("width") ? c.width() : c.height());
    }

    @Test
    void widthIsReportedBeforeHeight() {
        assertIllegal("width", "9", () -> ServerConfig.builder().width(9).height(9).build());
    }

    @ParameterizedTest(name = "fps={0} refused")
    @ValueSource(ints = {0, 241, -1, 1000})
    void fpsOutOfRange(int fps) {
        IllegalArgumentException e = assertIllegal("fps", String.valueOf(fps), () -> ServerConfig.builder().fps(fps).build());
        assertTrue(e.getMessage().contains("1..240"), e.getMessage());
    }

    @ParameterizedTest(name = "fps={0} accepted")
    @ValueSource(ints = {1, 60, 240})
    void fpsInRange(int fps) {
        ServerConfig c = ServerConfig.builder().fps(fps).build();
        assertEquals(fps, c.fps());
        assertEquals(1_000_000_000L / fps, c.frameIntervalNanos());
    }

    @ParameterizedTest(name = "bitrateKbps={0} refused")
    @ValueSource(ints = {99, 0, -8000, 500_001})
    void bitrateOutOfRange(int kbps) {
        IllegalArgumentException e = assertIllegal("bitrateKbps", String.valueOf(kbps),
                () -> ServerConfig.builder().bitrateKbps(kbps).build());
        assertTrue(e.getMessage().contains("100..500000"), e.getMessage());
    }

    @ParameterizedTest(name = "bitrateKbps={0} accepted")
    @ValueSource(ints = {100, 8000, 500_000})
    void bitrateInRange(int kbps) {
        assertEquals(kbps, ServerConfig.builder().bitrateKbps(kbps).build().bitrateKbps());
    }

    @Test
    void nullVideoInputIsRefused() {
        IllegalArgumentException e = assertIllegal("videoInput", "null", () -> ServerConfig.builder().videoInput(null).build());
        assertTrue(e.getMessage().contains("BGRA, TENSOR, H264, H265, AV1"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(VideoInput.class)
    void everyVideoInputIsAccepted(VideoInput input) {
        assertEquals(input, ServerConfig.builder().videoInput(input).build().videoInput());
    }

    @Test
    void nullEncoderPreferenceIsRefused() {
        assertIllegal("encoderPreference", "null", () -> ServerConfig.builder().encoderPreference(null).build());
    }

    @ParameterizedTest
    @EnumSource(ServerConfig.EncoderPreference.class)
    void everyEncoderPreferenceIsAccepted(ServerConfig.EncoderPreference p) {
        assertEquals(p, ServerConfig.builder().encoderPreference(p).build().encoderPreference());
    }

    static ServerConfig custom() {
        return ServerConfig.builder().width(1280).height(720).videoInput(VideoInput.H265).fps(60).bitrateKbps(12000)
                .encoderPreference(ServerConfig.EncoderPreference.SOFTWARE).build();
    }

    @Test
    void toBuilderRoundTrip() {
        ServerConfig c = custom();
        ServerConfig d = c.toBuilder().build();
        assertEquals(c, d);
        assertEquals(c.hashCode(), d.hashCode());
        assertTrue(c.sameStream(d));
        assertEquals(1280, d.width());
        assertEquals(720, d.height());
        assertEquals(VideoInput.H265, d.videoInput());
        assertEquals(60, d.fps());
        assertEquals(12000, d.bitrateKbps());
        assertEquals(ServerConfig.EncoderPreference.SOFTWARE, d.encoderPreference());
        assertEquals(ServerConfig.builder().build(), ServerConfig.builder().build().toBuilder().build());
    }

    @Test
    void toBuilderValidatesChanges() {
        assertIllegal("fps", "0", () -> custom().toBuilder().fps(0).build());
        assertIllegal("width", "1281", () -> custom().toBuilder().width(1281).build());
    }

    @Test
    void sameStreamIgnoresLiveSettings() {
        ServerConfig c = custom();
        ServerConfig d = c.toBuilder().bitrateKbps(20000).encoderPreference(ServerConfig.EncoderPreference.HARDWARE)
                .fps(c.fps() == 30 ? 60 : 30).build();
        assertTrue(c.sameStream(d), "fps and bitrate change live");
        assertNotEquals(c, d);
    }

    @Test
    void sameStreamComparesSizeAndInput() {
        ServerConfig c = custom();
        assertFalse(c.sameStream(c.toBuilder().width(1920).build()));
        assertFalse(c.sameStream(c.toBuilder().height(1080).build()));
        assertFalse(c.sameStream(c.toBuilder().videoInput(VideoInput.AV1).build()));
        assertFalse(c.sameStream(null));
    }
}
