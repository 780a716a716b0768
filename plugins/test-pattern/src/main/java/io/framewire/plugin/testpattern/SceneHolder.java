package io.framewire.plugin.testpattern;

import org.osgi.service.component.annotations.Component;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current {@link Scene}, shared by {@link SceneFileLoader} (which swaps it) and
 * {@link TestPatternSource} (which draws it). A DS component registered under this bundle-private
 * class, so only this bundle's components can use it. Starts with {@link Scene#EMPTY}.
 */
@Component(service = SceneHolder.class)
public class SceneHolder {
    private final AtomicReference<Scene> current = new AtomicReference<>(Scene.EMPTY);

    /** @return the current scene, never null */
    public Scene current() {
        return current.get();
    }

    /**
     * Replaces the scene.
     *
     * @return the previous scene
     */
    public Scene swap(Scene scene) {
        return current.getAndSet(Objects.requireNonNull(scene, "scene"));
    }
}
