package io.framewire.plugin.webrtc.sdp;

import io.framewire.api.Codec;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the offer's payload type for the codec we send.
 *
 * <p>Rules (ties always go to the offerer's order on the m-line, i.e. its preference):
 * <ul>
 * <li><b>H264</b>: only payload types with {@code packetization-mode=1} (we send FU-A/STAP-A) are
 *     considered. Each gets a score: +2 if its {@code profile-level-id} is constrained baseline
 *     (RFC 6184 table 5: {@code 42} with constraint_set1, {@code 4D} with constraint_set0, or
 *     {@code 58} with constraint_set0 and 1, e.g. {@code 42e01f}), +1 if
 *     {@code level-asymmetry-allowed=1}. A payload type needs a score of at least 1 (constrained
 *     baseline, or any profile with level asymmetry allowed); the highest score wins. Chrome's
 *     {@code 42e01f;level-asymmetry-allowed=1;packetization-mode=1} therefore beats its
 *     {@code 42001f} baseline and {@code 4d001f}/{@code 64001f} entries. The level is not compared:
 *     our encoder produces constrained baseline, which every such decoder accepts.</li>
 * <li><b>H265</b>: the first {@code H265} type with Main profile ({@code profile-id} 1 or absent), else
 *     the first {@code H265} type (higher profiles decode Main).</li>
 * <li><b>AV1</b>: the first {@code AV1} type with Main profile ({@code profile} 0 or absent), else the
 *     first {@code AV1} type.</li>
 * </ul>
 */
public final class CodecSelector {

    private CodecSelector() {
    }

    /**
     * @param section an offered m-section
     * @param codec   a codec with an RTP payload format (its name is the rtpmap encoding name)
     * @return the payload type to use, or empty if the section offers none acceptable
     */
    public static Optional<PayloadType> select(MediaDescription section, Codec codec) {
        requireRtp(codec);
        List<PayloadType> types = section.payloadTypes().stream().filter(p -> p.is(codec.name())).toList();
        return switch (codec) {
            case H264 -> types.stream()
                    .filter(p -> "1".equals(p.param("packetization-mode")) && h264Score(p) >= 1)
                    .max(Comparator.comparingInt(CodecSelector::h264Score)
                            .thenComparing(Comparator.comparingInt(types::indexOf).reversed()));
            case H265 -> types.stream().filter(p -> isOneOf(p.param("profile-id"), "1")).findFirst()
                    .or(() -> types.stream().findFirst());
            default -> types.stream().filter(p -> isOneOf(p.param("profile"), "0")).findFirst()
                    .or(() -> types.stream().findFirst());
        };
    }

    /**
     * Finds the RTX payload type (RFC 4588) that repairs a chosen payload type.
     *
     * @param section the offered m-section
     * @param chosen  the payload type we send with, from that section
     * @return the first {@code rtx} payload type of the section with {@code apt=<chosen>} and the same
     *         clock rate, or empty when the section offers none (types with an unreadable apt are skipped)
     */
    public static Optional<PayloadType> rtxFor(MediaDescription section, PayloadType chosen) {
        return section.payloadTypes().stream()
                .filter(p -> p.is("rtx") && p.number() != chosen.number()
                        && p.clockRate() == chosen.clockRate()
                        && Integer.toString(chosen.number()).equals(trimmed(p.param("apt"))))
                .findFirst();
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }

    /**
     * @param codec a codec
     * @return the codec
     * @throws IllegalArgumentException if WebRTC has no RTP payload format for it (or it is null)
     */
    public static Codec requireRtp(Codec codec) {
        if (codec == null || !codec.hasRtpPayloadFormat()) {
            throw new IllegalArgumentException("codec=" + codec + ": WebRTC carries H264, H265 or AV1");
        }
        return codec;
    }

    /**
     * @param profileLevelId the {@code profile-level-id} fmtp value (6 hex digits), or null
     * @return true if it denotes constrained baseline
     */
    public static boolean isConstrainedBaseline(String profileLevelId) {
        if (profileLevelId == null || profileLevelId.length() != 6) {
            return false; // absent means 420010: baseline, not constrained
        }
        int idc;
        int iop;
        try {
            idc = Integer.parseInt(profileLevelId.substring(0, 2), 16);
            iop = Integer.parseInt(profileLevelId.substring(2, 4), 16);
        } catch (NumberFormatException e) {
            return false;
        }
        return (idc == 0x42 && (iop & 0x40) != 0)
                || (idc == 0x4D && (iop & 0x80) != 0)
                || (idc == 0x58 && (iop & 0xC0) == 0xC0);
    }

    private static int h264Score(PayloadType p) {
        return (isConstrainedBaseline(p.param("profile-level-id")) ? 2 : 0)
                + ("1".equals(p.param("level-asymmetry-allowed")) ? 1 : 0);
    }

    private static boolean isOneOf(String value, String wanted) {
        return value == null || value.equals(wanted);
    }
}
