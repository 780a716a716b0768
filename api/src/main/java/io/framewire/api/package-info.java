/**
 * The Framewire API: frame descriptors ({@link io.framewire.api.VideoFrame}), the server
 * configuration ({@link io.framewire.api.ServerConfig}) and the {@link io.framewire.api.StreamServer}
 * an application streams through.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.3.0")
package io.framewire.api;
