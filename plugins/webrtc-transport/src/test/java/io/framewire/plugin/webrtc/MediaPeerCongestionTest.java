package io.framewire.plugin.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Codec;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.plugin.webrtc.dtls.DtlsCertificate;
import io.framewire.plugin.webrtc.pacer.QueuedPacket;
import io.framewire.plugin.webrtc.rtp.Rtcp;
import io.framewire.plugin.webrtc.rtp.RtpPacket;
import io.framewire.plugin.webrtc.rtp.RtxPackets;
import io.framewire.plugin.webrtc.sdp.Offers;
import io.framewire.plugin.webrtc.sdp.SdpAnswer;
import io.framewire.plugin.webrtc.sdp.SdpParser;
import io.framewire.plugin.webrtc.srtp.SrtpKeyMaterial;
import io.framewire.plugin.webrtc.srtp.SrtpProfile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a {@link MediaPeer} answers and sends with and without congestion control, on a Chromium
 * offer that has transport-cc and RTX; no browser, so packets do not reach a socket (no ICE pair).
 */
class MediaPeerCongestionTest {

    private final AtomicInteger keyframeRequests = new AtomicInteger();
    private MediaPeer peer;

    private MediaPeer open(boolean congestionControl) throws Exception {
        peer = new MediaPeer("p1", SdpParser.parse(Offers.CHROMIUM_VIDEO_ONLY), Codec.H264,
                DtlsCertificate.generate(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                List.of("127.0.0.1"),
                WebRtcTransport.settings(Map.of("congestionControl", congestionControl)),
                p -> keyframeRequests.incrementAndGet());
        return peer;
    }

    @AfterEach
    void close() {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void withCongestionControlTheAnswerHasTransportCcAndRtxAndThePeerStartsAtTheStartRate() throws Exception {
        MediaPeer p = open(true);
        String sdp = p.answerSdp();
        assertTrue(sdp.contains(" " + SdpAnswer.TRANSPORT_CC_URI), sdp);
        assertTrue(sdp.contains(" transport-cc\r\n"), sdp);
        assertTrue(sdp.contains("a=ssrc-group:FID "), sdp);
        assertTrue(p.isAdaptive());
        int start = WebRtcTransport.settings(Map.of()).startBitrateKbps();
        assertEquals(start * 1000L, p.stats().estimatedBitrateBps());
        assertEquals((long) (start * 1000L * PeerCongestion.PAYLOAD_SHARE), p.encoderBudgetBps(),
                "nothing resent yet: the estimate less the headers' share");
        assertEquals(0, p.stats().pacerQueueMillis());
    }

    @Test
    void withoutCongestionControlNeitherIsNegotiatedAndNothingIsEstimated() throws Exception {
        MediaPeer p = open(false);
        String sdp = p.answerSdp();
        assertFalse(sdp.contains(SdpAnswer.TRANSPORT_CC_URI), sdp);
        assertFalse(sdp.contains("transport-cc"), sdp);
        assertFalse(sdp.contains("a=ssrc-group:FID "), sdp);
        assertFalse(p.isAdaptive());
        assertEquals(-1, p.stats().estimatedBitrateBps());
        assertEquals(-1, p.encoderBudgetBps());
        assertEquals(-1, p.stats().pacerQueueMillis());
    }

    @Test
    void aNackStormIsAnsweredWithinTheRetransmissionBudget() throws Exception {
        MediaPeer p = openWithKeys();
        // a key frame and 29 frames of 50 kB: about 1,300 packets, more than the 1,024 the history
        // keeps, and about 2 s at the pacing rate of the start estimate
        sendFrames(p);
        assertEquals(30, p.stats().framesSent());
        assertTrue(p.stats().pacerQueueMillis() >= 0 && p.stats().pacerQueueMillis() < 1000);
        nackEverySequence(p);

        MediaPeer.Stats stats = p.stats();
        assertEquals(0x10000, stats.nackedPackets());
        // the history has 1,024 packets; the budget (20 % of 2.5 Mbit/s, 100 ms burst) grants a few
        assertTrue(stats.retransmissionsRefused() >= 900 && stats.retransmissionsRefused() < 1024,
                "refused " + stats.retransmissionsRefused() + " of the 1,024 kept packets asked for");
        assertEquals(1, stats.keyframesForLoss(), "a loss the budget cannot repair: skip to a key frame");
        assertEquals(0, stats.pacerQueueMillis(), "the queued packets of the frames before the key frame are dropped");
        assertTrue(keyframeRequests.get() >= 2, "one when keys were agreed, one for the loss: " + keyframeRequests.get());
        int before = keyframeRequests.get();
        p.send(new EncodedFrame(Codec.H264, delta(5_000), 30, 30 * 33_333L, false, false), 30 * 33_333L);
        assertEquals(1, p.stats().framesSkippedWaitingForKeyframe(), "delta frames wait for the key frame");
        assertEquals(before, keyframeRequests.get());
    }

    @Test
    void lossesBeforeTheLastKeyFrameAreNeitherResentNorRepaired() throws Exception {
        MediaPeer p = openWithKeys();
        sendFrames(p);
        p.send(new EncodedFrame(Codec.H264, keyframe(500), 30, 30 * 33_333L, true, false), 30 * 33_333L);
        nackEverySequence(p);
        MediaPeer.Stats stats = p.stats();
        assertEquals(0x10000, stats.nackedPackets());
        assertTrue(stats.retransmissionsRefused() <= 1, "only the new key frame's packet may be asked for: "
                + stats.retransmissionsRefused());
        assertEquals(0, stats.keyframesForLoss(), "the browser starts again at the key frame already sent");
    }

    @Test
    void probesArePaddedWithRtxCopiesOfTheLastMediaPackets() throws Exception {
        MediaPeer p = openWithKeys();
        assertNull(p.padding(), "nothing sent yet: nothing to pad with");
        sendFrames(p);
        String sdp = p.answerSdp();
        Matcher fid = Pattern.compile("a=ssrc-group:FID (\\d+) (\\d+)").matcher(sdp);
        assertTrue(fid.find(), sdp);
        long media = Long.parseLong(fid.group(1));
        long rtx = Long.parseLong(fid.group(2));
        Matcher apt = Pattern.compile("a=fmtp:(\\d+) apt=(\\d+)").matcher(sdp);
        assertTrue(apt.find(), sdp);
        int rtxPayloadType = Integer.parseInt(apt.group(1));
        int mediaPayloadType = Integer.parseInt(apt.group(2));
        java.util.Set<Integer> originals = new java.util.HashSet<>();
        int highest = -1;
        for (int i = 0; i < 2 * MediaPeer.PADDING_LOOKBACK; i++) {
            QueuedPacket pad = p.padding();
            assertEquals(QueuedPacket.Kind.PADDING, pad.kind());
            RtpPacket packet = RtpPacket.wrap(pad.data(), 0, pad.length());
            assertEquals(rtx, packet.ssrc());
            assertEquals(rtxPayloadType, packet.payloadType());
            RtpPacket original = RtpPacket.wrap(RtxPackets.unwrap(pad.data(), pad.length(), mediaPayloadType, media));
            assertEquals(media, original.ssrc());
            originals.add(original.sequenceNumber());
            highest = Math.max(highest, original.sequenceNumber());
        }
        assertEquals(MediaPeer.PADDING_LOOKBACK, originals.size(), "the last 32 media packets in turn: " + originals);
        assertEquals(0, p.stats().probesSent(), "no feedback yet: no probe went out");
        assertEquals(0, p.stats().paddingBytesSent());
        for (int seq : originals) {
            assertTrue(highest - seq < MediaPeer.PADDING_LOOKBACK, "sequence " + seq + " is one of the last 32");
        }
    }

    /** A peer with congestion control and SRTP keys, as after the DTLS handshake. */
    private MediaPeer openWithKeys() throws Exception {
        MediaPeer p = open(true);
        p.onKeys(SrtpKeyMaterial.fromDtlsExport(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                new byte[SrtpKeyMaterial.exportLength(SrtpProfile.AES_CM_128_HMAC_SHA1_80)]));
        return p;
    }

    /** One NACK asking for every sequence number of the media SSRC. */
    private static void nackEverySequence(MediaPeer p) {
        List<Integer> everySequence = new ArrayList<>();
        for (int seq = 0; seq < 0x10000; seq++) {
            everySequence.add(seq);
        }
        p.handle(new Rtcp.Nack(1, mediaSsrc(p.answerSdp()), everySequence));
    }

    /** A key frame and 29 frames of 50 kB each. */
    private static void sendFrames(MediaPeer p) {
        for (int i = 0; i < 30; i++) {
            p.send(new EncodedFrame(Codec.H264, i == 0 ? keyframe(50_000) : delta(50_000), i, i * 33_333L, i == 0,
                    false), i * 33_333L);
        }
    }

    private static ByteBuffer delta(int size) {
        ByteBuffer b = keyframe(size);
        b.put(4, (byte) 0x41); // non-IDR slice
        return b;
    }

    private static ByteBuffer keyframe(int size) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 0x11);
        data[0] = 0;
        data[1] = 0;
        data[2] = 0;
        data[3] = 1;
        data[4] = 0x65; // IDR slice
        return ByteBuffer.wrap(data);
    }

    private static long mediaSsrc(String sdp) {
        Matcher m = Pattern.compile("a=ssrc-group:FID (\\d+) ").matcher(sdp);
        assertTrue(m.find(), sdp);
        return Long.parseLong(m.group(1));
    }
}
