package com.example.twotone;

import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Component;

import java.nio.ByteBuffer;

/**
 * A third-party frame source: the left half magenta, the right half green. Select it with
 * {@code source=two-tone} in {@code load/io.framewire.server.cfg}.
 */
@Component(service = FrameSource.class, property = Plugins.NAME + "=" + TwoToneSource.NAME)
public class TwoToneSource implements FrameSource {
    /** Its {@code framewire.name}. */
    public static final String NAME = "two-tone";

    private ByteBuffer pixels;
    private int width;
    private int height;

    /**
     * Drawn once per size; the same pixels every tick. (Returning null would mean "nothing new" and
     * repeat the last picture sent, which after a switch from another source is that source's.)
     */
    @Override
    public VideoFrame render(FrameRequest request) {
        if (pixels == null || request.width() != width || request.height() != height) {
            width = request.width();
            height = request.height();
            pixels = draw(width, height);
        }
        return VideoFrame.hostBuffer(pixels, width, height, width * 4);
    }

    /** BGRA bytes: magenta (B 255, G 0, R 255) on the left, green (B 0, G 255, R 0) on the right. */
    private static ByteBuffer draw(int width, int height) {
        ByteBuffer b = ByteBuffer.allocateDirect(width * height * 4);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean left = x < width / 2;
                b.put((byte) (left ? 255 : 0)).put((byte) (left ? 0 : 255)).put((byte) (left ? 255 : 0)).put((byte) 255);
            }
        }
        return b.flip();
    }
}
