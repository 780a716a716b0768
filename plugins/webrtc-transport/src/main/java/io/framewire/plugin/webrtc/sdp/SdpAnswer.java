package io.framewire.plugin.webrtc.sdp;

import io.framewire.api.Codec;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The answer of our ICE-lite, send-only video endpoint to a browser's offer, and what was negotiated.
 *
 * <p>{@link Builder#build()} accepts the first video m-section that wants to receive
 * ({@code recvonly}/{@code sendrecv}) over RTP/SAVP(F) and offers an acceptable payload type for our
 * codec (see {@link CodecSelector}); every other m-section (audio, application, further video) is
 * rejected with port 0. The answer carries {@code a=ice-lite}, a BUNDLE group holding the accepted
 * mid, and for the accepted section: our ICE credentials and sha-256 fingerprint,
 * {@code a=setup:passive} (we are the DTLS server), {@code a=sendonly}, {@code a=rtcp-mux},
 * {@code a=rtcp-rsize} if offered, the offered header extensions we write (playout-delay and
 * transport-wide sequence numbers, each under the offer's id when that id is in the one-byte range
 * 1..14), the chosen payload type's rtpmap, the offered rtcp-fb values we implement
 * ({@code goog-remb}, {@code transport-cc} (only together with its header extension), {@code ccm fir},
 * {@code nack}, {@code nack pli}; not RED or FEC), its fmtp as offered, the RTX payload type repairing
 * it (rtpmap and {@code apt} fmtp, when offered and an RTX SSRC was given), msid, the
 * {@code a=ssrc-group:FID} of media and RTX SSRC when RTX is negotiated, {@code a=ssrc} cname/msid
 * lines for each SSRC, our host candidates and {@code a=end-of-candidates}. Lines end with CRLF.
 *
 * <p>What the sender must then do: put the playout-delay element into each packet when
 * {@link #playoutDelayId()} is not 0; give each packet (retransmissions included) the next
 * transport-wide sequence number in a {@link #transportCcId()} element when that is not 0; send
 * retransmissions as RTX packets ({@link #rtxPayloadType()}, {@link #rtxSsrc()}) when RTX is
 * negotiated, otherwise on the media SSRC as before.
 *
 * @param sdp          the answer text
 * @param mid          the accepted m-section's mid (null if the offer had none)
 * @param payloadType  the payload type to send with
 * @param rtcpFeedback the rtcp-fb values negotiated for it
 * @param rtcpRsize    true if reduced-size RTCP was negotiated
 * @param playoutDelayId the one-byte header extension id of {@value #PLAYOUT_DELAY_URI}, or 0 when
 *                       the offer did not have it
 * @param transportCcId  the one-byte header extension id of {@value #TRANSPORT_CC_URI} (the
 *                       offer's id, 1..14), or 0 when the offer did not have it (or only with an id
 *                       above 14)
 * @param transportCcFeedback true when {@code a=rtcp-fb:<pt> transport-cc} was offered for the chosen
 *                       payload type and is in the answer; only ever true together with a
 *                       {@code transportCcId} (feedback without the extension could not work)
 * @param rtxPayloadType the RTX payload type whose {@code apt} is the chosen payload type, or -1
 *                       when RTX is not negotiated (the offer has none, or no RTX SSRC was given)
 * @param rtxSsrc        the RTX SSRC (unsigned 32-bit) announced in {@code a=ssrc-group:FID}, or -1
 *                       when RTX is not negotiated
 */
public record SdpAnswer(String sdp, String mid, PayloadType payloadType, List<String> rtcpFeedback,
                        boolean rtcpRsize, int playoutDelayId, int transportCcId, boolean transportCcFeedback,
                        int rtxPayloadType, long rtxSsrc) {

    /**
     * The playout-delay header extension: the sender tells the receiver how long it may buffer
     * frames before showing them. Interactive streaming asks for none.
     */
    public static final String PLAYOUT_DELAY_URI = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";

    /**
     * The transport-wide sequence number header extension: a 16-bit counter over all packets the
     * sender sends on the transport, which the receiver reports back in transport-cc feedback
     * (RTCP RTPFB 15) with each packet's arrival time.
     */
    public static final String TRANSPORT_CC_URI =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    /** The rtcp-fb value asking the receiver for transport-wide congestion control feedback. */
    public static final String TRANSPORT_CC_FEEDBACK = "transport-cc";

    /** The rtcp-fb values we always implement (transport-cc comes with its header extension only). */
    public static final Set<String> SUPPORTED_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "goog-remb");

    /** @return true when transport-wide congestion control is negotiated: extension and feedback */
    public boolean transportCc() {
        return transportCcId > 0 && transportCcFeedback;
    }

    /** @return true when RTX (RFC 4588) is negotiated: {@link #rtxPayloadType()} and {@link #rtxSsrc()} are set */
    public boolean rtx() {
        return rtxPayloadType >= 0;
    }

    /** ICE priority of our first host candidate (type preference 126, local preference 65535, component 1). */
    public static final long HOST_PRIORITY = 2130706431L;

    private static final String CRLF = "\r\n";

    /**
     * One of our host candidates.
     *
     * @param ip   IPv4 or IPv6 address literal
     * @param port UDP port
     */
    public record HostCandidate(String ip, int port) {
        /**
         * @param ip   IPv4 or IPv6 address literal
         * @param port UDP port, 1..65535
         */
        public HostCandidate {
            Objects.requireNonNull(ip, "ip");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("candidate port must be 1..65535, got " + port);
            }
        }

        String addressType() {
            return ip.contains(":") ? "IP6" : "IP4";
        }
    }

    /**
     * @param offer the parsed offer
     * @return a builder for the answer
     */
    public static Builder builder(SessionDescription offer) {
        return new Builder(offer);
    }

    /** Collects our parameters; {@link #build()} writes the answer. */
    public static final class Builder {
        private final SessionDescription offer;
        private Codec codec;
        private String iceUfrag;
        private String icePwd;
        private Fingerprint fingerprint;
        private final List<HostCandidate> candidates = new ArrayList<>();
        private long ssrc = -1;
        private long rtxSsrc = -1;
        private boolean transportCc = true;
        private String cname;
        private String streamId;
        private String trackId;
        private long sessionId = new SecureRandom().nextLong() & Long.MAX_VALUE;

        private Builder(SessionDescription offer) {
            this.offer = Objects.requireNonNull(offer, "offer");
        }

        /**
         * @param codec H264, H265 or AV1
         * @return this
         */
        public Builder codec(Codec codec) {
            this.codec = CodecSelector.requireRtp(codec);
            return this;
        }

        /**
         * @param ufrag our ICE username fragment (4..256 characters)
         * @param pwd   our ICE password (22..256 characters)
         * @return this
         */
        public Builder ice(String ufrag, String pwd) {
            if (ufrag == null || ufrag.length() < 4 || ufrag.length() > 256) {
                throw new IllegalArgumentException("ICE ufrag must have 4..256 characters");
            }
            if (pwd == null || pwd.length() < 22 || pwd.length() > 256) {
                throw new IllegalArgumentException("ICE password must have 22..256 characters");
            }
            this.iceUfrag = ufrag;
            this.icePwd = pwd;
            return this;
        }

        /**
         * @param sha256Hex our certificate's SHA-256 digest in hex, colons optional
         * @return this
         */
        public Builder fingerprint(String sha256Hex) {
            Fingerprint f = new Fingerprint("sha-256", sha256Hex);
            if (f.bytes().length != 32) {
                throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes, got " + f.bytes().length);
            }
            this.fingerprint = f;
            return this;
        }

        /**
         * @param ip address literal
         * @param port UDP port
         * @return this
         */
        public Builder candidate(String ip, int port) {
            candidates.add(new HostCandidate(ip, port));
            return this;
        }

        /**
         * @param ssrc our video SSRC (unsigned 32-bit)
         * @return this
         */
        public Builder ssrc(long ssrc) {
            if (ssrc < 0 || ssrc > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("SSRC must be 0..2^32-1, got " + ssrc);
            }
            this.ssrc = ssrc;
            return this;
        }

        /**
         * Enables RTX (RFC 4588): when the accepted section offers an {@code rtx} payload type whose
         * {@code apt} is the chosen payload type, the answer carries it and announces this SSRC in
         * {@code a=ssrc-group:FID <ssrc> <rtxSsrc>}. Without this call RTX is not negotiated.
         *
         * @param rtxSsrc our RTX SSRC (unsigned 32-bit), different from {@link #ssrc}
         * @return this
         */
        public Builder rtxSsrc(long rtxSsrc) {
            if (rtxSsrc < 0 || rtxSsrc > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("RTX SSRC must be 0..2^32-1, got " + rtxSsrc);
            }
            this.rtxSsrc = rtxSsrc;
            return this;
        }

        /**
         * Whether to accept the transport-wide sequence number extension and {@code transport-cc}
         * feedback when offered (default true). Without them the browser sends no transport-wide
         * feedback: for a sender that does not run congestion control.
         *
         * @param accept false to leave both out of the answer
         * @return this
         */
        public Builder transportCc(boolean accept) {
            this.transportCc = accept;
            return this;
        }

        /**
         * @param cname our RTCP CNAME
         * @return this
         */
        public Builder cname(String cname) {
            this.cname = cname;
            return this;
        }

        /**
         * @param streamId the MediaStream id the browser sees
         * @param trackId  the track id
         * @return this
         */
        public Builder msid(String streamId, String trackId) {
            this.streamId = streamId;
            this.trackId = trackId;
            return this;
        }

        /**
         * @param sessionId the o= session id (random by default)
         * @return this
         */
        public Builder sessionId(long sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /**
         * @return the answer
         * @throws IllegalStateException if a parameter is missing
         * @throws SdpException if the offer has no acceptable video section or codec
         */
        public SdpAnswer build() {
            require(codec, "codec");
            require(iceUfrag, "ICE credentials");
            require(fingerprint, "fingerprint");
            require(cname, "cname");
            require(streamId, "msid");
            if (ssrc < 0) {
                throw new IllegalStateException("SdpAnswer: ssrc not set");
            }
            if (candidates.isEmpty()) {
                throw new IllegalStateException("SdpAnswer: no host candidate");
            }
            if (rtxSsrc == ssrc) {
                throw new IllegalStateException("SdpAnswer: RTX SSRC " + rtxSsrc + " equals the media SSRC");
            }

            MediaDescription accepted = null;
            int playoutDelayId = 0;
            int transportCcId = 0;
            boolean transportCcFeedback = false;
            PayloadType chosen = null;
            PayloadType rtx = null;
            for (MediaDescription m : offer.media()) {
                if (m.media().equals("video") && m.port() != 0 && m.direction().receives() && m.isSecureRtp()) {
                    var pt = CodecSelector.select(m, codec);
                    if (pt.isPresent()) {
                        accepted = m;
                        chosen = pt.get();
                        break;
                    }
                }
            }
            if (accepted == null) {
                throw new SdpException(noCodecMessage());
            }
            if (accepted.setup() == Setup.PASSIVE) {
                throw new SdpException("offer wants to be the DTLS server (a=setup:passive); we can only be passive too");
            }
            if (rtxSsrc >= 0) {
                rtx = CodecSelector.rtxFor(accepted, chosen).orElse(null);
            }

            StringBuilder s = new StringBuilder();
            line(s, "v=0");
            line(s, "o=- " + sessionId + " 2 IN IP4 127.0.0.1");
            line(s, "s=-");
            line(s, "t=0 0");
            line(s, "a=ice-lite");
            if (accepted.mid() != null) {
                line(s, "a=group:BUNDLE " + accepted.mid());
            }
            List<String> feedback = new ArrayList<>();
            for (MediaDescription m : offer.media()) {
                if (m != accepted) {
                    rejected(s, m);
                    continue;
                }
                HostCandidate first = candidates.get(0);
                int pt = chosen.number();
                line(s, "m=video " + first.port() + " " + m.protocol() + " " + pt
                        + (rtx != null ? " " + rtx.number() : ""));
                line(s, "c=IN " + first.addressType() + " " + first.ip());
                if (m.mid() != null) {
                    line(s, "a=mid:" + m.mid());
                }
                line(s, "a=ice-ufrag:" + iceUfrag);
                line(s, "a=ice-pwd:" + icePwd);
                line(s, "a=fingerprint:" + fingerprint);
                line(s, "a=setup:passive");
                line(s, "a=sendonly");
                line(s, "a=rtcp-mux");
                if (m.rtcpRsize()) {
                    line(s, "a=rtcp-rsize");
                }
                for (Extmap e : m.extmaps()) {
                    if (!sendable(e)) {
                        continue;
                    }
                    if (PLAYOUT_DELAY_URI.equals(e.uri()) && playoutDelayId == 0 && e.id() != transportCcId) {
                        playoutDelayId = e.id();
                        line(s, "a=extmap:" + e.id() + " " + PLAYOUT_DELAY_URI);
                    } else if (transportCc && TRANSPORT_CC_URI.equals(e.uri()) && transportCcId == 0
                            && e.id() != playoutDelayId) {
                        transportCcId = e.id();
                        line(s, "a=extmap:" + e.id() + " " + TRANSPORT_CC_URI);
                    }
                }
                line(s, "a=rtpmap:" + pt + " " + chosen.codec() + "/" + chosen.clockRate());
                for (String fb : chosen.rtcpFb()) {
                    boolean supported = SUPPORTED_FEEDBACK.contains(fb)
                            || (TRANSPORT_CC_FEEDBACK.equals(fb) && transportCcId > 0);
                    if (supported && !feedback.contains(fb)) {
                        feedback.add(fb);
                        line(s, "a=rtcp-fb:" + pt + " " + fb);
                    }
                }
                transportCcFeedback = feedback.contains(TRANSPORT_CC_FEEDBACK);
                if (chosen.fmtp() != null) {
                    line(s, "a=fmtp:" + pt + " " + chosen.fmtp());
                }
                if (rtx != null) {
                    line(s, "a=rtpmap:" + rtx.number() + " " + rtx.codec() + "/" + rtx.clockRate());
                    line(s, "a=fmtp:" + rtx.number() + " apt=" + pt);
                }
                String msid = streamId + " " + (trackId != null ? trackId : streamId + "-video");
                line(s, "a=msid:" + msid);
                if (rtx != null) {
                    line(s, "a=ssrc-group:FID " + ssrc + " " + rtxSsrc);
                }
                line(s, "a=ssrc:" + ssrc + " cname:" + cname);
                line(s, "a=ssrc:" + ssrc + " msid:" + msid);
                if (rtx != null) {
                    line(s, "a=ssrc:" + rtxSsrc + " cname:" + cname);
                    line(s, "a=ssrc:" + rtxSsrc + " msid:" + msid);
                }
                for (int i = 0; i < candidates.size(); i++) {
                    HostCandidate c = candidates.get(i);
                    line(s, "a=candidate:" + (i + 1) + " 1 udp " + (HOST_PRIORITY - i) + " " + c.ip() + " "
                            + c.port() + " typ host");
                }
                line(s, "a=end-of-candidates");
            }
            return new SdpAnswer(s.toString(), accepted.mid(), chosen, List.copyOf(feedback), accepted.rtcpRsize(),
                    playoutDelayId, transportCcId, transportCcFeedback, rtx != null ? rtx.number() : -1,
                    rtx != null ? rtxSsrc : -1);
        }

        /**
         * An offered extension we may send: its id fits the one-byte form and the offerer may
         * receive it (no direction, or {@code recvonly}/{@code sendrecv} as the offerer sees it).
         */
        private static boolean sendable(Extmap e) {
            return e.id() >= 1 && e.id() <= 14
                    && (e.direction() == null || e.direction().equals("recvonly") || e.direction().equals("sendrecv"));
        }

        private static void rejected(StringBuilder s, MediaDescription m) {
            line(s, "m=" + m.media() + " 0 " + m.protocol() + " " + m.formats().get(0));
            line(s, "c=IN IP4 0.0.0.0");
            if (m.mid() != null) {
                line(s, "a=mid:" + m.mid());
            }
            if (!m.payloadTypes().isEmpty()) {
                line(s, "a=inactive");
            }
        }

        private String noCodecMessage() {
            List<MediaDescription> video = offer.media().stream().filter(m -> m.media().equals("video")).toList();
            if (video.isEmpty()) {
                return "offer has no video m-section (it has: " + offer.media().stream()
                        .map(m -> m.media() + " mid " + m.mid()).collect(Collectors.joining(", ")) + ")";
            }
            return "offer has no acceptable " + codec + " payload type in a receiving video m-section"
                    + (codec == Codec.H264 ? " (need packetization-mode=1 with constrained baseline"
                    + " profile-level-id or level-asymmetry-allowed=1)" : "") + "; offered: "
                    + video.stream().map(m -> "mid " + m.mid() + " (" + m.direction().attribute()
                            + (m.port() == 0 ? ", port 0" : "") + ") " + m.payloadTypes())
                    .collect(Collectors.joining("; "));
        }

        private static void require(Object value, String what) {
            if (value == null) {
                throw new IllegalStateException("SdpAnswer: " + what + " not set");
            }
        }

        private static void line(StringBuilder s, String line) {
            s.append(line).append(CRLF);
        }
    }
}
