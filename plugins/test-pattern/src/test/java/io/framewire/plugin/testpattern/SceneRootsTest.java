package io.framewire.plugin.testpattern;

import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.StageEvent;
import io.framewire.runtime.StreamSession;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.Frames;
import io.framewire.testing.spi.RecordingTransport;
import io.framewire.testing.spi.SolidSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** file: scenes only from the configured roots; refusals name the URI and a reason, never the file's content. */
class SceneRootsTest {
    static final String SECRET = "SECRET-MARKER-7f3a9c";
    static final String SECRET_JSON = "{\"name\":\"" + SECRET + "\",\"shapes\":\"" + SECRET + "\"}";

    private static String refusal(SceneFileLoader loader, URI uri) {
        SceneFormatException e = assertThrows(SceneFormatException.class,
                () -> loader.load(uri, SceneFileLoaderTest.recorder()), uri.toString());
        assertEquals("uri", e.field());
        assertFalse(e.getMessage().contains(SECRET), "no file content in: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void withoutRootsEveryFileUriIsRefusedWithAClearMessage(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("s.json"), SceneTest.GOOD);
        String m = refusal(new SceneFileLoader(new SceneHolder(), 0), f.toUri());
        assertTrue(m.contains("file: scenes are off (no sceneRoots configured in " + SceneFileLoader.PID + ")"), m);
        assertTrue(m.startsWith("uri = \"" + f.toUri()), "names the URI: " + m);
    }

    @Test
    void aFileOutsideTheRootsADotDotEscapeAndASymlinkOutAreRefused(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("scenes"));
        Path secret = Files.writeString(dir.resolve("secret.json"), SECRET_JSON);
        SceneFileLoader loader = new SceneFileLoader(new SceneHolder(), 0, List.of(root));

        assertTrue(refusal(loader, secret.toUri()).endsWith(": not inside a scene root"));
        URI escape = URI.create("file:" + root + "/../secret.json");
        assertTrue(refusal(loader, escape).endsWith(": not inside a scene root"));
        URI encodedEscape = URI.create("file:" + root + "/%2e%2e/secret.json");
        assertTrue(refusal(loader, encodedEscape).endsWith(": not inside a scene root"));
        Path link = Files.createSymbolicLink(root.resolve("link.json"), secret);
        assertTrue(refusal(loader, link.toUri()).endsWith(": not inside a scene root"));
        Path dirLink = Files.createSymbolicLink(root.resolve("out"), dir);
        assertTrue(refusal(loader, dirLink.resolve("secret.json").toUri()).endsWith(": not inside a scene root"));
        // a missing file inside a root, and one outside, do not tell each other apart from "exists outside"
        assertTrue(refusal(loader, root.resolve("none.json").toUri()).endsWith(": not found"));
        assertTrue(refusal(loader, dir.resolve("none.json").toUri()).endsWith(": not inside a scene root"));
    }

    @Test
    void aFileInsideARootLoadsAndABadOneIsRefusedWithoutItsContent(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("scenes/sub"));
        Files.writeString(root.resolve("good.json"), SceneTest.GOOD);
        Files.writeString(root.resolve("bad.json"), SECRET_JSON);
        Files.writeString(root.resolve("notjson.json"), SECRET + " {");
        SceneHolder holder = new SceneHolder();
        SceneFileLoader loader = new SceneFileLoader(holder, 0, List.of(dir.resolve("scenes")));
        loader.load(root.resolve("good.json").toUri(), SceneFileLoaderTest.recorder());
        assertEquals("s1", holder.current().name());
        assertTrue(refusal(loader, root.resolve("bad.json").toUri()).endsWith(": not valid scene JSON (at shapes)"));
        assertTrue(refusal(loader, root.resolve("notjson.json").toUri()).endsWith(": not valid scene JSON"));
        java.io.RandomAccessFile big = new java.io.RandomAccessFile(root.resolve("big.json").toFile(), "rw");
        big.setLength(SceneFileLoader.MAX_SCENE_BYTES + 1);
        big.close();
        assertTrue(refusal(loader, root.resolve("big.json").toUri()).endsWith(": too large (more than 1048576 bytes)"));
        assertEquals("s1", holder.current().name(), "the previous scene stays");
    }

    @Test
    void aRelativeRootIsRefusedNamingTheEntry() {
        SceneFormatException e = assertThrows(SceneFormatException.class,
                () -> new SceneFileLoader(new SceneHolder(), 0, List.of(Path.of("/abs"), Path.of("rel/scenes"))));
        assertEquals("sceneRoots[1] = \"rel/scenes\": must be an absolute folder", e.getMessage());
    }

    /** Through the runtime: what every peer gets and what the server logs, for a peer's file: request outside the roots. */
    @Test
    void aPeersRequestForASecretFileLeaksNothingToPeersOrTheLog(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("scenes"));
        Path secret = Files.writeString(dir.resolve("secret.json"), SECRET_JSON);
        Path badInRoot = Files.writeString(root.resolve("bad.json"), SECRET_JSON);
        RecordingTransport transport = new RecordingTransport();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (StreamSession session = StreamSession.builder(Frames.config(64, 48, 30)).source("solid", new SolidSource(0xff000000))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport)
                .stageLoader("scene-json", new SceneFileLoader(new SceneHolder(), 0, List.of(root))).start()) {
            Frames.await("transport started", 5000, () -> transport.context != null);
            transport.context.onStageLoad("p1", secret.toUri());
            Frames.await("stage.failed", 5000, () -> transport.sentStageEvent(StageEvent.Kind.FAILED, secret.toUri().toString()));
            transport.context.onStageLoad("p1", badInRoot.toUri());
            Frames.await("stage.failed", 5000, () -> transport.sentStageEvent(StageEvent.Kind.FAILED, badInRoot.toUri().toString()));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        List<StageEvent> failed = transport.stageEvents().stream().filter(e -> e.kind() == StageEvent.Kind.FAILED).toList();
        assertEquals(2, failed.size(), transport.messages.toString());
        assertTrue(failed.get(0).detail().endsWith("not inside a scene root"), failed.get(0).detail());
        assertTrue(failed.get(1).detail().endsWith("not valid scene JSON (at shapes)"), failed.get(1).detail());
        for (OutgoingMessage m : transport.messages) {
            assertFalse(m.toString().contains(SECRET), "a peer got file content: " + m);
        }
        assertTrue(log.contains("not inside a scene root"), "the refusal is logged:\n" + log);
        assertFalse(log.contains(SECRET), "file content in the log:\n" + log);
    }
}
