package io.framewire.plugin.cuda;

import io.framewire.api.spi.FrameImporter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe: the importer service exists only with a CUDA device; otherwise one log line says why. */
class CudaSourceComponentTest {
    private final List<String> log = new ArrayList<>();
    private final List<Map<String, Object>> registered = new ArrayList<>();
    private int unregistered;
    private final CudaSourceComponent.Registrar registrar = (importer, props) -> {
        registered.add(props);
        return () -> unregistered++;
    };

    @Test
    void noDeviceRegistersNothingAndLogsOneLine() {
        FakeCudaDriver driver = new FakeCudaDriver();
        driver.deviceCount = 0;
        CudaSourceComponent component = new CudaSourceComponent();
        assertFalse(component.start(() -> driver, 0, registrar, log::add));
        assertTrue(registered.isEmpty());
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("CUDA frame importer not available: no CUDA device found"), log.get(0));
        assertNull(component.importer());
        component.deactivate(); // nothing to do, nothing thrown
    }

    @Test
    void aDriverWithoutDevicesLogsOneLine() {
        FakeCudaDriver driver = new FakeCudaDriver();
        driver.initFailure = new CudaException("cuInit", 100, "CUDA_ERROR_NO_DEVICE");
        assertFalse(new CudaSourceComponent().start(() -> driver, 0, registrar, log::add));
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("no CUDA device found (cuInit failed: CUDA_ERROR_NO_DEVICE (100))"), log.get(0));
        assertTrue(registered.isEmpty());
    }

    @Test
    void aMissingLibcudaLogsOneLineNamingIt() {
        String jcudaMessage = "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                + "Operating system name: Linux\n---(start of nested stack traces)---\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file or directory\n"
                + "\tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)\n";
        assertFalse(new CudaSourceComponent().start(() -> {
            throw new UnsatisfiedLinkError(jcudaMessage);
        }, 0, registrar, log::add));
        assertEquals(1, log.size());
        assertFalse(log.get(0).contains("\n"));
        assertTrue(log.get(0).contains("libcuda.so.1: cannot open shared object file"), log.get(0));
        assertTrue(registered.isEmpty());
    }

    @Test
    void aMissingDeviceOrdinalLogsOneLine() {
        FakeCudaDriver driver = new FakeCudaDriver();
        assertFalse(new CudaSourceComponent().start(() -> driver, 3, registrar, log::add));
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("CUDA device 3 (framewire.cuda.device) does not exist; 1 device(s) found"), log.get(0));
    }

    @Test
    void aKernelTheDriverCannotLoadLogsOneLineAndReleasesTheContext() {
        FakeCudaDriver driver = new FakeCudaDriver() {
            @Override
            public long moduleLoadData(byte[] image) {
                throw new CudaException("cuModuleLoadData", 222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION");
            }
        };
        assertFalse(new CudaSourceComponent().start(() -> driver, 0, registrar, log::add));
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("CUDA_ERROR_UNSUPPORTED_PTX_VERSION") && log.get(0).contains("R580"), log.get(0));
        assertTrue(driver.allReleased());
    }

    @Test
    void aDeviceRegistersTheImporterAndDeactivateReleasesEverything() {
        FakeCudaDriver driver = new FakeCudaDriver();
        CudaSourceComponent component = new CudaSourceComponent();
        assertTrue(component.start(() -> driver, 0, registrar, log::add));
        assertTrue(log.isEmpty(), log.toString());
        assertEquals(1, registered.size());
        assertEquals("cuda", registered.get(0).get("framewire.name"));
        FrameImporter importer = component.importer();
        assertTrue(importer.accepts(io.framewire.api.VideoFrame.Kind.DEVICE_BGRA));
        component.deactivate();
        assertEquals(1, unregistered);
        assertTrue(driver.allReleased());
    }

    @Test
    void linkageReasonKeepsOneLine() {
        assertEquals("UnsatisfiedLinkError: no jcuda", CudaSourceComponent.linkageReason(new UnsatisfiedLinkError("no jcuda\nmore")));
    }
}
