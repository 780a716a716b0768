package io.framewire.plugin.dlpack;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.ByteBuffer;

/**
 * Reads native memory at raw addresses through JavaCPP (no generated code: JavaCPP's own runtime).
 * Callers check every pointer for NULL before reading through it.
 *
 * <p>Note: {@code new BytePointer(long)} ALLOCATES that many bytes; a view of an existing address
 * is a Pointer whose {@code address} is set, as {@link #at} does.
 */
final class NativeMemory {
    private NativeMemory() {
    }

    /** A non-owning Pointer at {@code address} (no deallocator: nothing is ever freed through it). */
    static final class At extends Pointer {
        At(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }

    static Pointer at(long address) {
        return new At(address);
    }

    /** @return a non-owning byte view of {@code address} */
    static BytePointer bytes(long address) {
        return new BytePointer(new At(address));
    }

    static long getLong(long address) {
        return bytes(address).getLong(0);
    }

    static int getInt(long address) {
        return bytes(address).getInt(0);
    }

    static int getUnsignedByte(long address) {
        return bytes(address).get(0) & 0xFF;
    }

    static int getUnsignedShort(long address) {
        return bytes(address).getShort(0) & 0xFFFF;
    }

    /** @return a direct ByteBuffer over {@code length} bytes at {@code address} (valid while the memory is) */
    static ByteBuffer wrap(long address, int length) {
        return bytes(address).capacity(length).asByteBuffer();
    }
}
