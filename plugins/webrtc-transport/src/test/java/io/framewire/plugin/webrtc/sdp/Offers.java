package io.framewire.plugin.webrtc.sdp;

/** Realistic browser offers (recvonly transceivers), CRLF line ends as browsers send them. */
public final class Offers {

    private Offers() {
    }

    static String crlf(String s) {
        return s.replace("\n", "\r\n");
    }

    static final String FP = "sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08";

    /** Chrome 12x: audio + video recvonly, BUNDLE, many codecs with rtx, red/ulpfec. */
    public static final String CHROME = crlf("""
            v=0
            o=- 4611731400430051336 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0 1
            a=extmap-allow-mixed
            a=msid-semantic: WMS
            m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:sT7o
            a=ice-pwd:0bTuHqkDEpmHZjf/6zMYQBkG
            a=ice-options:trickle
            a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=setup:actpass
            a=mid:0
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=recvonly
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=rtcp-fb:111 transport-cc
            a=fmtp:111 minptime=10;useinbandfec=1
            a=rtpmap:63 red/48000/2
            a=fmtp:63 111/111
            a=rtpmap:9 G722/8000
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:13 CN/8000
            a=rtpmap:110 telephone-event/48000
            a=rtpmap:126 telephone-event/8000
            m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 125 39 40 45 46 98 99 100 101 49 50 112 113 116 117 118
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:sT7o
            a=ice-pwd:0bTuHqkDEpmHZjf/6zMYQBkG
            a=ice-options:trickle
            a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=setup:actpass
            a=mid:1
            a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:13 urn:3gpp:video-orientation
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=recvonly
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 goog-remb
            a=rtcp-fb:96 transport-cc
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=rtpmap:102 H264/90000
            a=rtcp-fb:102 goog-remb
            a=rtcp-fb:102 transport-cc
            a=rtcp-fb:102 ccm fir
            a=rtcp-fb:102 nack
            a=rtcp-fb:102 nack pli
            a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
            a=rtpmap:103 rtx/90000
            a=fmtp:103 apt=102
            a=rtpmap:104 H264/90000
            a=rtcp-fb:104 goog-remb
            a=rtcp-fb:104 transport-cc
            a=rtcp-fb:104 ccm fir
            a=rtcp-fb:104 nack
            a=rtcp-fb:104 nack pli
            a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
            a=rtpmap:105 rtx/90000
            a=fmtp:105 apt=104
            a=rtpmap:106 H264/90000
            a=rtcp-fb:106 goog-remb
            a=rtcp-fb:106 transport-cc
            a=rtcp-fb:106 ccm fir
            a=rtcp-fb:106 nack
            a=rtcp-fb:106 nack pli
            a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
            a=rtpmap:107 rtx/90000
            a=fmtp:107 apt=106
            a=rtpmap:108 H264/90000
            a=rtcp-fb:108 goog-remb
            a=rtcp-fb:108 transport-cc
            a=rtcp-fb:108 ccm fir
            a=rtcp-fb:108 nack
            a=rtcp-fb:108 nack pli
            a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f
            a=rtpmap:109 rtx/90000
            a=fmtp:109 apt=108
            a=rtpmap:127 H264/90000
            a=rtcp-fb:127 goog-remb
            a=rtcp-fb:127 transport-cc
            a=rtcp-fb:127 ccm fir
            a=rtcp-fb:127 nack
            a=rtcp-fb:127 nack pli
            a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f
            a=rtpmap:125 rtx/90000
            a=fmtp:125 apt=127
            a=rtpmap:39 H264/90000
            a=rtcp-fb:39 goog-remb
            a=rtcp-fb:39 transport-cc
            a=rtcp-fb:39 ccm fir
            a=rtcp-fb:39 nack
            a=rtcp-fb:39 nack pli
            a=fmtp:39 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f
            a=rtpmap:40 rtx/90000
            a=fmtp:40 apt=39
            a=rtpmap:45 AV1/90000
            a=rtcp-fb:45 goog-remb
            a=rtcp-fb:45 transport-cc
            a=rtcp-fb:45 ccm fir
            a=rtcp-fb:45 nack
            a=rtcp-fb:45 nack pli
            a=fmtp:45 level-idx=5;profile=0;tier=0
            a=rtpmap:46 rtx/90000
            a=fmtp:46 apt=45
            a=rtpmap:98 VP9/90000
            a=rtcp-fb:98 goog-remb
            a=rtcp-fb:98 transport-cc
            a=rtcp-fb:98 ccm fir
            a=rtcp-fb:98 nack
            a=rtcp-fb:98 nack pli
            a=fmtp:98 profile-id=0
            a=rtpmap:99 rtx/90000
            a=fmtp:99 apt=98
            a=rtpmap:100 VP9/90000
            a=rtcp-fb:100 goog-remb
            a=rtcp-fb:100 transport-cc
            a=rtcp-fb:100 ccm fir
            a=rtcp-fb:100 nack
            a=rtcp-fb:100 nack pli
            a=fmtp:100 profile-id=2
            a=rtpmap:101 rtx/90000
            a=fmtp:101 apt=100
            a=rtpmap:49 H265/90000
            a=rtcp-fb:49 goog-remb
            a=rtcp-fb:49 transport-cc
            a=rtcp-fb:49 ccm fir
            a=rtcp-fb:49 nack
            a=rtcp-fb:49 nack pli
            a=fmtp:49 level-id=93;profile-id=1;tier-flag=0;tx-mode=SRST
            a=rtpmap:50 rtx/90000
            a=fmtp:50 apt=49
            a=rtpmap:112 H264/90000
            a=rtcp-fb:112 goog-remb
            a=rtcp-fb:112 transport-cc
            a=rtcp-fb:112 ccm fir
            a=rtcp-fb:112 nack
            a=rtcp-fb:112 nack pli
            a=fmtp:112 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f
            a=rtpmap:113 rtx/90000
            a=fmtp:113 apt=112
            a=rtpmap:116 red/90000
            a=rtpmap:117 rtx/90000
            a=fmtp:117 apt=116
            a=rtpmap:118 ulpfec/90000
            """);

    /** Firefox style: session-level fingerprint and ICE credentials, a data channel, H264 126/97. */
    static final String FIREFOX = crlf("""
            v=0
            o=mozilla...THIS_IS_SDPARTA-99.0 5619164462516376839 0 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=group:BUNDLE 0 1 2
            a=ice-options:trickle
            a=ice-ufrag:9c1a6f3e
            a=ice-pwd:4c0e1d2f3a4b5c6d7e8f90a1b2c3d4e5
            a=msid-semantic:WMS *
            m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101
            c=IN IP4 0.0.0.0
            a=recvonly
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
            a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
            a=fmtp:101 0-15
            a=mid:0
            a=rtcp-mux
            a=rtpmap:109 opus/48000/2
            a=rtpmap:9 G722/8000/1
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=setup:actpass
            m=video 9 UDP/TLS/RTP/SAVPF 120 124 121 125 126 127 97 98 123 122 119
            c=IN IP4 0.0.0.0
            a=recvonly
            a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
            a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:5 urn:ietf:params:rtp-hdrext:toffset
            a=extmap:6/recvonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
            a=extmap:7 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1
            a=fmtp:97 profile-level-id=42e01f;level-asymmetry-allowed=1
            a=fmtp:120 max-fs=12288;max-fr=60
            a=fmtp:124 apt=120
            a=fmtp:121 max-fs=12288;max-fr=60
            a=fmtp:125 apt=121
            a=fmtp:127 apt=126
            a=fmtp:98 apt=97
            a=fmtp:119 apt=122
            a=mid:1
            a=rtcp-fb:120 nack
            a=rtcp-fb:120 nack pli
            a=rtcp-fb:120 ccm fir
            a=rtcp-fb:120 goog-remb
            a=rtcp-fb:120 transport-cc
            a=rtcp-fb:121 nack
            a=rtcp-fb:121 nack pli
            a=rtcp-fb:121 ccm fir
            a=rtcp-fb:121 goog-remb
            a=rtcp-fb:121 transport-cc
            a=rtcp-fb:126 nack
            a=rtcp-fb:126 nack pli
            a=rtcp-fb:126 ccm fir
            a=rtcp-fb:126 goog-remb
            a=rtcp-fb:126 transport-cc
            a=rtcp-fb:97 nack
            a=rtcp-fb:97 nack pli
            a=rtcp-fb:97 ccm fir
            a=rtcp-fb:97 goog-remb
            a=rtcp-fb:97 transport-cc
            a=rtcp-fb:123 nack
            a=rtcp-fb:123 nack pli
            a=rtcp-fb:123 ccm fir
            a=rtcp-fb:123 goog-remb
            a=rtcp-fb:123 transport-cc
            a=rtcp-mux
            a=rtpmap:120 VP8/90000
            a=rtpmap:124 rtx/90000
            a=rtpmap:121 VP9/90000
            a=rtpmap:125 rtx/90000
            a=rtpmap:126 H264/90000
            a=rtpmap:127 rtx/90000
            a=rtpmap:97 H264/90000
            a=rtpmap:98 rtx/90000
            a=rtpmap:123 ulpfec/90000
            a=rtpmap:122 red/90000
            a=rtpmap:119 rtx/90000
            a=setup:actpass
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            c=IN IP4 0.0.0.0
            a=sendrecv
            a=mid:2
            a=setup:actpass
            a=sctp-port:5000
            a=max-message-size:1073741823
            """);

    /**
     * Chromium 12x/13x as the Framewire page makes it: one {@code addTransceiver('video', recvonly)},
     * so only a video section (mid 0) and extension ids numbered from 1 (transport-cc is 4). Several
     * H264 profiles, each with its own rtx payload type; the rtx of the chosen 42e01f/mode 1 type (109)
     * is 114, not the next number.
     */
    public static final String CHROMIUM_VIDEO_ONLY = crlf("""
            v=0
            o=- 7236914400180349021 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0
            a=extmap-allow-mixed
            a=msid-semantic: WMS
            m=video 9 UDP/TLS/RTP/SAVPF 96 97 103 104 107 108 109 114 115 116 117 118 39 40 45 46 98 99 100 101 119 120 123 124 125
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:Qx3b
            a=ice-pwd:Ck0dyZ1kl5TLsFvrwBfP+9Kq
            a=ice-options:trickle
            a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=setup:actpass
            a=mid:0
            a=extmap:1 urn:ietf:params:rtp-hdrext:toffset
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:3 urn:3gpp:video-orientation
            a=extmap:4 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
            a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
            a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
            a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
            a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid
            a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
            a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
            a=recvonly
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 goog-remb
            a=rtcp-fb:96 transport-cc
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=rtpmap:103 H264/90000
            a=rtcp-fb:103 goog-remb
            a=rtcp-fb:103 transport-cc
            a=rtcp-fb:103 ccm fir
            a=rtcp-fb:103 nack
            a=rtcp-fb:103 nack pli
            a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
            a=rtpmap:104 rtx/90000
            a=fmtp:104 apt=103
            a=rtpmap:107 H264/90000
            a=rtcp-fb:107 goog-remb
            a=rtcp-fb:107 transport-cc
            a=rtcp-fb:107 ccm fir
            a=rtcp-fb:107 nack
            a=rtcp-fb:107 nack pli
            a=fmtp:107 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
            a=rtpmap:108 rtx/90000
            a=fmtp:108 apt=107
            a=rtpmap:109 H264/90000
            a=rtcp-fb:109 goog-remb
            a=rtcp-fb:109 transport-cc
            a=rtcp-fb:109 ccm fir
            a=rtcp-fb:109 nack
            a=rtcp-fb:109 nack pli
            a=fmtp:109 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
            a=rtpmap:114 rtx/90000
            a=fmtp:114 apt=109
            a=rtpmap:115 H264/90000
            a=rtcp-fb:115 goog-remb
            a=rtcp-fb:115 transport-cc
            a=rtcp-fb:115 ccm fir
            a=rtcp-fb:115 nack
            a=rtcp-fb:115 nack pli
            a=fmtp:115 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f
            a=rtpmap:116 rtx/90000
            a=fmtp:116 apt=115
            a=rtpmap:117 H264/90000
            a=rtcp-fb:117 goog-remb
            a=rtcp-fb:117 transport-cc
            a=rtcp-fb:117 ccm fir
            a=rtcp-fb:117 nack
            a=rtcp-fb:117 nack pli
            a=fmtp:117 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f
            a=rtpmap:118 rtx/90000
            a=fmtp:118 apt=117
            a=rtpmap:39 H264/90000
            a=rtcp-fb:39 goog-remb
            a=rtcp-fb:39 transport-cc
            a=rtcp-fb:39 ccm fir
            a=rtcp-fb:39 nack
            a=rtcp-fb:39 nack pli
            a=fmtp:39 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f
            a=rtpmap:40 rtx/90000
            a=fmtp:40 apt=39
            a=rtpmap:45 AV1/90000
            a=rtcp-fb:45 goog-remb
            a=rtcp-fb:45 transport-cc
            a=rtcp-fb:45 ccm fir
            a=rtcp-fb:45 nack
            a=rtcp-fb:45 nack pli
            a=fmtp:45 level-idx=5;profile=0;tier=0
            a=rtpmap:46 rtx/90000
            a=fmtp:46 apt=45
            a=rtpmap:98 VP9/90000
            a=rtcp-fb:98 goog-remb
            a=rtcp-fb:98 transport-cc
            a=rtcp-fb:98 ccm fir
            a=rtcp-fb:98 nack
            a=rtcp-fb:98 nack pli
            a=fmtp:98 profile-id=0
            a=rtpmap:99 rtx/90000
            a=fmtp:99 apt=98
            a=rtpmap:100 VP9/90000
            a=rtcp-fb:100 goog-remb
            a=rtcp-fb:100 transport-cc
            a=rtcp-fb:100 ccm fir
            a=rtcp-fb:100 nack
            a=rtcp-fb:100 nack pli
            a=fmtp:100 profile-id=2
            a=rtpmap:101 rtx/90000
            a=fmtp:101 apt=100
            a=rtpmap:119 H264/90000
            a=rtcp-fb:119 goog-remb
            a=rtcp-fb:119 transport-cc
            a=rtcp-fb:119 ccm fir
            a=rtcp-fb:119 nack
            a=rtcp-fb:119 nack pli
            a=fmtp:119 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f
            a=rtpmap:120 rtx/90000
            a=fmtp:120 apt=119
            a=rtpmap:123 red/90000
            a=rtpmap:124 rtx/90000
            a=fmtp:124 apt=123
            a=rtpmap:125 ulpfec/90000
            """);
}
