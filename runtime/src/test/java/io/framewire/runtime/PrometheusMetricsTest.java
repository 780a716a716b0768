package io.framewire.runtime;

import com.fasterxml.jackson.jr.ob.JSON;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.PeerStats;
import io.framewire.api.spi.StageEvent;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import io.framewire.testing.spi.FakeEncoderFactory;
import io.framewire.testing.spi.Frames;
import io.framewire.testing.spi.SolidSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.framewire.testing.spi.Frames.await;
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
            return List.of(new PeerStats("peer-\"1\"\n", 42, 123_456, 99, 3, 2, 1, 1500));
        }

        @Override
        public void stop() {
        }
    }

    /** One parsed sample: name, labels, value. */
    record Sample(String name, Map<String, Object> labels, double value) {
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
        List<Sample> samples = parse(text);
        long sent = session.counters().framesSent.get();

        assertTrue(value(samples, "framewire_frames_sent_total", Map.of()) > 10, text);
        assertTrue(value(samples, "framewire_frames_sent_total", Map.of()) <= sent, text);
        assertTrue(value(samples, "framewire_frames_produced_total", Map.of()) > 5, text);
        assertEquals(2.0, value(samples, "framewire_frames_refused_total", Map.of("reason", "width")), text);
        assertEquals(1.0, value(samples, "framewire_stage_loads_total", Map.of("result", "failed")), text);
        assertEquals(1.0, value(samples, "framewire_peers", Map.of()), text);
        assertEquals(123_456.0, value(samples, "framewire_peer_sent_bytes_total", Map.of("peer", "peer-\"1\"\n")), text);
        assertEquals(3.0, value(samples, "framewire_peer_retransmissions_total", Map.of("peer", "peer-\"1\"\n")), text);
        assertTrue(value(samples, "framewire_encode_seconds_count", Map.of()) > 10, text);
        assertEquals(1.0, value(samples, "framewire_ready", Map.of()), text);
        assertEquals(1.0, value(samples, "framewire_stream_info", Map.of("status", "READY", "codec", "RAW",
                "width", "64", "height", "48", "fps", "50", "source", "red", "encoder", "fake", "transport", "rec")), text);
    }

    private static double value(List<Sample> samples, String name, Map<String, Object> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " in " + samples)).value();
    }

    /** Runs the Prometheus client's parser on {@code text}; a parse error fails the test. */
    private static List<Sample> parse(String text) throws Exception {
        String script = "import sys, json\n"
                + "from prometheus_client.parser import text_string_to_metric_families\n"
                + "for f in text_string_to_metric_families(sys.stdin.read()):\n"
                + "    for s in f.samples:\n"
                + "        print(json.dumps({'name': s.name, 'labels': s.labels, 'value': s.value}))\n";
        Process p;
        try {
            // Debian's interpreter: the parser is a Debian package (a pyenv python3 on PATH does not see it)
            String python = new java.io.File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
            p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not installed: " + e.getMessage());
            return List.of();
        }
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Assumptions.assumeFalse(out.contains("No module named 'prometheus_client'"),
                "the Prometheus parser is not installed (apt-get install python3-prometheus-client)");
        assertEquals(0, p.exitValue(), "the Prometheus parser refused the text:\n" + out + "\n---\n" + text);
        List<Sample> samples = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                Map<String, Object> m = JSON.std.mapFrom(line);
                @SuppressWarnings("unchecked")
                Map<String, Object> labels = (Map<String, Object>) m.get("labels");
                samples.add(new Sample((String) m.get("name"), labels, ((Number) m.get("value")).doubleValue()));
            }
        }
        return samples;
    }
}
