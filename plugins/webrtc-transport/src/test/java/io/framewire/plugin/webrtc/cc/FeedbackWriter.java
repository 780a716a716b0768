package io.framewire.plugin.webrtc.cc;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side transport-cc encoder: run-length chunks for runs of 14 or more, else a one-bit vector
 * when 14 statuses need no large delta, else a two-bit vector; deltas quantized to 250 µs from a
 * 64 ms reference. Pads with the RTCP padding bit like libwebrtc, or with bare zeros.
 */
final class FeedbackWriter {

    private FeedbackWriter() {
    }

    /**
     * @param arrivals receiver-clock arrival time in µs of each packet from {@code base}, -1 if lost;
     *                 the first entry must be received
     */
    static byte[] write(int base, long[] arrivals, int feedbackCount, boolean paddingBit) {
        int count = arrivals.length;
        long reference = -1;
        for (long a : arrivals) {
            if (a >= 0) {
                reference = Math.floorDiv(a, 64_000);
                break;
            }
        }
        if (reference < 0) {
            throw new IllegalArgumentException("nothing received");
        }
        int[] symbols = new int[count];
        ByteArrayOutputStream deltas = new ByteArrayOutputStream();
        long previous = reference * 64_000;
        for (int i = 0; i < count; i++) {
            if (arrivals[i] < 0) {
                continue;
            }
            long ticks = Math.round((arrivals[i] - previous) / 250.0);
            previous += ticks * 250;
            if (ticks >= 0 && ticks <= 255) {
                symbols[i] = 1;
                deltas.write((int) ticks);
            } else {
                if (ticks < Short.MIN_VALUE || ticks > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("delta too large: " + ticks);
                }
                symbols[i] = 2;
                deltas.write((int) (ticks >> 8));
                deltas.write((int) ticks);
            }
        }
        List<Integer> chunks = new ArrayList<>();
        int i = 0;
        while (i < count) {
            int run = 1;
            while (i + run < count && symbols[i + run] == symbols[i] && run < 8191) {
                run++;
            }
            if (run >= 14 || i + run == count && run > 7) {
                chunks.add(symbols[i] << 13 | run);
                i += run;
                continue;
            }
            boolean oneBit = true;
            for (int k = i; k < Math.min(count, i + 14); k++) {
                oneBit &= symbols[k] != 2;
            }
            int chunk;
            if (oneBit) {
                chunk = 0x8000;
                for (int k = 0; k < 14; k++) {
                    chunk |= (i + k < count ? symbols[i + k] : 0) << (13 - k);
                }
                i += 14;
            } else {
                chunk = 0xC000;
                for (int k = 0; k < 7; k++) {
                    chunk |= (i + k < count ? symbols[i + k] : 0) << (2 * (6 - k));
                }
                i += 7;
            }
            chunks.add(chunk);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int bodyLength = 20 + 2 * chunks.size() + deltas.size();
        int padding = (4 - bodyLength % 4) % 4;
        int total = bodyLength + padding;
        out.write(0x80 | (paddingBit && padding > 0 ? 0x20 : 0) | 15);
        out.write(205);
        u16(out, total / 4 - 1);
        u32(out, 0x1234_5678L);
        u32(out, 0x9ABC_DEF0L);
        u16(out, base & 0xFFFF);
        u16(out, count);
        out.write((int) (reference >> 16));
        out.write((int) (reference >> 8));
        out.write((int) reference);
        out.write(feedbackCount);
        for (int c : chunks) {
            u16(out, c);
        }
        out.writeBytes(deltas.toByteArray());
        for (int p = 0; p < padding; p++) {
            out.write(paddingBit && p == padding - 1 ? padding : 0);
        }
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        u16(out, (int) (v >>> 16) & 0xFFFF);
        u16(out, (int) v & 0xFFFF);
    }
}
