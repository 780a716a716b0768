package io.framewire.plugin.cuda;

import io.framewire.api.spi.FrameImporter;
import io.framewire.api.spi.Plugins;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Hashtable;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Probes for a CUDA device and, only when one is usable, registers a {@link CudaFrameImporter} as a
 * {@link FrameImporter} service ({@code framewire.name=cuda}) through the {@link BundleContext}.
 *
 * <p>An immediate component with no references and no service of its own: it always activates.
 * Without libcuda.so.1, a driver, or a device (or on a platform JCuda's embedded JNI library does not
 * cover) it logs ONE line saying why and registers nothing, so device frames are refused by the
 * runtime with "no frame importer is installed". Nothing is thrown out of activate.
 *
 * <p>The device is {@code framewire.cuda.device} (system property, default 0).
 */
@Component(immediate = true, service = {})
public final class CudaSourceComponent {
    private static final Logger LOG = LoggerFactory.getLogger(CudaSourceComponent.class);
    /** The plugin's name ({@link Plugins#NAME}). */
    public static final String NAME = "cuda";
    /** System property naming the CUDA device ordinal. */
    public static final String DEVICE_PROPERTY = "framewire.cuda.device";

    /** Registers the importer; the returned action unregisters it. */
    interface Registrar {
        Runnable register(FrameImporter importer, Map<String, Object> properties);
    }

    private volatile CudaFrameImporter importer;
    private volatile Runnable unregister;

    @Activate
    void activate(BundleContext context) {
        start(JCudaDriverBinding::new, Integer.getInteger(DEVICE_PROPERTY, 0), (imp, props) -> {
            ServiceRegistration<FrameImporter> reg = context.registerService(FrameImporter.class, imp, new Hashtable<>(props));
            return reg::unregister;
        }, LOG::info);
    }

    /**
     * Probes and registers. Never throws.
     *
     * @param driverFactory loads the driver binding (may throw LinkageError without libcuda)
     * @param log           receives the single "not available" line
     * @return whether the importer was registered
     */
    boolean start(Supplier<? extends CudaDriver> driverFactory, int ordinal, Registrar registrar, Consumer<String> log) {
        CudaFrameImporter opened = null;
        try {
            CudaDriver driver = driverFactory.get();
            driver.init();
            int count = driver.deviceCount();
            if (count == 0) {
                log.accept(unavailable("no CUDA device found (cuDeviceGetCount = 0)"));
                return false;
            }
            if (ordinal < 0 || ordinal >= count) {
                log.accept(unavailable("CUDA device " + ordinal + " (" + DEVICE_PROPERTY + ") does not exist; "
                        + count + " device(s) found"));
                return false;
            }
            opened = new CudaFrameImporter(driver, ordinal);
            unregister = registrar.register(opened, Map.of(Plugins.NAME, NAME,
                    "service.description", "CUDA BGRA->NV12 (BT.601 limited) on " + opened.deviceName()));
            importer = opened;
            LOG.info("CUDA frame importer registered on device {} ({}), kernel {}", ordinal, opened.deviceName(),
                    opened.kernelImage());
            return true;
        } catch (CudaException e) {
            log.accept(unavailable(e.errorName().equals("CUDA_ERROR_NO_DEVICE")
                    ? "no CUDA device found (" + e.getMessage() + ")"
                    : "the CUDA driver refused: " + e.getMessage()));
        } catch (LinkageError e) {
            log.accept(unavailable("the CUDA driver library could not be loaded (" + linkageReason(e) + ")"));
        } catch (RuntimeException e) {
            log.accept(unavailable(e.toString().replace('\n', ' ')));
        }
        if (opened != null) {
            opened.close();
        }
        return false;
    }

    private static String unavailable(String why) {
        return "CUDA frame importer not available: " + why
                + "; device frames (DEVICE_BGRA, CUDA_ARRAY) will be refused";
    }

    /** JCuda's UnsatisfiedLinkError spans many lines with nested stack traces: keep the telling one. */
    static String linkageReason(Throwable e) {
        String message = String.valueOf(e.getMessage());
        for (String line : message.split("\\R")) {
            if (line.contains("libcuda")) {
                return line.trim();
            }
        }
        for (String line : message.split("\\R")) {
            if (!line.isBlank()) {
                return e.getClass().getSimpleName() + ": " + line.trim();
            }
        }
        return e.getClass().getSimpleName();
    }

    @Deactivate
    void deactivate() {
        Runnable u = unregister;
        unregister = null;
        if (u != null) {
            try {
                u.run();
            } catch (RuntimeException e) {
                LOG.debug("Unregistering the CUDA importer: {}", e.getMessage());
            }
        }
        CudaFrameImporter imp = importer;
        importer = null;
        if (imp != null) {
            imp.close();
        }
    }

    /** @return the registered importer, or null */
    CudaFrameImporter importer() {
        return importer;
    }
}
