package io.framewire.plugin.webrtc.sdp;

import io.framewire.api.Codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpTest {

    static final String OUR_FP = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";

    static SdpAnswer.Builder answer(String offer, Codec codec) {
        return SdpAnswer.builder(SdpParser.parse(offer)).codec(codec)
                .ice("srvU", "0123456789abcdefghijklmn")
                .fingerprint(OUR_FP.replace(":", "").toLowerCase())
                .candidate("192.0.2.10", 40000)
                .candidate("2001:db8::10", 40001)
                .ssrc(0x11223344L).cname("fw-cname").msid("fw-stream", "fw-video").sessionId(42);
    }

    @Test
    void parsesChromeOffer() {
        SessionDescription sd = SdpParser.parse(Offers.CHROME);
        assertEquals(List.of("0", "1"), sd.bundle());
        assertFalse(sd.iceLite());
        assertNull(sd.iceUfrag(), "Chrome puts ICE at media level");
        assertEquals(2, sd.media().size());
        MediaDescription audio = sd.media().get(0);
        assertEquals("audio", audio.media());
        assertEquals("0", audio.mid());
        assertEquals("opus", audio.payloadType(111).orElseThrow().codec());
        assertEquals(2, audio.payloadType(111).orElseThrow().channels());
        MediaDescription video = sd.media().get(1);
        assertEquals("video", video.media());
        assertEquals("1", video.mid());
        assertEquals(9, video.port());
        assertEquals("UDP/TLS/RTP/SAVPF", video.protocol());
        assertEquals(Direction.RECVONLY, video.direction());
        assertEquals("sT7o", video.iceUfrag());
        assertEquals("0bTuHqkDEpmHZjf/6zMYQBkG", video.icePwd());
        assertEquals(new Fingerprint("sha-256", Offers.FP.substring(8)), video.fingerprint());
        assertEquals(32, video.fingerprint().bytes().length);
        assertEquals(Setup.ACTPASS, video.setup());
        assertTrue(video.rtcpMux());
        assertTrue(video.rtcpRsize());
        assertEquals(6, video.extmaps().size());
        assertEquals(new Extmap(4, null, "urn:ietf:params:rtp-hdrext:sdes:mid", null), video.extmaps().get(5));
        assertEquals(27, video.payloadTypes().size());
        PayloadType h264 = video.payloadType(106).orElseThrow();
        assertTrue(h264.is("h264"));
        assertEquals(90000, h264.clockRate());
        assertEquals("42e01f", h264.param("profile-level-id"));
        assertEquals("1", h264.param("packetization-mode"));
        assertEquals("1", h264.param("level-asymmetry-allowed"));
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), h264.rtcpFb());
        assertEquals(106, video.payloadType(107).orElseThrow().associatedPayloadType());
        assertEquals(-1, h264.associatedPayloadType());
        assertEquals("1", video.payloadType(49).orElseThrow().param("profile-id"));
        assertEquals("0", video.payloadType(45).orElseThrow().param("profile"));
        assertEquals("ulpfec", video.payloadType(118).orElseThrow().codec());
    }

    @Test
    void parsesFirefoxOfferWithSessionLevelFallbacks() {
        SessionDescription sd = SdpParser.parse(Offers.FIREFOX);
        assertEquals(List.of("0", "1", "2"), sd.bundle());
        assertEquals(3, sd.media().size());
        MediaDescription video = sd.media().get(1);
        assertEquals("9c1a6f3e", video.iceUfrag(), "session-level ufrag applies");
        assertEquals("4c0e1d2f3a4b5c6d7e8f90a1b2c3d4e5", video.icePwd());
        assertEquals("sha-256", video.fingerprint().algorithm());
        assertEquals(Setup.ACTPASS, video.setup());
        assertEquals("recvonly", video.extmaps().get(3).direction());
        assertEquals("profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1",
                video.payloadType(126).orElseThrow().fmtp());
        assertNull(video.payloadType(97).orElseThrow().param("packetization-mode"));
        MediaDescription data = sd.media().get(2);
        assertEquals("application", data.media());
        assertEquals(List.of("webrtc-datachannel"), data.formats());
        assertTrue(data.payloadTypes().isEmpty());
        assertEquals(Direction.SENDRECV, data.direction());
    }

    static final long RTX_SSRC = 0x55667788L;

    @Test
    void chromeH264AnswerIsExactlyAsExpected() {
        SdpAnswer a = answer(Offers.CHROME, Codec.H264).rtxSsrc(RTX_SSRC).build();
        assertEquals(106, a.payloadType().number(), "42e01f, packetization-mode=1, level asymmetry");
        assertEquals("1", a.mid());
        assertTrue(a.rtcpRsize());
        assertEquals(5, a.playoutDelayId(), "the offer's playout-delay extension is accepted");
        assertEquals(3, a.transportCcId(), "the offer's transport-cc extension id");
        assertTrue(a.transportCcFeedback());
        assertTrue(a.transportCc());
        assertEquals(107, a.rtxPayloadType(), "a=fmtp:107 apt=106");
        assertEquals(RTX_SSRC, a.rtxSsrc());
        assertTrue(a.rtx());
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), a.rtcpFeedback());
        String expected = String.join("\r\n",
                "v=0",
                "o=- 42 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=ice-lite",
                "a=group:BUNDLE 1",
                "m=audio 0 UDP/TLS/RTP/SAVPF 111",
                "c=IN IP4 0.0.0.0",
                "a=mid:0",
                "a=inactive",
                "m=video 40000 UDP/TLS/RTP/SAVPF 106 107",
                "c=IN IP4 192.0.2.10",
                "a=mid:1",
                "a=ice-ufrag:srvU",
                "a=ice-pwd:0123456789abcdefghijklmn",
                "a=fingerprint:sha-256 " + OUR_FP,
                "a=setup:passive",
                "a=sendonly",
                "a=rtcp-mux",
                "a=rtcp-rsize",
                "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
                "a=rtpmap:106 H264/90000",
                "a=rtcp-fb:106 goog-remb",
                "a=rtcp-fb:106 transport-cc",
                "a=rtcp-fb:106 ccm fir",
                "a=rtcp-fb:106 nack",
                "a=rtcp-fb:106 nack pli",
                "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                "a=rtpmap:107 rtx/90000",
                "a=fmtp:107 apt=106",
                "a=msid:fw-stream fw-video",
                "a=ssrc-group:FID 287454020 1432778632",
                "a=ssrc:287454020 cname:fw-cname",
                "a=ssrc:287454020 msid:fw-stream fw-video",
                "a=ssrc:1432778632 cname:fw-cname",
                "a=ssrc:1432778632 msid:fw-stream fw-video",
                "a=candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host",
                "a=candidate:2 1 udp 2130706430 2001:db8::10 40001 typ host",
                "a=end-of-candidates",
                "");
        assertEquals(expected, a.sdp());
        // and the answer parses back
        SessionDescription back = SdpParser.parse(a.sdp());
        assertTrue(back.iceLite());
        assertEquals(0, back.media().get(0).port());
        assertEquals(Setup.PASSIVE, back.media().get(1).setup());
        assertEquals(Direction.SENDONLY, back.media().get(1).direction());
    }

    @Test
    void chromeH265AndAv1PickTheirPayloadTypes() {
        SdpAnswer h265 = answer(Offers.CHROME, Codec.H265).rtxSsrc(RTX_SSRC).build();
        assertEquals(49, h265.payloadType().number());
        assertTrue(h265.sdp().contains("m=video 40000 UDP/TLS/RTP/SAVPF 49 50\r\n"));
        assertTrue(h265.sdp().contains("a=rtpmap:49 H265/90000\r\n"));
        assertTrue(h265.sdp().contains("a=fmtp:49 level-id=93;profile-id=1;tier-flag=0;tx-mode=SRST\r\n"));
        assertTrue(h265.sdp().contains("a=rtpmap:50 rtx/90000\r\na=fmtp:50 apt=49\r\n"));
        assertEquals(50, h265.rtxPayloadType());
        SdpAnswer av1 = answer(Offers.CHROME, Codec.AV1).rtxSsrc(RTX_SSRC).build();
        assertEquals(45, av1.payloadType().number());
        assertTrue(av1.sdp().contains("a=rtpmap:45 AV1/90000\r\n"));
        assertTrue(av1.sdp().contains("a=rtpmap:46 rtx/90000\r\na=fmtp:46 apt=45\r\n"));
        assertEquals(46, av1.rtxPayloadType());
        for (SdpAnswer a : List.of(h265, av1)) {
            int pt = a.payloadType().number();
            assertTrue(a.sdp().contains("a=rtcp-fb:" + pt + " transport-cc\r\n"));
            assertEquals(3, a.transportCcId());
            assertFalse(a.sdp().contains("apt=" + 106), "only the chosen type's rtx");
            assertTrue(a.sdp().endsWith("a=end-of-candidates\r\n"));
            assertFalse(a.sdp().replace("\r\n", "").contains("\n"), "only CRLF line ends");
        }
    }

    @Test
    void firefoxAnswerRejectsAudioAndDataChannel() {
        SdpAnswer a = answer(Offers.FIREFOX, Codec.H264).build();
        assertEquals(126, a.payloadType().number());
        String sdp = a.sdp();
        assertTrue(sdp.contains("a=group:BUNDLE 1\r\n"));
        assertTrue(sdp.contains("m=audio 0 UDP/TLS/RTP/SAVPF 109\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=inactive\r\n"));
        assertTrue(sdp.endsWith("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n"));
        assertFalse(sdp.contains("a=rtcp-rsize"), "not offered");
        assertTrue(sdp.contains("a=rtcp-fb:126 nack pli\r\n"));
        assertEquals(7, a.transportCcId(), "Firefox's transport-cc extension");
        assertTrue(a.transportCcFeedback());
        assertEquals(6, a.playoutDelayId(), "a=extmap:6/recvonly: the offerer receives it");
        assertEquals(-1, a.rtxPayloadType(), "no RTX SSRC given");
        assertEquals(127, answer(Offers.FIREFOX, Codec.H264).rtxSsrc(RTX_SSRC).build().rtxPayloadType(),
                "Firefox's a=fmtp:127 apt=126");
        assertTrue(sdp.contains("a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1\r\n"));
        int mediaLines = sdp.split("\r\nm=", -1).length - 1;
        assertEquals(3, mediaLines, "one m-line per offered m-line");
    }

    @Test
    void noAcceptableCodecNamesWhatTheOfferHad() {
        SdpException e = assertThrows(SdpException.class, () -> answer(Offers.FIREFOX, Codec.AV1).build());
        assertTrue(e.getMessage().contains("AV1"), e.getMessage());
        assertTrue(e.getMessage().contains("VP8/90000"), e.getMessage());
        assertTrue(e.getMessage().contains("126 H264/90000"), e.getMessage());

        String onlyMode0 = Offers.FIREFOX.replace("a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1",
                "a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1");
        e = assertThrows(SdpException.class, () -> answer(onlyMode0, Codec.H264).build());
        assertTrue(e.getMessage().contains("packetization-mode=1"), e.getMessage());

        String sendonly = Offers.FIREFOX.replace("a=recvonly\r\na=extmap:3", "a=sendonly\r\na=extmap:3");
        e = assertThrows(SdpException.class, () -> answer(sendonly, Codec.H264).build());
        assertTrue(e.getMessage().contains("sendonly"), e.getMessage());
    }

    @Test
    void h264SelectionRule() {
        assertTrue(CodecSelector.isConstrainedBaseline("42e01f"));
        assertTrue(CodecSelector.isConstrainedBaseline("42C02A"));
        assertTrue(CodecSelector.isConstrainedBaseline("4d801f"));
        assertFalse(CodecSelector.isConstrainedBaseline("42001f"));
        assertFalse(CodecSelector.isConstrainedBaseline("64001f"));
        assertFalse(CodecSelector.isConstrainedBaseline(null));
        // without 42e01f Chrome's first mode-1 entry with level asymmetry (42001f) wins
        String noCb = Offers.CHROME.replace("packetization-mode=1;profile-level-id=42e01f", "packetization-mode=1;profile-level-id=640c1f");
        assertEquals(102, answer(noCb, Codec.H264).build().payloadType().number());
        // constrained baseline without level asymmetry is still accepted
        String offer = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
                + "a=fingerprint:" + Offers.FP + "\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 100 101\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:100 H264/90000\r\n"
                + "a=fmtp:100 packetization-mode=1;profile-level-id=4d001f\r\n"
                + "a=rtpmap:101 H264/90000\r\na=fmtp:101 packetization-mode=1;profile-level-id=42e01f\r\n"
                + "a=rtcp-fb:* nack\r\n";
        SdpAnswer a = answer(offer, Codec.H264).build();
        assertEquals(101, a.payloadType().number());
        assertEquals(List.of("nack"), a.rtcpFeedback(), "wildcard rtcp-fb applies");
        assertFalse(a.sdp().contains("BUNDLE"), "no mid, no group");
    }

    @Test
    void malformedSdpIsRejectedClearly() {
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse("hello world"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        e = assertThrows(SdpException.class, () -> SdpParser.parse("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n"));
        assertTrue(e.getMessage().contains("v=0"), e.getMessage());
        e = assertThrows(SdpException.class, () -> SdpParser.parse("v=0\r\nm=video\r\n"));
        assertTrue(e.getMessage().contains("m-line"), e.getMessage());
        e = assertThrows(SdpException.class, () -> SdpParser.parse("v=0\r\nm=video 9 RTP/SAVPF 96\r\na=rtpmap:96 H264\r\n"));
        assertTrue(e.getMessage().contains("rtpmap"), e.getMessage());
        assertThrows(SdpException.class, () -> SdpParser.parse("v=0\r\na=fingerprint:sha-256 XYZ\r\n"));
        assertThrows(SdpException.class, () -> SdpParser.parse("v=0\r\na=setup:sideways\r\n"));
        assertThrows(IllegalArgumentException.class, () -> answer(Offers.CHROME, Codec.RAW));
        assertThrows(IllegalStateException.class,
                () -> SdpAnswer.builder(SdpParser.parse(Offers.CHROME)).codec(Codec.H264).build());
    }
}
