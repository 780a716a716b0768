package io.framewire.plugin.webrtc.sdp;

import io.framewire.api.Codec;

import static io.framewire.plugin.webrtc.sdp.SdpTest.RTX_SSRC;
import static io.framewire.plugin.webrtc.sdp.SdpTest.answer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Negotiation of transport-wide congestion control (extension and feedback) and of RTX. */
class SdpCongestionControlTest {

    private static final long SSRC = 0x11223344L;
    private static final String TCC_EXTMAP = "a=extmap:4 " + SdpAnswer.TRANSPORT_CC_URI + "\r\n";

    private static List<String> attributes(MediaDescription m, String name) {
        return m.attributes().stream().filter(a -> a.name().equals(name)).map(Attribute::value).toList();
    }

    private static long lineCount(String sdp, String prefix) {
        return sdp.lines().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void chromiumVideoOnlyOfferGetsTransportCcAndRtxAndTheAnswerParsesBack() {
        SdpAnswer a = answer(Offers.CHROMIUM_VIDEO_ONLY, Codec.H264).rtxSsrc(RTX_SSRC).build();
        assertEquals(109, a.payloadType().number());
        assertEquals(4, a.transportCcId());
        assertTrue(a.transportCcFeedback());
        assertEquals(5, a.playoutDelayId());
        assertEquals(114, a.rtxPayloadType(), "a=fmtp:114 apt=109, not the next number");
        assertEquals(RTX_SSRC, a.rtxSsrc());
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), a.rtcpFeedback());
        String sdp = a.sdp();
        assertTrue(sdp.contains("m=video 40000 UDP/TLS/RTP/SAVPF 109 114\r\n"), sdp);
        assertTrue(sdp.contains(TCC_EXTMAP), sdp);
        assertTrue(sdp.contains("a=rtcp-fb:109 transport-cc\r\n"), sdp);
        assertTrue(sdp.contains("a=rtpmap:114 rtx/90000\r\na=fmtp:114 apt=109\r\n"), sdp);
        assertEquals(1, lineCount(sdp, "a=rtpmap:"+ 114), "one rtx type");
        assertEquals(0, lineCount(sdp, "a=rtcp-fb:114"), "no feedback for the rtx type");
        assertEquals(1, lineCount(sdp, "a=ssrc-group:"));
        assertEquals(4, lineCount(sdp, "a=ssrc:"));

        MediaDescription back = SdpParser.parse(sdp).media().get(0);
        assertEquals(Direction.SENDONLY, back.direction());
        assertEquals(List.of("109", "114"), back.formats());
        assertEquals(109, back.payloadType(114).orElseThrow().associatedPayloadType());
        assertTrue(back.payloadType(114).orElseThrow().is("rtx"));
        assertTrue(back.payloadType(109).orElseThrow().rtcpFb().containsAll(
                List.of("transport-cc", "nack", "nack pli", "ccm fir", "goog-remb")));
        assertTrue(back.extmaps().contains(new Extmap(4, null, SdpAnswer.TRANSPORT_CC_URI, null)));
        assertTrue(back.extmaps().contains(new Extmap(5, null, SdpAnswer.PLAYOUT_DELAY_URI, null)));
        assertEquals(2, back.extmaps().size(), "only the extensions we send");
        // the FID group names media SSRC first, then the RTX SSRC; both have the same cname and msid
        assertEquals(List.of("FID " + SSRC + " " + RTX_SSRC), attributes(back, "ssrc-group"));
        String msid = attributes(back, "msid").get(0);
        assertEquals(List.of(SSRC + " cname:fw-cname", SSRC + " msid:" + msid,
                RTX_SSRC + " cname:fw-cname", RTX_SSRC + " msid:" + msid), attributes(back, "ssrc"));
    }

    @Test
    void rtxIsMatchedByAptToTheChosenProfile() {
        // without 42e01f the first mode-1 type with level asymmetry wins: 103 in Chromium, 102 in Chrome
        String noCb = Offers.CHROMIUM_VIDEO_ONLY.replace("packetization-mode=1;profile-level-id=42e01f",
                "packetization-mode=1;profile-level-id=640c1f");
        SdpAnswer a = answer(noCb, Codec.H264).rtxSsrc(RTX_SSRC).build();
        assertEquals(103, a.payloadType().number());
        assertEquals(104, a.rtxPayloadType());
        assertTrue(a.sdp().contains("a=fmtp:104 apt=103\r\n"));
        String chromeNoCb = Offers.CHROME.replace("packetization-mode=1;profile-level-id=42e01f",
                "packetization-mode=1;profile-level-id=640c1f");
        assertEquals(103, answer(chromeNoCb, Codec.H264).rtxSsrc(RTX_SSRC).build().rtxPayloadType());

        // rtx listed before its codec; an rtx of the chosen type with another clock rate is skipped;
        // the other profile's rtx is not taken
        String offer = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:abcd\r\n"
                + "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=fingerprint:" + Offers.FP + "\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 101 104 102 103 100\r\nc=IN IP4 0.0.0.0\r\na=mid:v\r\na=recvonly\r\n"
                + "a=rtpmap:104 rtx/45000\r\na=fmtp:104 apt=102\r\n"
                + "a=rtpmap:103 rtx/90000\r\na=fmtp:103 apt=101\r\n"
                + "a=rtpmap:101 H264/90000\r\na=fmtp:101 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f\r\n"
                + "a=rtpmap:102 H264/90000\r\na=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n"
                + "a=rtpmap:100 rtx/90000\r\na=fmtp:100 apt=102\r\n";
        SdpAnswer custom = answer(offer, Codec.H264).rtxSsrc(RTX_SSRC).build();
        assertEquals(102, custom.payloadType().number());
        assertEquals(100, custom.rtxPayloadType());
        assertTrue(custom.sdp().contains("m=video 40000 UDP/TLS/RTP/SAVPF 102 100\r\n"), custom.sdp());
        assertEquals(0, custom.transportCcId(), "not offered");
        assertFalse(custom.sdp().contains("transport-cc"));
    }

    @Test
    void noRtxWithoutAnOfferedRtxTypeOrWithoutAnRtxSsrc() {
        String noRtx = Offers.CHROMIUM_VIDEO_ONLY.replaceAll("a=rtpmap:\\d+ rtx/90000\r\n", "")
                .replaceAll("a=fmtp:\\d+ apt=\\d+\r\n", "");
        SdpAnswer a = answer(noRtx, Codec.H264).rtxSsrc(RTX_SSRC).build();
        assertEquals(109, a.payloadType().number());
        assertEquals(-1, a.rtxPayloadType());
        assertEquals(-1, a.rtxSsrc());
        assertFalse(a.rtx());
        assertTrue(a.sdp().contains("m=video 40000 UDP/TLS/RTP/SAVPF 109\r\n"));
        assertFalse(a.sdp().contains("rtx"));
        assertFalse(a.sdp().contains("ssrc-group"));
        assertFalse(a.sdp().contains(Long.toString(RTX_SSRC)));
        assertEquals(2, lineCount(a.sdp(), "a=ssrc:"));
        assertTrue(a.transportCc(), "transport-cc does not depend on RTX");

        SdpAnswer noSsrc = answer(Offers.CHROMIUM_VIDEO_ONLY, Codec.H264).build();
        assertEquals(-1, noSsrc.rtxPayloadType(), "RTX needs an RTX SSRC from the sender");
        assertFalse(noSsrc.sdp().contains("rtx"));
        assertFalse(noSsrc.sdp().contains("ssrc-group"));
    }

    @Test
    void noTransportCcWhenNotOffered() {
        String none = Offers.CHROMIUM_VIDEO_ONLY.replace(TCC_EXTMAP, "")
                .replaceAll("a=rtcp-fb:\\d+ transport-cc\r\n", "");
        SdpAnswer a = answer(none, Codec.H264).rtxSsrc(RTX_SSRC).build();
        assertEquals(0, a.transportCcId());
        assertFalse(a.transportCcFeedback());
        assertFalse(a.transportCc());
        assertFalse(a.sdp().contains("transport-cc"));
        assertFalse(a.sdp().contains(SdpAnswer.TRANSPORT_CC_URI));
        assertEquals(List.of("goog-remb", "ccm fir", "nack", "nack pli"), a.rtcpFeedback(), "nack stays");
        assertEquals(5, a.playoutDelayId());
        assertEquals(114, a.rtxPayloadType());
    }

    @Test
    void extensionWithoutFeedbackIsNegotiatedAlone() {
        String noFeedback = Offers.CHROMIUM_VIDEO_ONLY.replaceAll("a=rtcp-fb:\\d+ transport-cc\r\n", "");
        SdpAnswer a = answer(noFeedback, Codec.H264).build();
        assertEquals(4, a.transportCcId());
        assertFalse(a.transportCcFeedback());
        assertFalse(a.transportCc());
        assertTrue(a.sdp().contains(TCC_EXTMAP));
        assertFalse(a.sdp().contains("a=rtcp-fb:109 transport-cc"));
    }

    @Test
    void feedbackWithoutTheExtensionIsNotAnswered() {
        SdpAnswer a = answer(Offers.CHROMIUM_VIDEO_ONLY.replace(TCC_EXTMAP, ""), Codec.H264).build();
        assertEquals(0, a.transportCcId());
        assertFalse(a.transportCcFeedback(), "feedback cannot work without sequence numbers");
        assertFalse(a.sdp().contains("transport-cc"));
        assertTrue(a.rtcpFeedback().containsAll(List.of("nack", "nack pli", "ccm fir", "goog-remb")));
    }

    @Test
    void extensionOutsideTheOneByteRangeOrNotForUsIsNotNegotiated() {
        for (String replacement : List.of("a=extmap:15 ", "a=extmap:200 ", "a=extmap:4/sendonly ",
                "a=extmap:4/inactive ")) {
            String offer = Offers.CHROMIUM_VIDEO_ONLY.replace(TCC_EXTMAP,
                    replacement + SdpAnswer.TRANSPORT_CC_URI + "\r\n");
            SdpAnswer a = answer(offer, Codec.H264).build();
            assertEquals(0, a.transportCcId(), replacement);
            assertFalse(a.transportCcFeedback(), replacement);
            assertFalse(a.sdp().contains("transport-cc"), replacement);
            assertEquals(5, a.playoutDelayId(), replacement);
        }
        String recvonly = Offers.CHROMIUM_VIDEO_ONLY.replace(TCC_EXTMAP,
                "a=extmap:9/recvonly " + SdpAnswer.TRANSPORT_CC_URI + "\r\n")
                .replace("a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid\r\n", "");
        SdpAnswer a = answer(recvonly, Codec.H264).build();
        assertEquals(9, a.transportCcId(), "the offerer receives it");
        assertTrue(a.sdp().contains("a=extmap:9 " + SdpAnswer.TRANSPORT_CC_URI + "\r\n"));
    }

    @Test
    void nackPliFirAndRembAreAnsweredForEveryCodec() {
        for (Codec codec : List.of(Codec.H264, Codec.H265, Codec.AV1)) {
            SdpAnswer a = answer(Offers.CHROME, codec).rtxSsrc(RTX_SSRC).build();
            int pt = a.payloadType().number();
            for (String fb : List.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc")) {
                assertTrue(a.rtcpFeedback().contains(fb), codec + " " + fb);
                assertTrue(a.sdp().contains("a=rtcp-fb:" + pt + " " + fb + "\r\n"), codec + " " + fb);
            }
        }
    }

    @Test
    void rtxSsrcIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> answer(Offers.CHROME, Codec.H264).rtxSsrc(-1));
        assertThrows(IllegalArgumentException.class, () -> answer(Offers.CHROME, Codec.H264).rtxSsrc(1L << 32));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> answer(Offers.CHROME, Codec.H264).rtxSsrc(SSRC).build());
        assertTrue(e.getMessage().contains("media SSRC"), e.getMessage());
        assertEquals(0xFFFFFFFFL, answer(Offers.CHROME, Codec.H264).rtxSsrc(0xFFFFFFFFL).build().rtxSsrc());
    }
}
