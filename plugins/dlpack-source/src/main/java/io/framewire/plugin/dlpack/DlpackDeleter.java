package io.framewire.plugin.dlpack;

import org.bytedeco.javacpp.FunctionPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The C function pointer {@code void (*)(DLManagedTensor*)}, called from Java. JavaCPP's Builder
 * generates and compiles its JNI code at build time ({@code process-classes}, see the pom) into
 * {@code linux-x86_64/libjniDlpackDeleter.so} next to this class; the include of
 * {@code framewire_dlpack_abi.h} makes that compile fail if {@link DlpackLayout}'s offsets are wrong.
 *
 * <p>{@code DLManagedTensorVersioned}'s deleter takes a {@code DLManagedTensorVersioned*}: same
 * calling convention (one pointer argument, no result), so the same call serves both.
 */
@Platform(include = {"dlpack.h", "framewire_dlpack_abi.h"}, library = DeleterLibrary.LIBRARY)
public class DlpackDeleter extends FunctionPointer {
    static {
        DeleterLibrary.load();
    }

    /**
     * @param slot memory holding the function pointer (JavaCPP's FunctionPointer address is the
     *             address of a struct whose first member is the C function pointer)
     */
    DlpackDeleter(Pointer slot) {
        super(slot);
    }

    /** Calls the C function with {@code self}. */
    public native void call(@Cast("DLManagedTensor*") Pointer self);

    /**
     * Calls {@code deleter(self)}. The function pointer is copied into a slot of our own (not read in
     * place from the tensor, which the deleter frees).
     *
     * @param deleter the C function pointer; 0 (NULL) does nothing
     * @param self    the managed tensor's address
     */
    static void invoke(long deleter, long self) {
        if (deleter == 0) {
            return;
        }
        Pointer slot = Pointer.malloc(Long.BYTES);
        if (slot == null || slot.isNull()) {
            throw new OutOfMemoryError("malloc(8) failed while releasing a DLPack tensor");
        }
        try {
            new org.bytedeco.javacpp.LongPointer(slot).put(0, deleter);
            new DlpackDeleter(slot).call(NativeMemory.at(self));
        } finally {
            Pointer.free(slot);
        }
    }
}
