package io.framewire.plugin.bitstream;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Annex B byte streams (H.264 / H.265): start codes ({@code 00 00 01}, or {@code 00 00 00 01} whose
 * first zero is a {@code zero_byte}), NAL unit boundaries, NAL unit types and emulation-prevention
 * removal for RBSP parsing.
 */
public final class AnnexB {
    /** H.264 {@code nal_unit_type}: coded slice of a non-IDR picture. */
    public static final int H264_NON_IDR = 1;
    /** H.264: coded slice of an IDR picture. */
    public static final int H264_IDR = 5;
    /** H.264: supplemental enhancement information. */
    public static final int H264_SEI = 6;
    /** H.264: sequence parameter set. */
    public static final int H264_SPS = 7;
    /** H.264: picture parameter set. */
    public static final int H264_PPS = 8;
    /** H.264: access unit delimiter. */
    public static final int H264_AUD = 9;

    /** H.265: first IRAP type (BLA_W_LP). IRAP pictures are 16..23. */
    public static final int H265_IRAP_FIRST = 16;
    /** H.265: last IRAP type (RSV_IRAP_VCL23). */
    public static final int H265_IRAP_LAST = 23;
    /** H.265: IDR_W_RADL. */
    public static final int H265_IDR_W_RADL = 19;
    /** H.265: IDR_N_LP. */
    public static final int H265_IDR_N_LP = 20;
    /** H.265: CRA_NUT. */
    public static final int H265_CRA = 21;
    /** H.265: video parameter set. */
    public static final int H265_VPS = 32;
    /** H.265: sequence parameter set. */
    public static final int H265_SPS = 33;
    /** H.265: picture parameter set. */
    public static final int H265_PPS = 34;
    /** H.265: access unit delimiter. */
    public static final int H265_AUD = 35;
    /** H.265: prefix SEI. */
    public static final int H265_SEI_PREFIX = 39;
    /** H.265: suffix SEI. */
    public static final int H265_SEI_SUFFIX = 40;

    private AnnexB() {
    }

    /** @return the NAL unit header length: 1 byte for H.264, 2 for H.265 */
    public static int headerLength(Codec codec) {
        return codec == Codec.H265 ? 2 : 1;
    }

    /**
     * Splits an Annex B buffer into its NAL units. Reads {@code buf} from position to limit with
     * absolute gets; neither its position nor its limit changes.
     *
     * @throws InvalidFrameException {@code startCode} when the buffer does not begin with a start code
     *                               (only zero bytes may precede the first one), {@code nal[i].size} when a
     *                               start code has no complete NAL unit header after it,
     *                               {@code nal[i].forbidden_zero_bit} when that bit is set
     */
    public static List<Unit> scan(ByteBuffer buf, Codec codec) {
        int from = buf.position();
        int to = buf.limit();
        int hdr = headerLength(codec);
        List<Unit> units = new ArrayList<>();
        int sc = findStartCode(buf, from, to);
        if (sc < 0) {
            throw new InvalidFrameException("startCode", "none in " + (to - from) + " bytes",
                    "an Annex B access unit must begin with 00 00 01 or 00 00 00 01");
        }
        for (int i = from; i < sc; i++) {
            if (buf.get(i) != 0) {
                throw new InvalidFrameException("startCode", "at byte " + (sc - from),
                        "an Annex B access unit must begin with a start code (found " + (sc - from)
                                + " other bytes before the first one)");
            }
        }
        while (sc >= 0) {
            int start = sc > from && buf.get(sc - 1) == 0 ? sc - 1 : sc; // 4-byte form
            int nal = sc + 3;
            int next = findStartCode(buf, nal, to);
            int end = next < 0 ? to : next;
            while (end > nal && buf.get(end - 1) == 0) {
                end--; // trailing_zero_8bits and the zero_byte of the next 4-byte start code
            }
            int n = units.size();
            if (end - nal < hdr) {
                throw new InvalidFrameException("nal[" + n + "].size", end - nal,
                        "truncated NAL unit: the start code at byte " + (start - from) + " is followed by "
                                + (end - nal) + " bytes, a NAL unit header alone is " + hdr);
            }
            int b0 = buf.get(nal) & 0xff;
            if ((b0 & 0x80) != 0) {
                throw new InvalidFrameException("nal[" + n + "].forbidden_zero_bit", 1,
                        "must be 0 (byte " + (nal - from) + " is 0x" + Integer.toHexString(b0) + ")");
            }
            int type = codec == Codec.H265 ? (b0 >> 1) & 0x3f : b0 & 0x1f;
            units.add(new Unit(type, start, nal, end - nal, nal + hdr));
            sc = next;
        }
        return units;
    }

    /** @return index of the next {@code 00 00 01} at or after {@code from} (before {@code to}), or -1 */
    static int findStartCode(ByteBuffer buf, int from, int to) {
        for (int i = from; i + 2 < to; i++) {
            if ((buf.get(i + 2) & 0xff) > 1) { // unsigned: half of all bytes are >= 0x80
                i += 2; // no start code can end at i+2 nor include it
                continue;
            }
            if (buf.get(i) == 0 && buf.get(i + 1) == 0 && buf.get(i + 2) == 1) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The RBSP of a NAL unit payload: a copy of {@code length} bytes at {@code offset} with every
     * emulation-prevention byte ({@code 03} in {@code 00 00 03}) removed.
     */
    public static byte[] unescape(ByteBuffer buf, int offset, int length) {
        byte[] out = new byte[length];
        int n = 0;
        int zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = buf.get(i);
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return n == length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** @return true for a parameter set: H.264 SPS/PPS, H.265 VPS/SPS/PPS */
    public static boolean isParameterSet(Codec codec, int type) {
        return codec == Codec.H265 ? type >= H265_VPS && type <= H265_PPS : type == H264_SPS || type == H264_PPS;
    }

    /** @return true for a random-access picture slice: H.264 IDR, H.265 IRAP (16..23, IDR and CRA included) */
    public static boolean isKeyframeSlice(Codec codec, int type) {
        return codec == Codec.H265 ? type >= H265_IRAP_FIRST && type <= H265_IRAP_LAST : type == H264_IDR;
    }

    /** @return true for an access unit delimiter */
    public static boolean isAud(Codec codec, int type) {
        return type == (codec == Codec.H265 ? H265_AUD : H264_AUD);
    }

    /** @return a short name of the NAL type, e.g. {@code "SPS"}, {@code "IDR_W_RADL"}, {@code "type 12"} */
    public static String typeName(Codec codec, int type) {
        if (codec == Codec.H265) {
            return switch (type) {
                case 0, 1 -> "TRAIL";
                case 19 -> "IDR_W_RADL";
                case 20 -> "IDR_N_LP";
                case 21 -> "CRA";
                case 16, 17, 18 -> "BLA";
                case 32 -> "VPS";
                case 33 -> "SPS";
                case 34 -> "PPS";
                case 35 -> "AUD";
                case 39 -> "SEI_PREFIX";
                case 40 -> "SEI_SUFFIX";
                default -> "type " + type;
            };
        }
        return switch (type) {
            case 1 -> "NON_IDR";
            case 5 -> "IDR";
            case 6 -> "SEI";
            case 7 -> "SPS";
            case 8 -> "PPS";
            case 9 -> "AUD";
            default -> "type " + type;
        };
    }
}
