package io.framewire.runtime;

import io.framewire.api.spi.StageEvent;
import io.framewire.api.spi.StageLoadContext;
import io.framewire.api.spi.StageLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stage loads a peer makes fail: the log gets one line per interval, no stack trace, with peer text
 * escaped; the peers get the loader's message, bounded.
 */
class StageFailureLoggingTest {
    /** A loader that fails every load with a message carrying a forged log line and an ANSI escape. */
    static final class FailingLoader implements StageLoader {
        @Override
        public boolean canLoad(URI uri) {
            return true;
        }

        @Override
        public void load(URI uri, StageLoadContext context) throws IOException {
            throw new IOException("bad scene\n2026-01-01 [main] INFO forged \u001b[31mred");
        }
    }

    private static String captureStderr(ThrowingRunnable body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void fortyFailedLoadsLogOneLineWithoutAStackTrace() throws Exception {
        BlockingQueue<StageEvent> events = new LinkedBlockingQueue<>();
        String log = captureStderr(() -> {
            try (StageManager stages = new StageManager(new ReentrantLock(), () -> List.of(new FailingLoader()), events::add)) {
                for (int i = 0; i < 40; i++) {
                    stages.requestLoad(URI.create("scene:x" + i));
                    StageEvent e;
                    do {
                        e = events.poll(5, TimeUnit.SECONDS);
                        assertNotNull(e, "no stage event for load " + i);
                    } while (e.kind() != StageEvent.Kind.FAILED);
                    assertEquals("bad scene\n2026-01-01 [main] INFO forged \u001b[31mred", e.detail(),
                            "the peer is told the loader's reason");
                }
            }
        });
        List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line for 40 failures within 5 s; log was:\n" + log);
        String line = lines.get(0);
        assertTrue(line.contains("WARN") && line.contains("Stage scene:x0 failed to load: bad scene\\n2026-01-01"), line);
        assertTrue(line.contains("\\u001b[31mred"), "ESC escaped: " + line);
        assertFalse(log.contains("\u001b"), "no raw ESC in the log");
        assertFalse(log.contains("\tat "), "no stack trace at WARN");
    }

    @Test
    void aLongLoaderMessageIsCutForPeers() {
        String text = StageManager.errorText(new IllegalStateException("y".repeat(1000)));
        assertEquals(StageManager.MAX_ERROR_CHARS + 3, text.length());
        assertEquals("NullPointerException", StageManager.errorText(new NullPointerException()));
    }

    @Test
    void linesLeftOutAreCountedInTheNextLine() throws Exception {
        org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("test.remote-failures");
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        String log = captureStderr(() -> {
            RemoteFailureLog failures = new RemoteFailureLog(logger, now::get);
            failures.warn("first", new IllegalStateException("stack only at DEBUG"));
            now.addAndGet(TimeUnit.SECONDS.toNanos(4));
            failures.warn("second", null);
            failures.warn("third", null);
            now.addAndGet(TimeUnit.SECONDS.toNanos(RemoteFailureLog.INTERVAL_SECONDS));
            failures.warn("fourth", null);
        });
        List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, lines.size(), log);
        assertTrue(lines.get(0).endsWith("first"), lines.get(0));
        assertTrue(lines.get(1).endsWith("fourth (2 more like it since the last such line were not logged)"), lines.get(1));
        assertFalse(log.contains("stack only at DEBUG"), "no stack at WARN");
    }
}
