/**
 * The plugin SPI: the service interfaces a bundle registers (as Declarative Services components,
 * with the {@link io.framewire.api.spi.Plugins#NAME} property) to add a frame source, an encoder,
 * a transport or a stage loader.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.5.0")
package io.framewire.api.spi;
