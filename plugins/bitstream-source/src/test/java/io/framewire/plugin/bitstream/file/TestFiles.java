package io.framewire.plugin.bitstream.file;

import io.framewire.plugin.bitstream.Streams;
import io.framewire.plugin.bitstream.TestEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Writes real encoders' packets as the files the source reads; settings and log capture for the tests. */
final class TestFiles {
    private TestFiles() {
    }

    /** Annex B (H.264/H.265) or an OBU stream: the packets one after another. */
    static Path concat(Path file, List<TestEncoder.Packet> packets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TestEncoder.Packet p : packets) {
            out.writeBytes(p.data());
        }
        return Files.write(file, out.toByteArray());
    }

    /** AV1 as {@code ffmpeg -f obu} writes it: each temporal unit begins with a temporal delimiter. */
    static Path obu(Path file, List<TestEncoder.Packet> packets) throws IOException {
        List<TestEncoder.Packet> withTd = new ArrayList<>();
        for (TestEncoder.Packet p : packets) {
            withTd.add(new TestEncoder.Packet(temporalUnit(p), p.key(), p.pts()));
        }
        return concat(file, withTd);
    }

    /** The packet as a temporal unit that starts with a temporal delimiter OBU ({@code 12 00}). */
    static byte[] temporalUnit(TestEncoder.Packet p) {
        byte[] d = p.data();
        if (d.length >= 2 && d[0] == 0x12 && d[1] == 0) {
            return d;
        }
        byte[] withTd = new byte[d.length + 2];
        withTd[0] = 0x12; // OBU_TEMPORAL_DELIMITER, obu_has_size_field, obu_size 0
        System.arraycopy(d, 0, withTd, 2, d.length);
        return withTd;
    }

    /** AV1 in IVF: the 32-byte header (DKIF, version 0, header size 32, AV01, size, 30/1 fps, count), 12-byte frame headers. */
    static Path ivf(Path file, List<TestEncoder.Packet> packets) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32 + packets.stream().mapToInt(p -> 12 + p.data().length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put("DKIF".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0).putShort((short) 32)
                .put("AV01".getBytes(StandardCharsets.US_ASCII)).putShort((short) Streams.W).putShort((short) Streams.H)
                .putInt(30).putInt(1).putInt(packets.size()).putInt(0);
        for (TestEncoder.Packet p : packets) {
            b.putInt(p.data().length).putLong(p.pts()).put(p.data());
        }
        return Files.write(file, b.array());
    }

    /** @return the buffer's bytes from position to limit (its position is not moved) */
    static byte[] bytes(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.duplicate().get(b);
        return b;
    }

    /** @return the indexes of the packets the encoder flagged as key frames */
    static List<Integer> keyIndexes(List<TestEncoder.Packet> packets) {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).key()) {
                keys.add(i);
            }
        }
        return keys;
    }

    /** @return the source's settings as Configuration Admin would give them */
    static BitstreamFileSource.Config config(String path, boolean loop) {
        return new BitstreamFileSource.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return BitstreamFileSource.Config.class;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public boolean loop() {
                return loop;
            }
        };
    }

    /** What {@code action} logged (slf4j-simple writes to {@code System.err}) and what it returned. */
    record Logged<T>(String log, T value) {
        int count(String text) {
            return log.split(java.util.regex.Pattern.quote(text), -1).length - 1;
        }
    }

    static synchronized <T> Logged<T> capture(Callable<T> action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        T value;
        try {
            value = action.call();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        return new Logged<>(log, value);
    }
}
