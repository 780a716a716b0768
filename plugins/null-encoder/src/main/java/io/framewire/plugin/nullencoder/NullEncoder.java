package io.framewire.plugin.nullencoder;

import io.framewire.api.Codec;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes nothing. Each "access unit" is 16 bytes: the BGRA value of the centre pixel of the
 * current picture (host frames; 0 for device frames) and how many pictures were submitted, so tests
 * can see which frame went out without a decoder. It keeps no reference to the caller's memory.
 */
public final class NullEncoder implements Encoder {
    /** The codec of this encoder's output. */
    public static final Codec CODEC = Codec.RAW;

    private volatile int centrePixel;
    private volatile long submitted;
    private boolean first = true;

    @Override
    public Codec codec() {
        return CODEC;
    }

    @Override
    public void submit(VideoFrame frame) {
        ByteBuffer pixels = frame.hostBuffer();
        int value = 0;
        if (frame.kind() == VideoFrame.Kind.HOST_BGRA) {
            int offset = pixels.position() + frame.pitchBytes() * (frame.height() / 2) + (frame.width() / 2) * 4;
            value = pixels.order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
        }
        centrePixel = value;
        submitted++;
    }

    @Override
    public EncodedFrame encode(long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) {
        boolean key = keyframe || first; // the first access unit is a key frame, like a real encoder's
        first = false;
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(centrePixel).putLong(submitted).putInt(key ? 1 : 0).flip();
        return new EncodedFrame(CODEC, data.asReadOnlyBuffer(), frameNumber, ptsMicros, key, repeat);
    }

    @Override
    public void close() {
        // nothing native to release
    }
}
