package io.framewire.api.spi;

import io.framewire.api.Codec;

import java.nio.ByteBuffer;

/**
 * One encoded access unit on its way to the transport.
 *
 * @param codec       the codec ({@link Codec#RAW} for test encoders)
 * @param data        the bytes (Annex B for H.264/H.265, low-overhead OBUs for AV1); read-only for the
 *                    transport, valid until its {@code send} returns
 * @param frameNumber the scheduler tick that produced it
 * @param ptsMicros   presentation time, microseconds since the session started
 * @param keyframe    true for an IDR / key frame
 * @param repeat      true when it encodes the last good frame again (load running, source stalled)
 * @param startOnly   true for a key frame meant only as a start for viewers that have no picture yet:
 *                    a pre-encoded session re-sends its last key frame so while its producer is silent.
 *                    A transport sends it only to viewers waiting for a key frame, and keeps them
 *                    waiting for the next key frame that is not start-only before it sends them
 *                    anything else (the producer's next P-frames refer to pictures they never had).
 */
public record EncodedFrame(Codec codec, ByteBuffer data, long frameNumber, long ptsMicros, boolean keyframe,
                           boolean repeat, boolean startOnly) {

    /** A frame for every viewer ({@code startOnly == false}). */
    public EncodedFrame(Codec codec, ByteBuffer data, long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) {
        this(codec, data, frameNumber, ptsMicros, keyframe, repeat, false);
    }
}
