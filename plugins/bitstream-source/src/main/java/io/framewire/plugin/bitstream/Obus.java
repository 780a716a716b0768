package io.framewire.plugin.bitstream;

import io.framewire.api.InvalidFrameException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * AV1 low-overhead bitstream format (AV1 spec 5.2/5.3): a sequence of OBUs, each an
 * {@code obu_header} (type, extension flag, has-size flag), an optional extension byte and a leb128
 * {@code obu_size}.
 */
public final class Obus {
    /** OBU_SEQUENCE_HEADER. */
    public static final int SEQUENCE_HEADER = 1;
    /** OBU_TEMPORAL_DELIMITER. */
    public static final int TEMPORAL_DELIMITER = 2;
    /** OBU_FRAME_HEADER. */
    public static final int FRAME_HEADER = 3;
    /** OBU_TILE_GROUP. */
    public static final int TILE_GROUP = 4;
    /** OBU_METADATA. */
    public static final int METADATA = 5;
    /** OBU_FRAME (frame header + tile group). */
    public static final int FRAME = 6;
    /** OBU_REDUNDANT_FRAME_HEADER. */
    public static final int REDUNDANT_FRAME_HEADER = 7;
    /** OBU_TILE_LIST. */
    public static final int TILE_LIST = 8;
    /** OBU_PADDING. */
    public static final int PADDING = 15;

    private Obus() {
    }

    /**
     * Splits a temporal unit into OBUs. Reads {@code buf} from position to limit with absolute gets.
     * An OBU without {@code obu_has_size_field} extends to the end of the buffer.
     *
     * @throws InvalidFrameException {@code obu[i].obu_type} for a reserved type (0, 9..14),
     *                               {@code obu[i].obu_size} when the size runs past the buffer,
     *                               {@code obu[i].header} when the header is cut short,
     *                               {@code obu[i].obu_forbidden_bit} when set
     */
    public static List<Unit> scan(ByteBuffer buf) {
        int from = buf.position();
        int to = buf.limit();
        List<Unit> units = new ArrayList<>();
        int p = from;
        while (p < to) {
            int n = units.size();
            int start = p;
            int h = buf.get(p++) & 0xff;
            if ((h & 0x80) != 0) {
                throw new InvalidFrameException("obu[" + n + "].obu_forbidden_bit", 1,
                        "must be 0 (byte " + (start - from) + " is 0x" + Integer.toHexString(h) + ")");
            }
            int type = (h >> 3) & 0xf;
            boolean ext = (h & 0x4) != 0;
            boolean hasSize = (h & 0x2) != 0;
            if (!known(type)) {
                throw new InvalidFrameException("obu[" + n + "].obu_type", type,
                        "reserved/unknown OBU type (byte " + (start - from) + "); known: 1..8 and 15");
            }
            if (ext) {
                if (p >= to) {
                    throw new InvalidFrameException("obu[" + n + "].header", to - start + " bytes",
                            "truncated: the extension byte is missing");
                }
                p++;
            }
            long size;
            if (hasSize) {
                size = 0;
                int i = 0;
                while (true) {
                    if (p >= to) {
                        throw new InvalidFrameException("obu[" + n + "].obu_size", "leb128 cut short",
                                "truncated: the size field runs past the buffer");
                    }
                    int b = buf.get(p++) & 0xff;
                    size |= (long) (b & 0x7f) << (7 * i);
                    i++;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                    if (i == 8) {
                        throw new InvalidFrameException("obu[" + n + "].obu_size", "leb128 over 8 bytes",
                                "must be at most 8 bytes");
                    }
                }
            } else {
                size = to - p;
            }
            if (size > to - p) {
                throw new InvalidFrameException("obu[" + n + "].obu_size", size,
                        "runs past the buffer: " + (to - p) + " bytes left after the header at byte " + (start - from));
            }
            int payload = p;
            p += (int) size;
            units.add(new Unit(type, start, start, p - start, payload));
        }
        if (units.isEmpty()) {
            throw new InvalidFrameException("size", 0, "an AV1 temporal unit holds at least one OBU");
        }
        return units;
    }

    /** @return true for the OBU types of the spec (1..8, 15) */
    public static boolean known(int type) {
        return type >= 1 && type <= 8 || type == PADDING;
    }

    /** @return a short name of the OBU type */
    public static String typeName(int type) {
        return switch (type) {
            case 1 -> "SEQUENCE_HEADER";
            case 2 -> "TEMPORAL_DELIMITER";
            case 3 -> "FRAME_HEADER";
            case 4 -> "TILE_GROUP";
            case 5 -> "METADATA";
            case 6 -> "FRAME";
            case 7 -> "REDUNDANT_FRAME_HEADER";
            case 8 -> "TILE_LIST";
            case 15 -> "PADDING";
            default -> "reserved " + type;
        };
    }

    /**
     * Whether a frame header (payload of an OBU_FRAME or OBU_FRAME_HEADER) starts a key frame:
     * {@code show_existing_frame == 0} and {@code frame_type == KEY_FRAME}, read from the first bits of
     * {@code uncompressed_header()}. With {@code reduced_still_picture_header} every frame is a key frame.
     *
     * @throws InvalidFrameException {@code frame_header} when the payload is empty
     */
    public static boolean isKeyFrameHeader(ByteBuffer buf, Unit obu, boolean reducedStillPictureHeader) {
        if (reducedStillPictureHeader) {
            return true;
        }
        if (obu.payloadLength() < 1) {
            throw new InvalidFrameException("frame_header", "0 bytes", "truncated: an empty frame header");
        }
        int b = buf.get(obu.payloadOffset()) & 0xff;
        boolean showExisting = (b & 0x80) != 0;
        int frameType = (b >> 5) & 0x3;
        return !showExisting && frameType == 0; // KEY_FRAME
    }
}
