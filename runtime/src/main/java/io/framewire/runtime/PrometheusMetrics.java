package io.framewire.runtime;

import io.framewire.api.HealthReport;
import io.framewire.api.StreamDescription;
import io.framewire.api.spi.PeerStats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The session's metrics in the Prometheus text format, read from the counters the runtime keeps
 * anyway (nothing is counted twice) and the transport's per-peer counts, at scrape time. Built on the
 * Prometheus Java client's data model and text writer (embedded in the runtime bundle), so names,
 * escaping and the format are the reference implementation's.
 */
final class PrometheusMetrics {
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private PrometheusMetrics() {
    }

    /**
     * @param health  the session's health now
     * @param stream  what it streams, or null while the codec is not known
     * @param c       its counters
     * @param peers   the transport's peers
     * @param rates   the encoder's rates in use
     * @return the exposition text
     */
    static String render(HealthReport health, StreamDescription stream, RuntimeCounters c, List<PeerStats> peers,
                         NetworkRates rates) {
        List<MetricSnapshot> m = new ArrayList<>();
        m.add(counter("framewire_frames_produced", "New pictures the encoder took (from streamVideo() or the source)",
                c.framesProduced.get()));
        m.add(counter("framewire_frames_sent", "Frames handed to the transport, repeats included", c.framesSent.get()));
        m.add(counter("framewire_frames_repeated", "Frames that repeated the last good picture", c.framesRepeated.get()));
        m.add(labelled("framewire_frames_refused", "Frames refused, by reason (the field named, or the failing step)",
                "reason", c.refusedByReason));
        m.add(counter("framewire_source_errors", "Ticks on which the frame source threw", c.sourceErrors.get()));
        m.add(counter("framewire_stalled_ticks", "Ticks sent by the guard while the source had not returned",
                c.stalledTicks.get()));
        m.add(counter("framewire_lock_busy_ticks", "Ticks that skipped the source while a stage load ran",
                c.lockBusyTicks.get()));
        m.add(counter("framewire_skipped_ticks", "Ticks the pacer skipped because it ran late", c.skippedTicks.get()));
        m.add(counter("framewire_encode_errors", "Ticks whose encode or send failed", c.encodeErrors.get()));
        m.add(counter("framewire_dropped_messages", "Peer messages dropped because the queue was full",
                health.counters().droppedMessages()));
        m.add(labelled("framewire_stage_loads", "Stage loads, by how they ended", "result", c.stageLoads));
        m.add(SummarySnapshot.builder().name("framewire_encode_seconds").help("Time spent in the encoder per tick")
                .unit(Unit.SECONDS).dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                        .count(c.encodes.get()).sum(c.encodeNanos.get() / 1e9).build()).build());
        m.add(gauge("framewire_frame_age_seconds", "Seconds since the last frame was sent (-1 before the first)",
                seconds(health.frameAgeMillis())));
        m.add(gauge("framewire_fresh_frame_age_seconds", "Seconds since the producer last delivered (-1 before)",
                seconds(health.freshFrameAgeMillis())));
        m.add(gauge("framewire_ready", "1 when /health answers 200", health.ready() ? 1 : 0));
        m.add(gauge("framewire_problems", "Selections that cannot be used (see /health)", health.problems().size()));
        m.add(gauge("framewire_peers", "Connected peers", peers.size()));
        m.add(peerCounter("framewire_peer_frames_sent", "Video frames sent to the peer", peers, PeerStats::framesSent));
        m.add(peerCounter("framewire_peer_sent", "Bytes sent to the peer", peers, PeerStats::bytesSent, Unit.BYTES));
        m.add(peerCounter("framewire_peer_packets_sent", "Media packets sent to the peer", peers, PeerStats::packetsSent));
        m.add(peerCounter("framewire_peer_retransmissions", "Packets sent again after the peer's NACKs", peers,
                PeerStats::retransmissions));
        m.add(peerCounter("framewire_peer_nacks_received", "NACKs the peer sent", peers, PeerStats::nacksReceived));
        m.add(peerCounter("framewire_peer_keyframe_requests", "PLI and FIR the peer sent", peers,
                PeerStats::keyframeRequests));
        m.add(peerGauge("framewire_peer_estimated_bits_per_second",
                "Congestion control's estimate of what the path to the peer carries (peers without one left out)",
                peers, PeerStats::estimatedBitrateBps));
        m.add(peerGauge("framewire_peer_send_bits_per_second", "Sent to the peer over the last second, retransmissions included",
                peers, PeerStats::sendBitrateBps));
        m.add(peerGauge("framewire_peer_pacer_queue_seconds", "Wait of the oldest packet in the peer's pacer queue",
                peers, p -> p.pacerQueueMillis() < 0 ? -1 : p.pacerQueueMillis() / 1000.0));
        m.add(peerGauge("framewire_peer_fraction_lost", "Share of the peer's packets lost, from its last report",
                peers, PeerStats::fractionLost));
        m.add(gauge("framewire_encoder_target_bits_per_second",
                "The encoder's bitrate: the configured one, limited by the network's estimate", rates.bitrateKbps() * 1000.0));
        m.add(gauge("framewire_encoder_fps", "The frame rate in use: the configured one, lowered for a low estimate",
                rates.fps()));
        m.add(InfoSnapshot.builder().name("framewire_stream").help("What the session streams and with which plugins")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of(
                        "status", health.state().name(),
                        "codec", stream == null ? "" : stream.codec().name(),
                        "width", stream == null ? "" : Integer.toString(stream.width()),
                        "height", stream == null ? "" : Integer.toString(stream.height()),
                        "fps", stream == null ? "" : Integer.toString(stream.fps()),
                        "source", String.valueOf(health.plugins().source()),
                        "encoder", String.valueOf(health.plugins().encoder()),
                        "transport", String.valueOf(health.plugins().transport()))).build()).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            WRITER.write(out, MetricSnapshots.of(m.toArray(new MetricSnapshot[0])));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double seconds(long millis) {
        return millis < 0 ? -1 : millis / 1000.0;
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot labelled(String name, String help, String label, Map<String, AtomicLong> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.dataPoint(
                CounterDataPointSnapshot.builder().labels(Labels.of(label, e.getKey())).value(e.getValue().get()).build()));
        return b.build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    /** A gauge per peer; a peer whose value is negative (not measured) is left out. */
    private static GaugeSnapshot peerGauge(String name, String help, List<PeerStats> peers,
                                           java.util.function.ToDoubleFunction<PeerStats> value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (PeerStats p : peers) {
            double v = value.applyAsDouble(p);
            if (v >= 0) {
                b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("peer", p.peerId())).value(v).build());
            }
        }
        return b.build();
    }

    private static CounterSnapshot peerCounter(String name, String help, List<PeerStats> peers,
                                               ToLongFunction<PeerStats> value) {
        return peerCounter(name, help, peers, value, null);
    }

    private static CounterSnapshot peerCounter(String name, String help, List<PeerStats> peers,
                                               ToLongFunction<PeerStats> value, Unit unit) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        for (PeerStats p : peers) {
            b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("peer", p.peerId()))
                    .value(value.applyAsLong(p)).build());
        }
        return b.build();
    }
}
