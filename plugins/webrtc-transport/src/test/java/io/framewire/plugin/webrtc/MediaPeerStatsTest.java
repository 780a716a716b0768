package io.framewire.plugin.webrtc;

import io.framewire.api.Codec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.plugin.webrtc.dtls.DtlsCertificate;
import io.framewire.plugin.webrtc.rtp.Rtcp;
import io.framewire.plugin.webrtc.sdp.SdpParser;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link MediaPeer#stats()} counts from the browser's RTCP, before any media flows. */
class MediaPeerStatsTest {

    private static final String OFFER = """
            v=0
            o=- 1 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0
            m=video 9 UDP/TLS/RTP/SAVPF 102
            c=IN IP4 0.0.0.0
            a=ice-ufrag:sT7o
            a=ice-pwd:0bTuHqkDEpmHZjf/6zMYQBkG
            a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=setup:actpass
            a=mid:0
            a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
            a=recvonly
            a=rtcp-mux
            a=rtpmap:102 H264/90000
            a=rtcp-fb:102 nack
            a=rtcp-fb:102 nack pli
            a=rtcp-fb:102 ccm fir
            a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
            """.replace("\n", "\r\n");

    private final AtomicInteger keyframeRequests = new AtomicInteger();
    private MediaPeer peer;
    private long ssrc;

    @BeforeEach
    void open() throws Exception {
        peer = new MediaPeer("p1", SdpParser.parse(OFFER), Codec.H264, DtlsCertificate.generate(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of("127.0.0.1"),
                WebRtcTransport.settings(Map.of()),
                p -> keyframeRequests.incrementAndGet());
        Matcher m = Pattern.compile("a=ssrc:(\\d+) cname:").matcher(peer.answerSdp());
        assertTrue(m.find(), peer.answerSdp());
        ssrc = Long.parseLong(m.group(1));
    }

    @AfterEach
    void close() {
        peer.close();
    }

    @Test
    void aNewPeerHasCountedNothing() {
        MediaPeer.Stats stats = peer.stats();
        assertEquals(new MediaPeer.Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, -1, -1, 0, 0, 0, 0, -1, 0, 0, -1, -1, -1),
                stats, "no receiver report yet (fraction lost -1); this offer has no transport-cc: no estimate, no pacer");
    }

    @Test
    void keyframeRequestsAreCountedByKindAndPassedOn() {
        peer.handle(new Rtcp.PictureLossIndication(1, ssrc));
        peer.handle(new Rtcp.PictureLossIndication(1, ssrc));
        peer.handle(new Rtcp.FullIntraRequest(1, List.of(new Rtcp.FirEntry(ssrc, 1))));
        assertEquals(2, peer.stats().pliReceived());
        assertEquals(1, peer.stats().firReceived());
        assertEquals(3, keyframeRequests.get());
    }

    @Test
    void nacksCountMessagesAndPacketsAndOnlyRetransmitWhatTheHistoryHas() {
        peer.handle(new Rtcp.Nack(1, ssrc, List.of(10, 11, 12)));
        peer.handle(new Rtcp.Nack(1, ssrc, List.of(13)));
        MediaPeer.Stats stats = peer.stats();
        assertEquals(2, stats.nacksReceived());
        assertEquals(4, stats.nackedPackets());
        assertEquals(0, stats.retransmissions(), "nothing was sent, so nothing can be sent again");
    }

    @Test
    void receiverReportsAboutOurSsrcGiveLossJitterAndRoundTrip() {
        Rtcp.ReportBlock other = new Rtcp.ReportBlock(ssrc + 1, 200, 99, 0, 999, 0, 0);
        peer.handle(new Rtcp.ReceiverReport(1, List.of(other)));
        assertEquals(-1, peer.stats().fractionLost(), "a report on another SSRC is not ours: none yet");

        Rtcp.ReportBlock ours = new Rtcp.ReportBlock(ssrc, 64, 5, 1000, 321, 0, 0);
        peer.handle(new Rtcp.ReceiverReport(1, List.of(other, ours)));
        MediaPeer.Stats stats = peer.stats();
        assertEquals(64, stats.fractionLost());
        assertEquals(5, stats.cumulativeLost());
        assertEquals(321, stats.jitter());
        assertEquals(-1, stats.roundTripMicros(), "no LSR: we sent no sender report yet");

        peer.handle(new Rtcp.Remb(1, 2_500_000, List.of(ssrc)));
        assertEquals(2_500_000, peer.stats().rembBitrateBps());
    }

    @Test
    void toMapNamesEveryFieldInOrder() {
        MediaPeer.Stats stats = new MediaPeer.Stats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
                18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
        Map<String, Object> map = stats.toMap();
        List<String> names = Arrays.stream(MediaPeer.Stats.class.getRecordComponents())
                .map(RecordComponent::getName).toList();
        assertEquals(names, List.copyOf(map.keySet()), "one entry per field, in declaration order");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13, 14L, 15L, 16L, 17L,
                        18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L),
                List.copyOf(map.values()));
        assertThrows(UnsupportedOperationException.class, () -> map.put("x", 1));
    }
}
