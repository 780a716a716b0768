package io.framewire.plugin.dlpack;

import org.bytedeco.javacpp.FunctionPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Platform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test natives, built by JavaCPP's Builder in process-test-classes into
 * {@code linux-x86_64/libjniTestNatives.so}: a C-callable deleter implemented in Java that counts its
 * calls per tensor address, and an allocator whose memory ends at an inaccessible page.
 */
@Platform(include = "framewire_test_natives.h")
public class TestNatives {
    static {
        Loader.load();
    }

    /** @return {@code size} bytes followed by a PROT_NONE page (reading past them crashes the JVM) */
    @Name("fw_guarded_alloc")
    public static native Pointer guardedAlloc(@Cast("size_t") long size);

    /** {@code void (*)(DLManagedTensor*)} implemented in Java: counts calls per {@code self}. */
    public static class CountingDeleter extends FunctionPointer {
        static {
            Loader.load();
        }

        static final Map<Long, AtomicInteger> CALLS = new ConcurrentHashMap<>();
        static final AtomicInteger TOTAL = new AtomicInteger();
        private static CountingDeleter instance;

        protected CountingDeleter() {
            allocate();
        }

        private native void allocate();

        public void call(Pointer self) {
            CALLS.computeIfAbsent(self == null ? 0L : self.address(), a -> new AtomicInteger()).incrementAndGet();
            TOTAL.incrementAndGet();
        }

        /** @return the C function pointer of the one counting deleter (kept alive for the whole JVM) */
        static synchronized long functionAddress() {
            if (instance == null) {
                instance = new CountingDeleter();
            }
            // a FunctionPointer's address points at a struct whose first member is the C function
            return NativeMemory.getLong(instance.address());
        }

        static int callsFor(long self) {
            AtomicInteger n = CALLS.get(self);
            return n == null ? 0 : n.get();
        }
    }
}
