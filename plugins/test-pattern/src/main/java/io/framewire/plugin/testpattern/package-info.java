/**
 * The test-pattern plugin: a CPU {@link io.framewire.api.spi.FrameSource} that draws moving
 * SMPTE-like colour bars, a frame counter and a clock ({@link io.framewire.plugin.testpattern.TestPatternSource};
 * with {@code content=noise} the bars carry noise that changes every frame, {@link io.framewire.plugin.testpattern.PatternContent}),
 * a small scene model ({@link io.framewire.plugin.testpattern.Scene}, {@link io.framewire.plugin.testpattern.Shape})
 * held by {@link io.framewire.plugin.testpattern.SceneHolder}, and a JSON
 * {@link io.framewire.api.spi.StageLoader} ({@link io.framewire.plugin.testpattern.SceneFileLoader}).
 *
 * <p>This package is private to the bundle (not exported); the components are reached only through
 * the SPI services they register.
 */
package io.framewire.plugin.testpattern;
