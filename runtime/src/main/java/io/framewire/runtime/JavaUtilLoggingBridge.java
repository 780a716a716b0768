package io.framewire.runtime;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} to SLF4J while the runtime runs, so libraries that log through
 * it (ice4j and jitsi-srtp in the WebRTC transport) end up in the server's one log, in its format
 * and with its levels, instead of on stderr in the JDK's two-line format.
 *
 * <p>It replaces the JUL root logger's handlers (the JDK console handler) and puts them back when
 * the runtime stops. Levels stay JUL's: the bridge only sees records JUL lets through (INFO and
 * above by default), and SLF4J's configuration filters from there.
 */
@Component(immediate = true, service = {})
public final class JavaUtilLoggingBridge {
    private java.util.logging.Handler[] previousRootHandlers;

    @Activate
    void activate() {
        java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
        previousRootHandlers = root.getHandlers();
        for (java.util.logging.Handler handler : previousRootHandlers) {
            root.removeHandler(handler);
        }
        SLF4JBridgeHandler.install();
    }

    @Deactivate
    void deactivate() {
        SLF4JBridgeHandler.uninstall();
        java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
        for (java.util.logging.Handler handler : previousRootHandlers) {
            root.addHandler(handler);
        }
    }
}
