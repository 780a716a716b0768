package io.framewire.testing.spi;

import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Frames, configs and waits for tests of the runtime and its plugins. */
public final class Frames {
    private Frames() {
    }

    /** @return a config of that size and rate, other settings at their defaults */
    public static ServerConfig config(int width, int height, int fps) {
        return ServerConfig.builder().width(width).height(height).fps(fps).build();
    }

    /** @return a host BGRA frame of one colour (0xAARRGGBB) */
    public static VideoFrame solid(int width, int height, int argb) {
        ByteBuffer pixels = ByteBuffer.allocateDirect(width * height * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < width * height; i++) {
            pixels.putInt(argb); // little-endian int 0xAARRGGBB is B, G, R, A in memory
        }
        pixels.flip();
        return VideoFrame.hostBuffer(pixels, width, height, width * 4);
    }

    /** Waits for a condition, failing with {@code what} after the timeout. */
    public static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** @return the largest gap between consecutive sends, in nanoseconds, over frames[from..to) */
    public static long largestGap(List<RecordingTransport.Sent> frames, int from, int to) {
        long max = 0;
        for (int i = Math.max(from, 1); i < to; i++) {
            max = Math.max(max, frames.get(i).nanos() - frames.get(i - 1).nanos());
        }
        return max;
    }
}
