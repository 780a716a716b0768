package io.framewire.testing.spi;

import io.framewire.api.Codec;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Encodes a host BGRA frame as its centre pixel (4 bytes), like the null encoder plugin. */
public final class CentrePixelEncoder implements Encoder {
    private final Codec codec;
    private volatile int centre;
    /** True after close. */
    public volatile boolean closed;
    /** The last bitrate set with {@link #setBitrateKbps}, 0 before any. */
    public volatile int bitrateKbps;
    /** The last frame rate set with {@link #setFps}, 0 before any. */
    public volatile int fps;

    /** @param codec the codec it claims to produce */
    public CentrePixelEncoder(Codec codec) {
        this.codec = codec;
    }

    @Override
    public Codec codec() {
        return codec;
    }

    @Override
    public void submit(VideoFrame frame) {
        ByteBuffer p = frame.hostBuffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        centre = p.getInt(p.position() + frame.pitchBytes() * (frame.height() / 2) + frame.width() / 2 * 4);
    }

    @Override
    public EncodedFrame encode(long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) {
        ByteBuffer data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, centre);
        return new EncodedFrame(codec, data, frameNumber, ptsMicros, keyframe, repeat);
    }

    @Override
    public void setBitrateKbps(int kbps) {
        bitrateKbps = kbps;
    }

    @Override
    public void setFps(int fps) {
        this.fps = fps;
    }

    @Override
    public void close() {
        closed = true;
    }
}
