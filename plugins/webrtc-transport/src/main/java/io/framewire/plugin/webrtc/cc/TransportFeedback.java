package io.framewire.plugin.webrtc.cc;

import io.framewire.plugin.webrtc.rtp.Bytes;
import io.framewire.plugin.webrtc.rtp.Rtcp;
import java.util.ArrayList;
import java.util.List;

/**
 * One transport-cc feedback message (RTCP RTPFB, FMT=15; draft-holmer-rmcat-transport-wide-cc-extensions-01).
 *
 * @param senderSsrc          SSRC of the feedback's sender
 * @param mediaSsrc           SSRC of the media source (usually meaningless for transport-cc)
 * @param baseSequence        transport-wide sequence number of the first packet reported (16-bit)
 * @param feedbackCount       the feedback packet count (8-bit), for spotting lost feedback
 * @param referenceTimeMicros the reference time: the 24-bit field, read unsigned as libwebrtc does,
 *                            times 64 ms, on the receiver's clock
 * @param packets             one status per reported packet, in sequence order
 */
public record TransportFeedback(long senderSsrc, long mediaSsrc, int baseSequence, int feedbackCount,
                                long referenceTimeMicros, List<PacketStatus> packets) implements Rtcp.Packet {

    /** RTPFB feedback message type of transport-cc. */
    public static final int FMT = 15;

    private static final int HEADER_BYTES = 20;
    private static final long DELTA_MICROS = 250;
    private static final long REFERENCE_MICROS = 64_000;

    /** Defensive copy of {@code packets}. */
    public TransportFeedback {
        packets = List.copyOf(packets);
    }

    /**
     * The status of one reported packet.
     *
     * @param sequence      transport-wide sequence number (16-bit)
     * @param received      whether the receiver got it
     * @param arrivalMicros arrival time on the receiver's clock: reference time plus the cumulative
     *                      receive deltas (250 µs units); -1 when not received
     */
    public record PacketStatus(int sequence, boolean received, long arrivalMicros) {
    }

    /**
     * Parses one transport-cc feedback packet.
     *
     * @param data   the buffer
     * @param offset start of the RTCP header (V/P/FMT byte)
     * @param length bytes of the packet without RTCP padding (the header's length field is not re-read)
     * @return the feedback
     * @throws IllegalArgumentException naming what is wrong (too short, a reserved status symbol, an
     *                                  empty run, chunks or deltas past the end, stray bytes)
     */
    public static TransportFeedback parse(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("transport-cc: range [" + offset + ", +" + length
                    + ") outside a " + data.length + "-byte buffer");
        }
        if (length < HEADER_BYTES) {
            throw new IllegalArgumentException("transport-cc: " + length + " bytes, needs at least "
                    + HEADER_BYTES + " (header, base sequence, count, reference time)");
        }
        int end = offset + length;
        int base = Bytes.u16(data, offset + 12);
        int count = Bytes.u16(data, offset + 14);
        if (count == 0) {
            throw new IllegalArgumentException("transport-cc: packet status count is 0");
        }
        long reference = Bytes.u24(data, offset + 16) * REFERENCE_MICROS;
        int feedbackCount = data[offset + 19] & 0xFF;

        // symbols: 0 not received, 1 small delta (1 byte), 2 large delta (2 bytes)
        byte[] symbols = new byte[count];
        int p = offset + HEADER_BYTES;
        int filled = 0;
        while (filled < count) {
            if (end - p < 2) {
                throw new IllegalArgumentException("transport-cc: status chunks end after " + filled + " of "
                        + count + " packets (truncated)");
            }
            int chunk = Bytes.u16(data, p);
            p += 2;
            filled = readChunk(chunk, symbols, filled);
        }

        List<PacketStatus> packets = new ArrayList<>(count);
        long arrival = reference;
        for (int i = 0; i < count; i++) {
            int sequence = (base + i) & 0xFFFF;
            switch (symbols[i]) {
                case 0 -> {
                    packets.add(new PacketStatus(sequence, false, -1));
                    continue;
                }
                case 1 -> {
                    needDelta(end - p, 1, i);
                    arrival += (data[p] & 0xFF) * DELTA_MICROS;
                    p += 1;
                }
                default -> {
                    needDelta(end - p, 2, i);
                    arrival += (short) Bytes.u16(data, p) * DELTA_MICROS;
                    p += 2;
                }
            }
            packets.add(new PacketStatus(sequence, true, arrival));
        }
        if (end - p > 3) {
            throw new IllegalArgumentException("transport-cc: " + (end - p)
                    + " stray bytes after the receive deltas (at most 3 bytes of padding expected)");
        }
        return new TransportFeedback(Bytes.u32(data, offset + 4), Bytes.u32(data, offset + 8), base,
                feedbackCount, reference, packets);
    }

    /** Decodes one packet chunk into {@code symbols} from {@code filled}; returns the new fill. */
    private static int readChunk(int chunk, byte[] symbols, int filled) {
        int count = symbols.length;
        if ((chunk & 0x8000) == 0) { // run length chunk: T=0 | S(2) | length(13)
            int symbol = (chunk >>> 13) & 0x3;
            int run = chunk & 0x1FFF;
            checkSymbol(symbol, "run length chunk");
            if (run == 0) {
                throw new IllegalArgumentException("transport-cc: run length chunk with length 0");
            }
            int n = Math.min(run, count - filled); // a run may not overshoot, but be lenient
            for (int k = 0; k < n; k++) {
                symbols[filled++] = (byte) symbol;
            }
            return filled;
        }
        if ((chunk & 0x4000) == 0) { // status vector, 14 one-bit symbols
            for (int k = 13; k >= 0 && filled < count; k--) {
                symbols[filled++] = (byte) ((chunk >>> k) & 0x1);
            }
            return filled;
        }
        for (int k = 6; k >= 0 && filled < count; k--) { // status vector, 7 two-bit symbols
            int symbol = (chunk >>> (2 * k)) & 0x3;
            checkSymbol(symbol, "two-bit status vector");
            symbols[filled++] = (byte) symbol;
        }
        return filled;
    }

    private static void checkSymbol(int symbol, String where) {
        if (symbol == 3) {
            throw new IllegalArgumentException("transport-cc: reserved status symbol 3 in a " + where);
        }
    }

    private static void needDelta(int have, int need, int index) {
        if (have < need) {
            throw new IllegalArgumentException("transport-cc: receive delta of packet " + index + " needs "
                    + need + " bytes, " + have + " remain (truncated)");
        }
    }
}
