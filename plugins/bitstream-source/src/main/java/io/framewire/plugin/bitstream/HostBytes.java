package io.framewire.plugin.bitstream;

import io.framewire.api.VideoFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.ByteBuffer;

/** A view of a pre-encoded frame's bytes, position 0 to its size, whether given as a buffer or an address. */
final class HostBytes {
    private HostBytes() {
    }

    /** A non-owning Pointer at an address: nothing is ever freed through it. */
    private static final class At extends Pointer {
        At(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }

    /** @return the access unit's bytes as a buffer of exactly {@code frame.sizeBytes()} (no copy) */
    static ByteBuffer of(VideoFrame frame) {
        ByteBuffer b = frame.hostBuffer();
        if (b != null) {
            return b.slice(b.position(), frame.sizeBytes());
        }
        return new BytePointer(new At(frame.hostAddress())).capacity(frame.sizeBytes()).asByteBuffer();
    }
}
