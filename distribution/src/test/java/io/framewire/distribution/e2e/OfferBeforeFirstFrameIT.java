package io.framewire.distribution.e2e;

import io.framewire.testing.ChromeDevTools;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A browser that offers before any real frame exists: the transport already knows the codec (it
 * comes from the encoder chosen at start, not from the first encoded frame), so the offer is
 * answered at once and the page shows the loading picture; once frames exist (a source is
 * selected while the page stays open) the same connection shows them.
 */
public class OfferBeforeFirstFrameIT {
    private static final List<String> NO_SOURCE = List.of("width=1280", "height=720", "fps=30", "source=none",
            "encoder=libx264", "transport=webrtc");
    private static DistributionProcess server;

    @BeforeClass
    public static void startServerWithoutFrames() throws Exception {
        server = DistributionProcess.start("e2e-offer-first", NO_SOURCE, "offer-first-token-0123456789", "512m");
        server.awaitLog("Framewire is streaming", 60_000);
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void anOfferBeforeTheFirstFrameIsAnsweredAndTheVideoFollowsOnTheSameConnection() throws Exception {
        try (ChromeDevTools chrome = Browsers.launch(1280, 720)) {
            Browsers.openAndAwaitVideo(chrome, server);
            String health = server.health();
            assertTrue("no real frame exists yet, the browser was answered anyway: " + health,
                    health.contains("\"status\":\"STARTING\""));
            assertTrue("the loading picture, not the test pattern: " + Browsers.barMismatches(chrome),
                    Browsers.barMismatches(chrome).size() >= 6);
            int offers = offers();
            assertEquals("one offer, one answer", 1, offers);

            server.writeServerConfig(List.of("width=1280", "height=720", "fps=30", "source=test-pattern",
                    "encoder=libx264", "transport=webrtc"));
            server.awaitLog("First BGRA frame ready: 1280x720", 30_000);
            long deadline = System.nanoTime() + 20_000_000_000L;
            List<String> mismatches = Browsers.barMismatches(chrome);
            while (!mismatches.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(250);
                mismatches = Browsers.barMismatches(chrome);
            }
            assertTrue("the test pattern arrives on the open connection: " + mismatches, mismatches.isEmpty());
            assertEquals("no second offer was needed", offers, offers());
            assertTrue("ready now: " + server.health(), server.health().contains("\"status\":\"READY\""));
        }
    }

    private static int offers() throws Exception {
        return (int) java.nio.file.Files.readAllLines(server.log()).stream().filter(l -> l.contains("offered; answering with")).count();
    }
}
