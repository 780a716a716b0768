package io.framewire.plugin.bitstream;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What one access unit (H.264/H.265, Annex B) or temporal unit (AV1, low-overhead OBUs) contains.
 * Made by {@link #analyze(ByteBuffer, Codec)}, which refuses bad input with an
 * {@link InvalidFrameException} naming the field and the value.
 *
 * @param codec         the codec it was parsed as
 * @param size          bytes analysed (buffer position to limit)
 * @param units         the NAL units / OBUs in buffer order; positions are absolute buffer indices
 * @param parameterSets true when it carries everything needed to start decoding it: H.264 SPS and
 *                      PPS, H.265 VPS, SPS and PPS, AV1 a sequence header
 * @param keyframe      true when it holds a random-access picture: H.264 IDR slice, H.265 IRAP slice
 *                      (types 16..23: IDR, CRA, BLA), AV1 a frame with {@code frame_type == KEY_FRAME}
 *                      and {@code show_existing_frame == 0}
 * @param sequence      what its SPS / sequence header says, or null when it has none
 * @param av1Header     AV1 only: its parsed sequence header, or null
 */
public record AccessUnit(Codec codec, int size, List<Unit> units, boolean parameterSets, boolean keyframe,
                         SequenceInfo sequence, Av1SequenceHeader av1Header) {

    /**
     * The largest access unit accepted: 16 MiB. A 4K intra picture at a very high quality is a few
     * MiB; anything larger is treated as a broken producer, not a picture.
     */
    public static final int MAX_BYTES = 16 << 20;

    /** Copies the unit list so the record stays immutable. */
    public AccessUnit {
        units = List.copyOf(units);
    }

    /** @return true when a unit of this NAL / OBU type is present */
    public boolean contains(int type) {
        for (Unit u : units) {
            if (u.type() == type) {
                return true;
            }
        }
        return false;
    }

    /** @return the unit types as names, e.g. {@code [SPS, PPS, IDR]}, for logs and errors */
    public List<String> unitNames() {
        return units.stream().map(u -> codec == Codec.AV1 ? Obus.typeName(u.type())
                : AnnexB.typeName(codec, u.type())).toList();
    }

    /**
     * Guesses the codec of an access unit from its first bytes, to name it when it was streamed into
     * a session of another codec: an AV1 temporal unit starts with a temporal delimiter OBU
     * ({@code 12 00}); Annex B with a start code, after which an H.265 NAL header has
     * {@code nuh_temporal_id_plus1 == 1} in its second byte (no H.264 NAL unit a real encoder writes
     * first has a second byte of {@code 01}).
     *
     * @return the codec, or null when the bytes look like none of them
     */
    public static Codec sniff(ByteBuffer buf) {
        int p = buf.position();
        int n = buf.remaining();
        if (n >= 2 && buf.get(p) == 0x12 && buf.get(p + 1) == 0) {
            return Codec.AV1;
        }
        int header;
        if (n >= 5 && buf.get(p) == 0 && buf.get(p + 1) == 0 && buf.get(p + 2) == 1) {
            header = p + 3;
        } else if (n >= 6 && buf.get(p) == 0 && buf.get(p + 1) == 0 && buf.get(p + 2) == 0 && buf.get(p + 3) == 1) {
            header = p + 4;
        } else {
            return null;
        }
        int b0 = buf.get(header) & 0xFF;
        int b1 = buf.get(header + 1) & 0xFF;
        return (b0 & 0x81) == 0 && b1 == 0x01 ? Codec.H265 : Codec.H264;
    }

    /** {@link #analyze(ByteBuffer, Codec, Av1SequenceHeader)} without a previous AV1 sequence header. */
    public static AccessUnit analyze(ByteBuffer buf, Codec codec) {
        return analyze(buf, codec, null);
    }

    /**
     * Parses the bytes from {@code buf}'s position to its limit; the buffer's position and limit are
     * not changed.
     *
     * @param previousAv1Header AV1: the sequence header in force (its {@code reduced_still_picture_header}
     *                          decides how frame headers are read) when the unit carries none; may be null
     * @throws InvalidFrameException {@code codec} when not H264/H265/AV1, {@code size} when zero or over
     *                               {@link #MAX_BYTES}, and the scanner's and parsers' errors:
     *                               {@code startCode}, {@code nal[i].size}, {@code sps},
     *                               {@code obu[i].obu_type}, {@code obu[i].obu_size}, {@code sequence_header}, ...
     */
    public static AccessUnit analyze(ByteBuffer buf, Codec codec, Av1SequenceHeader previousAv1Header) {
        if (codec == null || !codec.hasRtpPayloadFormat()) {
            throw new InvalidFrameException("codec", codec, "a bitstream must be H264, H265 or AV1");
        }
        if (buf == null) {
            throw new InvalidFrameException("buffer", null, "must not be null");
        }
        int size = buf.remaining();
        if (size == 0) {
            throw new InvalidFrameException("size", 0, "an access unit must not be empty");
        }
        if (size > MAX_BYTES) {
            throw new InvalidFrameException("size", size, "must be at most " + MAX_BYTES + " bytes ("
                    + (MAX_BYTES >> 20) + " MiB) per access unit");
        }
        return codec == Codec.AV1 ? analyzeAv1(buf, size, previousAv1Header) : analyzeAnnexB(buf, codec, size);
    }

    private static AccessUnit analyzeAnnexB(ByteBuffer buf, Codec codec, int size) {
        List<Unit> units = AnnexB.scan(buf, codec);
        boolean vps = false, sps = false, pps = false, key = false;
        SequenceInfo info = null;
        int spsType = codec == Codec.H265 ? AnnexB.H265_SPS : AnnexB.H264_SPS;
        for (Unit u : units) {
            int t = u.type();
            if (t == spsType) {
                sps = true;
                if (info == null) {
                    byte[] rbsp = AnnexB.unescape(buf, u.payloadOffset(), u.payloadLength());
                    info = codec == Codec.H265 ? H265Sps.parse(rbsp) : H264Sps.parse(rbsp);
                }
            } else if (codec == Codec.H265 ? t == AnnexB.H265_PPS : t == AnnexB.H264_PPS) {
                pps = true;
            } else if (codec == Codec.H265 && t == AnnexB.H265_VPS) {
                vps = true;
            } else if (AnnexB.isKeyframeSlice(codec, t)) {
                key = true;
            }
        }
        boolean params = sps && pps && (vps || codec != Codec.H265);
        return new AccessUnit(codec, size, units, params, key, info, null);
    }

    private static AccessUnit analyzeAv1(ByteBuffer buf, int size, Av1SequenceHeader previous) {
        List<Unit> units = Obus.scan(buf);
        Av1SequenceHeader header = null;
        boolean key = false;
        for (Unit u : units) {
            if (u.type() == Obus.SEQUENCE_HEADER && header == null) {
                byte[] payload = new byte[u.payloadLength()];
                buf.get(u.payloadOffset(), payload);
                header = Av1SequenceHeader.parse(payload, 0, payload.length);
            } else if (u.type() == Obus.FRAME || u.type() == Obus.FRAME_HEADER) {
                Av1SequenceHeader inForce = header != null ? header : previous;
                key |= Obus.isKeyFrameHeader(buf, u, inForce != null && inForce.reducedStillPictureHeader());
            }
        }
        return new AccessUnit(Codec.AV1, size, units, header != null, key, header == null ? null : header.info(),
                header);
    }
}
