package io.framewire.runtime;

import io.framewire.api.Defaults;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeyframeRequestsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PacingClock clock = new PacingClock() {
        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleepUntil(long deadline) {
        }
    };
    private final KeyframeRequests requests = new KeyframeRequests(clock);
    private final AtomicInteger heard = new AtomicInteger();
    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(Defaults.KEYFRAME_REQUEST_INTERVAL_MILLIS);

    @Test
    void manyRequestsWithinTheIntervalAreOneCallAndTheRestGoesOutAfterIt() throws Exception {
        requests.add(heard::incrementAndGet);
        requests.request();
        requests.request();
        requests.request();
        assertEquals(1, heard.get());
        now.addAndGet(INTERVAL - 1);
        requests.tick();
        assertEquals(1, heard.get(), "not before the interval");
        now.addAndGet(1);
        requests.tick();
        assertEquals(2, heard.get(), "the held-back request is not lost");
        now.addAndGet(INTERVAL * 3);
        requests.tick();
        assertEquals(2, heard.get(), "nothing pending: nothing to tell");
    }

    @Test
    void aKeyframeSentInBetweenAnswersTheHeldBackRequest() {
        requests.add(heard::incrementAndGet);
        requests.request();
        requests.request();
        requests.keyframeSent();
        now.addAndGet(INTERVAL);
        requests.tick();
        assertEquals(1, heard.get());
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersAndARemovedOneHearsNothing() throws Exception {
        requests.add(() -> {
            throw new IllegalStateException("producer bug");
        });
        AutoCloseable removed = requests.add(heard::incrementAndGet);
        AtomicInteger other = new AtomicInteger();
        requests.add(other::incrementAndGet);
        requests.request();
        assertEquals(1, heard.get());
        assertEquals(1, other.get());
        removed.close();
        now.addAndGet(INTERVAL);
        requests.request();
        assertEquals(1, heard.get());
        assertEquals(2, other.get());
    }
}
