package io.framewire.plugin.bitstream;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * The per-session memory of a bitstream: the latest parameter sets (H.264 SPS/PPS, H.265
 * VPS/SPS/PPS, AV1 sequence header) and the last keyframe access unit, so a late joiner (or a
 * receiver that lost packets and asked for a keyframe) can be given a decodable start.
 *
 * <p>Every access unit goes through {@link #accept(ByteBuffer)}, which analyses it and refuses a
 * sequence whose coded size is not the session's. Refused units change nothing. Not thread-safe: one
 * producer thread calls {@code accept}; callers synchronise if another thread reads.
 */
public final class ParameterSetCache {
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private final Codec codec;
    private final int width;
    private final int height;
    /** Latest parameter-set unit bytes per type, in type order (VPS, SPS, PPS). Annex B: NAL without start code; AV1: whole OBU. */
    private final Map<Integer, byte[]> params = new TreeMap<>();
    private SequenceInfo sequence;
    private Av1SequenceHeader av1Header;
    private byte[] keyframe;
    private List<Unit> keyframeUnits;
    private Map<Integer, byte[]> keyframeParams;

    /**
     * @param codec  the session's codec (H264, H265 or AV1)
     * @param width  the session's picture width
     * @param height the session's picture height
     */
    public ParameterSetCache(Codec codec, int width, int height) {
        if (codec == null || !codec.hasRtpPayloadFormat()) {
            throw new InvalidFrameException("codec", codec, "a bitstream must be H264, H265 or AV1");
        }
        this.codec = codec;
        this.width = width;
        this.height = height;
    }

    /**
     * Analyses an access unit and remembers its parameter sets and, when it is a keyframe, the unit
     * itself (copied). {@code au}'s position and limit are not changed.
     *
     * @return the analysis
     * @throws InvalidFrameException whatever {@link AccessUnit#analyze} refuses, and {@code width} or
     *                               {@code height} when its SPS / sequence header codes another size than
     *                               the session's (the message has both sizes)
     */
    public AccessUnit accept(ByteBuffer au) {
        AccessUnit a = AccessUnit.analyze(au, codec, av1Header);
        checkSize(a, width, height);
        remember(au, a);
        return a;
    }

    /**
     * @throws InvalidFrameException {@code width} or {@code height} when {@code a}'s SPS / sequence
     *                               header codes another size than {@code width x height} (the message
     *                               has both sizes)
     */
    public static void checkSize(AccessUnit a, int width, int height) {
        SequenceInfo s = a.sequence();
        if (s != null && (s.width() != width || s.height() != height)) {
            boolean w = s.width() != width;
            throw new InvalidFrameException(w ? "width" : "height", w ? s.width() : s.height(),
                    "the stream's " + (a.codec() == Codec.AV1 ? "sequence header" : "SPS") + " codes " + s.width() + "x"
                            + s.height() + ", the session is " + width + "x" + height);
        }
    }

    /**
     * Remembers the parameter sets and, for a keyframe, the unit of an access unit analysed (and
     * size-checked) already: {@code a} must be {@code au}'s analysis, with the same positions.
     */
    public void remember(ByteBuffer au, AccessUnit a) {
        SequenceInfo s = a.sequence();
        if (s != null) {
            sequence = s;
        }
        if (a.av1Header() != null) {
            av1Header = a.av1Header();
        }
        for (Unit u : a.units()) {
            if (isParameterSet(u.type())) {
                params.put(u.type(), bytes(au, u.offset(), u.end()));
            }
        }
        if (a.keyframe()) {
            int base = au.position();
            keyframe = bytes(au, base, au.limit());
            List<Unit> rel = new ArrayList<>();
            for (Unit u : a.units()) {
                rel.add(new Unit(u.type(), u.start() - base, u.offset() - base, u.length(), u.payloadOffset() - base));
            }
            keyframeUnits = rel;
            keyframeParams = new TreeMap<>(params);
        }
    }

    private boolean isParameterSet(int type) {
        return codec == Codec.AV1 ? type == Obus.SEQUENCE_HEADER : AnnexB.isParameterSet(codec, type);
    }

    private static byte[] bytes(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.get(from, out);
        return out;
    }

    /** @return the session's codec */
    public Codec codec() {
        return codec;
    }

    /** @return the latest sequence facts, or null before the first SPS / sequence header */
    public SequenceInfo sequence() {
        return sequence;
    }

    /** @return true when all parameter sets of the codec have been seen */
    public boolean hasParameterSets() {
        return complete(params);
    }

    /** @return true once a keyframe was accepted */
    public boolean hasKeyframe() {
        return keyframe != null;
    }

    /** @return the latest bytes of a parameter-set type (NAL unit without start code / whole OBU), or null */
    public byte[] parameterSet(int type) {
        byte[] b = params.get(type);
        return b == null ? null : b.clone();
    }

    private boolean complete(Map<Integer, byte[]> p) {
        return switch (codec) {
            case H264 -> p.containsKey(AnnexB.H264_SPS) && p.containsKey(AnnexB.H264_PPS);
            case H265 -> p.containsKey(AnnexB.H265_VPS) && p.containsKey(AnnexB.H265_SPS)
                    && p.containsKey(AnnexB.H265_PPS);
            default -> p.containsKey(Obus.SEQUENCE_HEADER);
        };
    }

    /**
     * A decodable start for a late joiner: the last keyframe access unit with the parameter sets that
     * were in force when it arrived put in front of its first picture data (after a leading access unit
     * delimiter / temporal delimiter), unless the keyframe unit already carries them.
     *
     * @return a new heap buffer, or null when no keyframe has been accepted yet or the parameter sets
     *         were not all known when it came
     */
    public ByteBuffer decodableStart() {
        if (keyframe == null || !complete(keyframeParams)) {
            return null;
        }
        int insertAt = keyframe.length;
        for (Unit u : keyframeUnits) {
            boolean delimiter = codec == Codec.AV1 ? u.type() == Obus.TEMPORAL_DELIMITER : AnnexB.isAud(codec, u.type());
            if (!delimiter) {
                insertAt = u.start();
                break;
            }
        }
        if (insertAt == keyframe.length && !keyframeUnits.isEmpty()) {
            insertAt = keyframeUnits.get(0).start();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(keyframe.length + 256);
        out.write(keyframe, 0, insertAt);
        for (Map.Entry<Integer, byte[]> e : keyframeParams.entrySet()) {
            if (containsType(e.getKey())) {
                continue;
            }
            if (codec != Codec.AV1) {
                out.write(START_CODE, 0, START_CODE.length);
            }
            out.write(e.getValue(), 0, e.getValue().length);
        }
        out.write(keyframe, insertAt, keyframe.length - insertAt);
        return ByteBuffer.wrap(out.toByteArray());
    }

    private boolean containsType(int type) {
        for (Unit u : keyframeUnits) {
            if (u.type() == type) {
                return true;
            }
        }
        return false;
    }
}
