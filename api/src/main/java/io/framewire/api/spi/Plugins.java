package io.framewire.api.spi;

/**
 * Conventions every plugin follows.
 *
 * <p>A plugin registers one of the SPI interfaces as an OSGi service (a Declarative Services
 * component) with the service property {@value #NAME}. The runtime's configuration
 * ({@code io.framewire.server}: {@code source}, {@code encoder}, {@code transport}) names the
 * plugins to use; stage loaders are all used, each for the URIs it accepts.
 */
public final class Plugins {
    /** The service property that names a plugin, e.g. {@code framewire.name=test-pattern}. */
    public static final String NAME = "framewire.name";

    private Plugins() {
    }
}
