package io.framewire.runtime;

import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.PeerStats;
import io.framewire.api.spi.StageEvent;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import io.framewire.testing.PrometheusParser;
import io.framewire.testing.PrometheusParser.Sample;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.Frames;
import io.framewire.testing.spi.SolidSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.framewire.testing.spi.Frames.await;
import static io.framewire.testing.PrometheusParser.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics text, read back by the Prometheus project's own parser (the Python client's
 * {@code prometheus_client.parser}, Debian's python3-prometheus-client): the values must be the
 * session's counts. Skipped visibly where that parser is not installed.
 */
class PrometheusMetricsTest {
    private StreamSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    /** A transport with one peer whose counts are known. */
    static final class OnePeerTransport implements Transport {
        volatile TransportContext context;
        final AtomicLong sent = new AtomicLong();

        @Override
        public void start(TransportContext ctx) {
            context = ctx;
        }

        @Override
        public void send(EncodedFrame frame) {
            sent.incrementAndGet();
        }

        @Override
        public void sendMessage(String peerId, OutgoingMessage message) {
        }

        @Override
        public int peerCount() {
            return 1;
        }

        @Override
        public List<PeerStats> peerStats() {
            return List.of(new PeerStats("peer-\"1\"\n", 42, 123_456, 99, 3, 2, 1, 1500, 2_500_000, 2_400_000, 12, 0.01),
                    new PeerStats("counts-only", 1, 2, 3, 4, 5, 6, 7));
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void theTextParsesAsPrometheusFormatAndCarriesTheSessionsCounts() throws Exception {
        OnePeerTransport transport = new OnePeerTransport();
        session = StreamSession.builder(Frames.config(64, 48, 50)).source("red", new SolidSource(0xFFFF0000))
                .encoder("fake", new FakeEncoderFactory()).transport("rec", transport).start();
        await("frames", 5000, () -> transport.sent.get() > 10);
        assertThrows(IllegalArgumentException.class, () -> session.streamVideo(Frames.solid(32, 48, 0xFF00FF00)));
        assertThrows(IllegalArgumentException.class, () -> session.streamVideo(Frames.solid(32, 48, 0xFF00FF00)));
        session.requestStageLoad(URI.create("nothing-loads:this")); // no loader: announced as failed
        await("the failed load is counted", 5000, () -> session.counters().stageLoads.containsKey("failed"));

        String text = transport.context.metrics();
        Assumptions.assumeTrue(PrometheusParser.unavailable().isEmpty(), () -> PrometheusParser.unavailable().orElse(""));
        List<Sample> samples = PrometheusParser.parse(text);
        long sent = session.counters().framesSent.get();

        assertTrue(value(samples, "framewire_frames_sent_total", Map.of()) > 10, text);
        assertTrue(value(samples, "framewire_frames_sent_total", Map.of()) <= sent, text);
        assertTrue(value(samples, "framewire_frames_produced_total", Map.of()) > 5, text);
        assertEquals(2.0, value(samples, "framewire_frames_refused_total", Map.of("reason", "width")), text);
        assertEquals(1.0, value(samples, "framewire_stage_loads_total", Map.of("result", "failed")), text);
        assertEquals(2.0, value(samples, "framewire_peers", Map.of()), text);
        assertEquals(2_500_000.0, value(samples, "framewire_peer_estimated_bits_per_second", Map.of("peer", "peer-\"1\"\n")), text);
        assertEquals(2_400_000.0, value(samples, "framewire_peer_send_bits_per_second", Map.of("peer", "peer-\"1\"\n")), text);
        assertEquals(0.012, value(samples, "framewire_peer_pacer_queue_seconds", Map.of("peer", "peer-\"1\"\n")), text);
        assertEquals(0.01, value(samples, "framewire_peer_fraction_lost", Map.of("peer", "peer-\"1\"\n")), text);
        assertTrue(samples.stream().noneMatch(x -> x.name().startsWith("framewire_peer_estimated") && x.labels().containsValue("counts-only")),
                "a peer without an estimate has no estimate sample: " + text);
        assertEquals(8_000_000.0, value(samples, "framewire_encoder_target_bits_per_second", Map.of()), text);
        assertEquals(50.0, value(samples, "framewire_encoder_fps", Map.of()), text);
        assertEquals(123_456.0, value(samples, "framewire_peer_sent_bytes_total", Map.of("peer", "peer-\"1\"\n")), text);
        assertEquals(3.0, value(samples, "framewire_peer_retransmissions_total", Map.of("peer", "peer-\"1\"\n")), text);
        assertTrue(value(samples, "framewire_encode_seconds_count", Map.of()) > 10, text);
        assertEquals(1.0, value(samples, "framewire_ready", Map.of()), text);
        assertEquals(1.0, value(samples, "framewire_stream_info", Map.of("status", "READY", "codec", "RAW",
                "width", "64", "height", "48", "fps", "50", "source", "red", "encoder", "fake", "transport", "rec")), text);
    }

}
