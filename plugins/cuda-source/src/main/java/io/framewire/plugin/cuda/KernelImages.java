package io.framewire.plugin.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The committed kernel binaries (built by {@code src/main/cuda/build-kernels.sh} with nvcc 13.0):
 * cubins for sm_80, sm_86, sm_89, sm_90 and PTX for compute_75. A cubin runs on devices of the same
 * major compute capability and an equal or higher minor one, so the newest cubin with
 * {@code major == device major && minor <= device minor} is taken; every other device (Turing 7.5,
 * Blackwell 10.x/12.x, ...) JIT-compiles the PTX ({@code cuModuleLoadData}).
 *
 * <p>nvcc 13 emits PTX ISA 9.0: the driver must be R580 or newer to JIT it (and to load the cubins).
 */
final class KernelImages {
    static final String DIR = "/io/framewire/plugin/cuda/kernels/";
    static final String PTX = "bgra_to_nv12.compute_75.ptx";
    /** The cubins, as {major, minor}. */
    static final int[][] CUBINS = {{8, 0}, {8, 6}, {8, 9}, {9, 0}};

    private KernelImages() {
    }

    /** @return resource names to try, best first: the matching cubin (if any), then the PTX */
    static List<String> candidates(int major, int minor) {
        List<String> names = new ArrayList<>();
        Arrays.stream(CUBINS).filter(c -> c[0] == major && c[1] <= minor)
                .max((a, b) -> Integer.compare(a[1], b[1]))
                .ifPresent(c -> names.add("bgra_to_nv12.sm_" + c[0] + c[1] + ".cubin"));
        names.add(PTX);
        return names;
    }

    /** @return the resource's bytes; PTX gets the NUL terminator cuModuleLoadData needs */
    static byte[] load(String name) throws IOException {
        try (InputStream in = KernelImages.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IOException("kernel resource missing from the bundle: " + DIR + name);
            }
            byte[] bytes = in.readAllBytes();
            return name.endsWith(".ptx") ? Arrays.copyOf(bytes, bytes.length + 1) : bytes;
        }
    }
}
