package io.framewire.distribution.it.thirdparty;

import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A third-party style frame source: a solid colour BGRA frame in host memory, of whatever size the
 * runtime asks for. It is packed into its own bundle by the IT (with {@link ThirdPartyActivator}),
 * so it reaches the runtime only through the published API, as a plugin from outside would.
 */
public final class SolidColorSource implements FrameSource {
    /** B, G, R, A: an orange that no shipped source draws. */
    private static final byte[] BGRA = {(byte) 0x20, (byte) 0x80, (byte) 0xE0, (byte) 0xFF};

    private final AtomicLong renders = new AtomicLong();
    private ByteBuffer pixels;
    private int width;
    private int height;

    @Override
    public VideoFrame render(FrameRequest request) {
        if (pixels == null || width != request.width() || height != request.height()) {
            width = request.width();
            height = request.height();
            pixels = ByteBuffer.allocateDirect(width * height * 4);
            for (int i = 0; i < width * height; i++) {
                pixels.put(BGRA);
            }
            pixels.flip();
        }
        renders.incrementAndGet();
        // The colour never changes, so the memory stays valid and unchanged between calls.
        return VideoFrame.hostBuffer(pixels.duplicate(), width, height, width * 4);
    }

    /** @return how many frames this source has rendered */
    public long renders() {
        return renders.get();
    }
}
