package io.framewire.plugin.webrtc.signaling;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogLimiterTest {
    @Test
    void oneLinePerIntervalNoStackAndTheLeftOutCountedInTheNext() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        LogLimiter limiter = new LogLimiter(LoggerFactory.getLogger("test.log-limiter"), now::get);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            limiter.warn("refused A", new IllegalStateException("stack only at DEBUG"));
            for (int i = 0; i < 30; i++) {
                limiter.info("refused B" + i);
            }
            assertEquals(30, limiter.notLogged());
            now.addAndGet(TimeUnit.SECONDS.toNanos(LogLimiter.INTERVAL_SECONDS));
            limiter.info("refused C");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, lines.size(), log);
        assertTrue(lines.get(0).contains("WARN") && lines.get(0).endsWith("refused A"), lines.get(0));
        assertTrue(lines.get(1).contains("INFO")
                && lines.get(1).endsWith("refused C (30 more like it since the last such line were not logged)"), lines.get(1));
        assertFalse(log.contains("stack only at DEBUG"));
        assertEquals(0, limiter.notLogged());
    }
}
