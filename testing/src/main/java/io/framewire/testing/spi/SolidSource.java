package io.framewire.testing.spi;

import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;

import java.util.concurrent.atomic.AtomicInteger;

/** A frame source that renders one settable colour and counts its calls. */
public final class SolidSource implements FrameSource {
    /** The colour of the next frames, 0xAARRGGBB. */
    public volatile int argb;
    /** How often {@link #render} was called. */
    public final AtomicInteger calls = new AtomicInteger();

    /** @param argb the first colour */
    public SolidSource(int argb) {
        this.argb = argb;
    }

    @Override
    public VideoFrame render(FrameRequest request) {
        calls.incrementAndGet();
        return Frames.solid(request.width(), request.height(), argb);
    }
}
