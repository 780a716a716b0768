package io.framewire.plugin.cuda;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which committed kernel image each compute capability loads; the images are in the bundle. */
class KernelImagesTest {
    @Test
    void theMatchingCubinComesFirstThenThePtx() {
        assertEquals(List.of("bgra_to_nv12.sm_90.cubin", KernelImages.PTX), KernelImages.candidates(9, 0));
        assertEquals(List.of("bgra_to_nv12.sm_80.cubin", KernelImages.PTX), KernelImages.candidates(8, 0));
        assertEquals(List.of("bgra_to_nv12.sm_86.cubin", KernelImages.PTX), KernelImages.candidates(8, 7));
        assertEquals(List.of("bgra_to_nv12.sm_89.cubin", KernelImages.PTX), KernelImages.candidates(8, 9));
        assertEquals(List.of(KernelImages.PTX), KernelImages.candidates(7, 5));
        assertEquals(List.of(KernelImages.PTX), KernelImages.candidates(12, 0));
        assertEquals(List.of(KernelImages.PTX), KernelImages.candidates(10, 0));
    }

    @Test
    void everyImageIsPackedAndThePtxIsNulTerminated() throws Exception {
        for (int[] cc : KernelImages.CUBINS) {
            byte[] cubin = KernelImages.load("bgra_to_nv12.sm_" + cc[0] + cc[1] + ".cubin");
            assertEquals(0x7F, cubin[0]);
            assertEquals('E', cubin[1]); // ELF
        }
        byte[] ptx = KernelImages.load(KernelImages.PTX);
        assertEquals(0, ptx[ptx.length - 1]);
        String text = new String(ptx, 0, ptx.length - 1, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(text.contains(".target sm_75") && text.contains(".entry bgra_to_nv12"), "PTX for compute_75");
    }
}
