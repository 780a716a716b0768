package io.framewire.plugin.bitstream.file;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.VideoInput;
import io.framewire.plugin.bitstream.AccessUnit;
import io.framewire.plugin.bitstream.AnnexB;
import io.framewire.plugin.bitstream.Av1SequenceHeader;
import io.framewire.plugin.bitstream.Obus;
import io.framewire.plugin.bitstream.SequenceInfo;
import io.framewire.plugin.bitstream.Unit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pre-encoded file loaded whole and split into access units (temporal units for AV1), each
 * analysed once: Annex B H.264 ({@code .h264}, {@code .264}), Annex B H.265 ({@code .h265},
 * {@code .265}, {@code .hevc}), AV1 in IVF ({@code .ivf}) or as a low-overhead OBU stream
 * ({@code .obu}, as {@code ffmpeg -f obu} writes it). The units are read-only slices of the loaded
 * bytes: no copy per frame.
 *
 * @param path           the file
 * @param codec          its codec, from the extension
 * @param units          the access units in file order
 * @param keyframeIndexes the indexes in {@code units} of the key frames, ascending (0 is always one)
 * @param sequence       the first sequence's facts (coded size, profile)
 */
public record BitstreamFile(Path path, Codec codec, List<ByteBuffer> units, List<Integer> keyframeIndexes,
                            SequenceInfo sequence) {
    /** The largest file loaded: 256 MiB (it is held in memory). */
    public static final long MAX_FILE_BYTES = 256L << 20;
    /** The extensions understood, for messages. */
    public static final String EXTENSIONS = ".h264, .264 (H264); .h265, .265, .hevc (H265); .ivf, .obu (AV1)";

    /** Copies the lists so the record stays immutable. */
    public BitstreamFile {
        units = List.copyOf(units);
        keyframeIndexes = List.copyOf(keyframeIndexes);
    }

    /** @return how many access units are key frames */
    public int keyframes() {
        return keyframeIndexes.size();
    }

    /** @return the coded size, e.g. {@code 1920x1080} */
    public String size() {
        return sequence.width() + "x" + sequence.height();
    }

    /** @return the session input a file of this codec needs */
    public VideoInput videoInput() {
        return VideoInput.valueOf(codec.name());
    }

    /**
     * Loads and splits {@code path}.
     *
     * @throws InvalidFrameException {@code path} for an unknown extension, an empty or too large file,
     *                               {@code ivf.*} for a broken IVF container, {@code startCode},
     *                               {@code nal[i].*} or {@code obu[i].*} (counted from the file's start) when the
     *                               file cannot be split, {@code unit[i].*} for an access unit the parser refuses
     *                               (e.g. a truncated last one), {@code unit[0].keyframe} when the file does not
     *                               start with a key frame carrying its parameter sets, {@code unit[i].size} when
     *                               a later sequence has another coded size; every message names the file
     * @throws IOException when the file cannot be read
     */
    public static BitstreamFile load(Path path) throws IOException {
        Codec codec = codecOf(path);
        long size = Files.size(path);
        if (size == 0 || size > MAX_FILE_BYTES) {
            throw new InvalidFrameException("path", path + " (" + size + " bytes)", size == 0 ? "the file is empty"
                    : "files up to " + MAX_FILE_BYTES + " bytes (" + (MAX_FILE_BYTES >> 20)
                    + " MiB) are played (they are held in memory)");
        }
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(path)).asReadOnlyBuffer();
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            List<ByteBuffer> units = switch (codec) {
                case AV1 -> name.endsWith(".ivf") ? ivfFrames(all) : obuTemporalUnits(all);
                default -> annexBAccessUnits(all, codec);
            };
            return analyse(path, codec, units);
        } catch (InvalidFrameException e) {
            if (e.getMessage().contains(path.toString())) {
                throw e;
            }
            throw new InvalidFrameException(e.field(), e.value(), "in " + path + ": " + rule(e));
        }
    }

    /** @return the rule part of an {@link InvalidFrameException}'s message ("field=value: rule") */
    private static String rule(InvalidFrameException e) {
        String m = e.getMessage();
        String prefix = e.field() + "=" + e.value() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    /** @return the codec a file extension means */
    static Codec codecOf(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".h264") || name.endsWith(".264")) {
            return Codec.H264;
        }
        if (name.endsWith(".h265") || name.endsWith(".265") || name.endsWith(".hevc")) {
            return Codec.H265;
        }
        if (name.endsWith(".ivf") || name.endsWith(".obu")) {
            return Codec.AV1;
        }
        throw new InvalidFrameException("path", path, "unknown extension; one of " + EXTENSIONS);
    }

    private static BitstreamFile analyse(Path path, Codec codec, List<ByteBuffer> units) {
        Av1SequenceHeader av1 = null;
        SequenceInfo first = null;
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            AccessUnit a;
            try {
                a = AccessUnit.analyze(units.get(i), codec, av1);
            } catch (InvalidFrameException e) {
                throw new InvalidFrameException("unit[" + i + "]." + e.field(), e.value(), "in " + path + " (access unit "
                        + i + " of " + units.size() + (i == units.size() - 1 ? ", the last: truncated?" : "") + "): "
                        + rule(e));
            }
            if (i == 0 && !(a.keyframe() && a.parameterSets())) {
                throw new InvalidFrameException("unit[0].keyframe", a.unitNames(), path
                        + " must start with a key frame carrying its parameter sets");
            }
            if (a.av1Header() != null) {
                av1 = a.av1Header();
            }
            SequenceInfo s = a.sequence();
            if (first == null) {
                first = s;
            } else if (s != null && (s.width() != first.width() || s.height() != first.height())) {
                throw new InvalidFrameException("unit[" + i + "].size", s.width() + "x" + s.height(), "in " + path
                        + ": the coded size changes (it starts at " + first.width() + "x" + first.height()
                        + "); a file is played at one size");
            }
            if (a.keyframe()) {
                keys.add(i);
            }
        }
        return new BitstreamFile(path, codec, units, keys, first);
    }

    /** Splits at access-unit boundaries (H.264 7.4.1.2.3, H.265 7.4.2.4.4). */
    static List<ByteBuffer> annexBAccessUnits(ByteBuffer all, Codec codec) {
        List<Unit> nals = AnnexB.scan(all, codec);
        List<ByteBuffer> units = new ArrayList<>();
        int auStart = -1;
        boolean hasPicture = false;
        for (Unit u : nals) {
            boolean vcl = isVcl(codec, u.type());
            boolean startsAu = auStart < 0 || (hasPicture && (vcl ? firstSliceOfPicture(all, codec, u)
                    : precedesPicture(codec, u.type())));
            if (startsAu) {
                if (auStart >= 0) {
                    units.add(all.slice(auStart, u.start() - auStart));
                }
                auStart = u.start();
                hasPicture = false;
            }
            hasPicture |= vcl;
        }
        if (auStart >= 0) {
            units.add(all.slice(auStart, all.limit() - auStart));
        }
        return units;
    }

    private static boolean isVcl(Codec codec, int type) {
        return codec == Codec.H265 ? type < 32 : type >= 1 && type <= 5;
    }

    /**
     * H.264 {@code first_mb_in_slice == 0} (ue(v) '1'); H.265 {@code first_slice_segment_in_pic_flag}:
     * the first bit after the NAL unit header. H.264 data partitions B and C (types 3, 4) start with
     * {@code slice_id}, never a picture.
     */
    private static boolean firstSliceOfPicture(ByteBuffer all, Codec codec, Unit u) {
        if (codec == Codec.H264 && (u.type() == 3 || u.type() == 4)) {
            return false;
        }
        return u.payloadLength() > 0 && (all.get(u.payloadOffset()) & 0x80) != 0;
    }

    /** NAL units that may only come before the first slice of a picture: they open the next one. */
    private static boolean precedesPicture(Codec codec, int type) {
        if (codec == Codec.H265) {
            return (type >= 32 && type <= 35) || type == 39 || (type >= 41 && type <= 44) || (type >= 48 && type <= 55);
        }
        return (type >= 6 && type <= 9) || (type >= 14 && type <= 18);
    }

    /** IVF: a 32-byte file header ("DKIF", fourcc AV01), then per frame a 12-byte header and the frame. */
    static List<ByteBuffer> ivfFrames(ByteBuffer all) {
        ByteBuffer le = all.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (le.remaining() < 32 || le.getInt(0) != 0x46494b44) { // "DKIF" little-endian
            throw new InvalidFrameException("ivf.signature", le.remaining() < 4 ? "none" : String.format("0x%08x",
                    le.getInt(0)), "an IVF file starts with DKIF");
        }
        String fourcc = new String(new byte[]{le.get(8), le.get(9), le.get(10), le.get(11)},
                java.nio.charset.StandardCharsets.US_ASCII);
        if (!fourcc.equals("AV01")) {
            throw new InvalidFrameException("ivf.fourcc", fourcc, "must be AV01 (AV1)");
        }
        int headerLength = le.getShort(6) & 0xffff;
        List<ByteBuffer> frames = new ArrayList<>();
        int p = Math.max(32, headerLength);
        while (p < le.limit()) {
            if (le.limit() - p < 12) {
                throw new InvalidFrameException("ivf.frame[" + frames.size() + "].header", (le.limit() - p) + " bytes",
                        "truncated: a frame header is 12 bytes");
            }
            long size = Integer.toUnsignedLong(le.getInt(p));
            if (size == 0 || size > le.limit() - p - 12) {
                throw new InvalidFrameException("ivf.frame[" + frames.size() + "].size", size, "runs past the end of"
                        + " the file (" + (le.limit() - p - 12) + " bytes left)");
            }
            frames.add(all.slice(p + 12, (int) size));
            p += 12 + (int) size;
        }
        return frames;
    }

    /** A low-overhead OBU stream: a temporal unit begins at each temporal delimiter. */
    static List<ByteBuffer> obuTemporalUnits(ByteBuffer all) {
        List<Unit> obus = Obus.scan(all);
        List<ByteBuffer> units = new ArrayList<>();
        int start = -1;
        for (Unit u : obus) {
            if (u.type() == Obus.TEMPORAL_DELIMITER || start < 0) {
                if (start >= 0) {
                    units.add(all.slice(start, u.start() - start));
                }
                start = u.start();
            }
        }
        if (start >= 0) {
            units.add(all.slice(start, all.limit() - start));
        }
        return units;
    }
}
