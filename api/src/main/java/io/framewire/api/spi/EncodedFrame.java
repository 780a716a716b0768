package io.framewire.api.spi;

import io.framewire.api.Codec;

import java.nio.ByteBuffer;

/**
 * One encoded access unit on its way to the transport.
 *
 * @param codec       the codec ({@link Codec#RAW} for test encoders)
 * @param data        the bytes (Annex B for H.264/H.265, low-overhead OBUs for AV1); read-only for the transport
 * @param frameNumber the scheduler tick that produced it
 * @param ptsMicros   presentation time, microseconds since the session started
 * @param keyframe    true for an IDR / key frame
 * @param repeat      true when it encodes the last good frame again (load running, source stalled)
 */
public record EncodedFrame(Codec codec, ByteBuffer data, long frameNumber, long ptsMicros, boolean keyframe,
                           boolean repeat) {
}
