package io.framewire.benchmarks;

import io.framewire.api.spi.PeerStats;
import io.framewire.testing.net.LinkStats;

import java.util.List;
import java.util.Map;

/**
 * What {@link NetworkImpairmentBenchmark} reads once a second: the browser's {@code getStats()}
 * (video inbound-rtp and the selected candidate pair), the server's per-peer counters and the
 * relay's counters. Counters are cumulative; rates come from differences of two samples.
 *
 * @param seconds    seconds since the page load
 * @param browser    the page's figures ({@link #BROWSER_STATS}), empty before a peer connection exists
 * @param serverSent the server's counters summed over its peers, counted from the scenario's start; its
 *                   gauges (estimate, send rate, pacer queue, fraction lost) as read at this sample
 * @param toClient   the relay, server to browser
 * @param toServer   the relay, browser to server
 */
record LinkSample(double seconds, Map<String, Object> browser, PeerStats serverSent, LinkStats toClient,
                  LinkStats toServer) {

    /** Installed before the page's scripts: keeps the client's RTCPeerConnection reachable for getStats. */
    static final String CAPTURE_PC = "(() => { const O = window.RTCPeerConnection; window.__pcs = [];"
            + " window.RTCPeerConnection = class extends O { constructor(...a) { super(...a); window.__pcs.push(this); } }; })();";

    /** The page's figures as one JSON object (numbers; -1 where the browser does not report one). */
    static final String BROWSER_STATS = "(async () => { const pc = window.__pcs && window.__pcs[window.__pcs.length - 1];"
            + " if (!pc) return '{}';"
            + " const r = await pc.getStats(); let v = null, t = null; const pairs = {};"
            + " r.forEach((s) => { if (s.type === 'inbound-rtp' && (s.kind || s.mediaType) === 'video') v = s;"
            + "   if (s.type === 'transport') t = s; if (s.type === 'candidate-pair') pairs[s.id] = s; });"
            + " let pair = t && t.selectedCandidatePairId ? pairs[t.selectedCandidatePairId] : null;"
            + " if (!pair) for (const id in pairs) if (pairs[id].nominated && pairs[id].state === 'succeeded') pair = pairs[id];"
            + " const n = (o, k) => (o && typeof o[k] === 'number') ? o[k] : -1;"
            + " return JSON.stringify({ framesDecoded: n(v, 'framesDecoded'), framesDropped: n(v, 'framesDropped'),"
            + "   freezeCount: n(v, 'freezeCount'), totalFreezesDuration: n(v, 'totalFreezesDuration'),"
            + "   jitterBufferDelay: n(v, 'jitterBufferDelay'), jitterBufferEmittedCount: n(v, 'jitterBufferEmittedCount'),"
            + "   packetsLost: n(v, 'packetsLost'), packetsReceived: n(v, 'packetsReceived'), bytesReceived: n(v, 'bytesReceived'),"
            + "   nackCount: n(v, 'nackCount'), pliCount: n(v, 'pliCount'), keyFramesDecoded: n(v, 'keyFramesDecoded'),"
            + "   rtt: n(pair, 'currentRoundTripTime'), state: pc.connectionState }); })()";

    /**
     * The server's per-peer counters summed (there is one peer per scenario; a closed one is gone).
     * The 2.4 gauges: the estimates and send rates of the peers that report one summed, the
     * longest pacer wait and the highest loss fraction; -1 where no peer reports one.
     */
    static PeerStats sum(List<PeerStats> peers) {
        long frames = 0;
        long bytes = 0;
        long packets = 0;
        long retransmissions = 0;
        long nacks = 0;
        long keyframeRequests = 0;
        long rtt = -1;
        long estimate = -1;
        long sendRate = -1;
        long pacer = -1;
        double lost = -1;
        for (PeerStats p : peers) {
            frames += p.framesSent();
            bytes += p.bytesSent();
            packets += p.packetsSent();
            retransmissions += p.retransmissions();
            nacks += p.nacksReceived();
            keyframeRequests += p.keyframeRequests();
            rtt = Math.max(rtt, p.roundTripMicros());
            if (p.estimatedBitrateBps() >= 0) {
                estimate = Math.max(0, estimate) + p.estimatedBitrateBps();
            }
            if (p.sendBitrateBps() >= 0) {
                sendRate = Math.max(0, sendRate) + p.sendBitrateBps();
            }
            pacer = Math.max(pacer, p.pacerQueueMillis());
            lost = Math.max(lost, p.fractionLost());
        }
        return new PeerStats("all", frames, bytes, packets, retransmissions, nacks, keyframeRequests, rtt, estimate, sendRate,
                pacer, lost);
    }

    /** @return the server's congestion-control estimate at this sample, kbit/s; NaN when not measured (fixed bitrate) */
    double estimateKbps() {
        return serverSent.estimatedBitrateBps() < 0 ? Double.NaN : serverSent.estimatedBitrateBps() / 1000.0;
    }

    /** @return how long the oldest packet in the server's pacer queue had waited at this sample, ms; NaN without a pacer */
    double pacerQueueMillis() {
        return serverSent.pacerQueueMillis() < 0 ? Double.NaN : serverSent.pacerQueueMillis();
    }

    /** @return a browser figure, or -1 when not reported */
    double browser(String key) {
        Object o = browser.get(key);
        return o instanceof Number ? ((Number) o).doubleValue() : -1;
    }

    /**
     * @return a browser counter's growth since {@code earlier}; a counter not reported (yet) counts
     * as 0, e.g. before the page made its peer connection
     */
    double browserSince(LinkSample earlier, String key) {
        return Math.max(0, browser(key)) - Math.max(0, earlier.browser(key));
    }

    /** @return what the server sent towards the browser since {@code earlier}, kbit/s: the relay's input (media, retransmissions, RTCP, STUN) */
    double sentKbpsSince(LinkSample earlier) {
        return (toClient.bytesIn() - earlier.toClient.bytesIn()) * 8 / (seconds - earlier.seconds) / 1000;
    }
}
