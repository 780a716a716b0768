package io.framewire.runtime;

import io.framewire.api.Defaults;
import io.framewire.api.VideoInput;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.RecordingTransport;
import io.framewire.testing.spi.SolidSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.framewire.testing.spi.Frames.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration Admin values: parsed with one-line errors; a bad update keeps the running stream's settings. */
class ServerSettingsTest {

    @Test
    void missingKeysTakeTheDefaultsAndTextValuesAreParsed() {
        ServerSettingsParser.Parsed d = ServerSettingsParser.parse(Map.of());
        assertEquals(Defaults.WIDTH, d.config().width());
        assertEquals(Defaults.FPS, d.config().fps());
        assertEquals(PluginSelection.DEFAULT, d.selection());
        assertEquals(Defaults.MAX_FRAME_AGE_MILLIS, d.maxFrameAgeMillis());
        ServerSettingsParser.Parsed p = ServerSettingsParser.parse(Map.of("width", " 640", "height", 360, "fps", "25",
                "videoInput", "h264", "source", "bitstream-file", "maxFrameAgeMillis", "0"));
        assertEquals(640, p.config().width());
        assertEquals(360, p.config().height());
        assertEquals(25, p.config().fps());
        assertEquals(VideoInput.H264, p.config().videoInput());
        assertEquals("bitstream-file", p.selection().source());
        assertEquals(0, p.maxFrameAgeMillis());
    }

    @Test
    void aBadValueIsNamedWithItsKeyAndTheRule() {
        assertEquals("fps=thirty: must be a whole number", message(Map.of("fps", "thirty")));
        assertEquals("bitrateKbps=abc: must be a whole number", message(Map.of("bitrateKbps", "abc")));
        assertEquals("width=1921: must be even (4:2:0 chroma subsampling)", message(Map.of("width", "1921")));
        assertEquals("fps=500: must be in 1..240", message(Map.of("fps", 500)));
        assertEquals("videoInput=RGB: must be one of BGRA, TENSOR, H264, H265, AV1", message(Map.of("videoInput", "RGB")));
        assertTrue(message(Map.of("encoder", " ")).startsWith("encoder=\"\": must name a plugin"));
        assertEquals("maxFrameAgeMillis=-1: must be >= 0 (0 turns the check off)", message(Map.of("maxFrameAgeMillis", "-1")));
    }

    @Test
    void unknownKeysAreReportedButTheContainersAreNot() {
        Map<String, Object> props = new HashMap<>(Map.of("fsp", "30", "service.pid", "io.framewire.server",
                "felix.fileinstall.filename", "x", "component.id", 3L, "fps", "30"));
        assertEquals(List.of("fsp"), ServerSettingsParser.unknownKeys(props));
    }

    @Test
    void aBadUpdateIsOneLogLineAndTheRunningSessionKeepsItsSettings() throws Exception {
        StreamServerComponent component = new StreamServerComponent();
        RecordingTransport transport = new RecordingTransport();
        component.addFrameSource(new SolidSource(0xFFFF0000), Map.of("framewire.name", "test-pattern"));
        component.addEncoderFactory(new FakeEncoderFactory(), Map.of("framewire.name", "fake"));
        component.addTransport(transport, Map.of("framewire.name", "webrtc"));
        component.activate(Map.of("width", "64", "height", "48", "fps", "50"));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            await("frames", 5000, () -> transport.frames.size() > 3);
            StreamSession running = component.session();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            component.modified(Map.of("width", "64", "height", "48", "fps", "thirty"));
            System.setErr(original);
            assertSame(running, component.session(), "the session was not restarted");
            assertEquals(50, component.config().fps());
            int before = transport.frames.size();
            await("frames go on", 5000, () -> transport.frames.size() > before + 5);
            String log = captured.toString(StandardCharsets.UTF_8);
            List<String> lines = log.lines().toList();
            assertEquals(1, lines.size(), log);
            assertTrue(lines.get(0).contains("Configuration io.framewire.server refused: fps=thirty: must be a whole number;"
                    + " the stream keeps its last good settings"), log);
            assertFalse(log.contains("\tat "), "no stack trace: " + log);
        } finally {
            System.setErr(original);
            component.deactivate();
        }
        assertThrows(IllegalArgumentException.class, () -> ServerSettingsParser.parse(Map.of("fps", "thirty")));
    }

    @Test
    void messageListenersSurviveASessionRestart() throws Exception {
        StreamServerComponent component = new StreamServerComponent();
        RecordingTransport transport = new RecordingTransport();
        component.addFrameSource(new SolidSource(0xFFFF0000), Map.of("framewire.name", "test-pattern"));
        component.addEncoderFactory(new FakeEncoderFactory(), Map.of("framewire.name", "fake"));
        component.addTransport(transport, Map.of("framewire.name", "webrtc"));
        component.activate(Map.of("width", "64", "height", "48", "fps", "50"));
        try {
            List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            component.addMessageListener((peer, json) -> got.add(peer + " " + json));
            StreamSession first = component.session();
            component.modified(Map.of("width", "96", "height", "48", "fps", "50")); // a new size: a new session
            assertTrue(first != component.session(), "the session was restarted");
            await("the new session's transport", 5000, () -> transport.context != null && transport.frames.size() > 3);
            transport.context.onAppMessage("p1", new io.framewire.api.spi.AppMessage("{\"type\":\"x\"}"));
            await("the listener added before the restart hears the new session", 5000, () -> got.size() == 1);
            assertEquals("p1 {\"type\":\"x\"}", got.get(0));
        } finally {
            component.deactivate();
        }
    }

    private static String message(Map<String, ?> props) {
        return assertThrows(IllegalArgumentException.class, () -> ServerSettingsParser.parse(props)).getMessage();
    }
}
