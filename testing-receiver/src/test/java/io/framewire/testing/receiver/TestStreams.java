package io.framewire.testing.receiver;

import io.framewire.api.Codec;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;
import io.framewire.api.spi.EncoderFactory;
import io.framewire.plugin.ffmpeg.Libsvtav1EncoderFactory;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.plugin.ffmpeg.Libx265EncoderFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real bitstreams for the receiver's tests, made once per codec and JVM by the ffmpeg-encoder plugin
 * (libx264, libx265, libsvtav1): {@link #FRAMES} frames of {@link #WIDTH}x{@link #HEIGHT}, the first a
 * key frame. Each picture is the solid {@link #COLOUR} with a noisy band in its top quarter (so that
 * key frames are large enough to be fragmented).
 */
final class TestStreams {
    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    static final int FRAMES = 10;
    /** R, G, B of the picture outside the noisy band. */
    static final int[] COLOUR = {200, 60, 30};

    private static final Map<Codec, List<EncodedFrame>> CACHE = new EnumMap<>(Codec.class);

    private TestStreams() {
    }

    /** @return the encoded frames for the codec (read-only buffers; duplicate before reading) */
    static synchronized List<EncodedFrame> get(Codec codec) throws Exception {
        List<EncodedFrame> frames = CACHE.get(codec);
        if (frames == null) {
            frames = encode(factory(codec));
            CACHE.put(codec, frames);
        }
        return frames;
    }

    static EncoderFactory factory(Codec codec) {
        return switch (codec) {
            case H264 -> new Libx264EncoderFactory();
            case H265 -> new Libx265EncoderFactory();
            case AV1 -> new Libsvtav1EncoderFactory();
            default -> throw new IllegalArgumentException(codec.name());
        };
    }

    private static List<EncodedFrame> encode(EncoderFactory factory) throws Exception {
        String unavailable = factory.unavailableReason();
        if (unavailable != null) {
            throw new IllegalStateException(factory.codec() + " encoder unavailable: " + unavailable);
        }
        ServerConfig config = ServerConfig.builder().width(WIDTH).height(HEIGHT).fps(30).bitrateKbps(1500).build();
        List<EncodedFrame> out = new ArrayList<>();
        try (Encoder encoder = factory.create(config)) {
            for (int i = 0; i < FRAMES; i++) {
                encoder.submit(picture(i));
                EncodedFrame f = encoder.encode(i, i * 33_333L, i == 0, false);
                if (f == null) {
                    throw new IllegalStateException(factory.codec() + ": no access unit for frame " + i);
                }
                ByteBuffer copy = ByteBuffer.allocate(f.data().remaining());
                copy.put(f.data().duplicate()).flip();
                out.add(new EncodedFrame(f.codec(), copy.asReadOnlyBuffer(), f.frameNumber(), f.ptsMicros(),
                        f.keyframe(), f.repeat()));
            }
        }
        if (!out.get(0).keyframe()) {
            throw new IllegalStateException(factory.codec() + ": the first frame is not a key frame");
        }
        return Collections.unmodifiableList(out);
    }

    /** BGRA: solid {@link #COLOUR}, noise (changing with {@code index}) in the top quarter. */
    static VideoFrame picture(int index) {
        ByteBuffer buf = ByteBuffer.allocateDirect(WIDTH * HEIGHT * 4);
        Random noise = new Random(index);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int o = (y * WIDTH + x) * 4;
                if (y < HEIGHT / 4) {
                    int v = noise.nextInt(256);
                    buf.put(o, (byte) v).put(o + 1, (byte) (255 - v)).put(o + 2, (byte) (v * 7)).put(o + 3, (byte) 255);
                } else {
                    buf.put(o, (byte) COLOUR[2]).put(o + 1, (byte) COLOUR[1]).put(o + 2, (byte) COLOUR[0])
                            .put(o + 3, (byte) 255);
                }
            }
        }
        return VideoFrame.hostBuffer(buf, WIDTH, HEIGHT, WIDTH * 4);
    }

    /** @return the bytes of a frame's access unit */
    static byte[] bytes(EncodedFrame f) {
        byte[] b = new byte[f.data().remaining()];
        f.data().duplicate().get(b);
        return b;
    }
}
