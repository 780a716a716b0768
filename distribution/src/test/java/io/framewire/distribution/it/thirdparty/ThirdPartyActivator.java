package io.framewire.distribution.it.thirdparty;

import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.Plugins;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.LongSupplier;

/**
 * Registers {@link SolidColorSource} as the frame source {@code third-party}, plus a
 * {@link LongSupplier} ({@value #PROBE_PROPERTY}={@value #PROBE_RENDERS}) that reports its render
 * count, so the test can see it is really the one rendering. No Declarative Services: a plain
 * activator, as the simplest third-party bundle would be.
 */
public final class ThirdPartyActivator implements BundleActivator {
    /** The source's {@code framewire.name}. */
    public static final String NAME = "third-party";
    /** The service property that marks the probe. */
    public static final String PROBE_PROPERTY = "framewire.probe";
    /** Its value on the render-count probe. */
    public static final String PROBE_RENDERS = "third-party-renders";

    @Override
    public void start(BundleContext context) {
        SolidColorSource source = new SolidColorSource();
        Dictionary<String, Object> sourceProps = new Hashtable<>();
        sourceProps.put(Plugins.NAME, NAME);
        context.registerService(FrameSource.class, source, sourceProps);

        Dictionary<String, Object> probeProps = new Hashtable<>();
        probeProps.put(PROBE_PROPERTY, PROBE_RENDERS);
        context.registerService(LongSupplier.class, source::renders, probeProps);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters both services
    }
}
