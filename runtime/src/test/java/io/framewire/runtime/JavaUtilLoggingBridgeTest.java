package io.framewire.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

class JavaUtilLoggingBridgeTest {
    @Test
    void routesJulToSlf4jWhileActiveAndRestoresTheHandlersAfter() {
        Logger root = LogManager.getLogManager().getLogger("");
        Handler[] before = root.getHandlers();
        JavaUtilLoggingBridge bridge = new JavaUtilLoggingBridge();

        bridge.activate();
        try {
            Handler[] during = root.getHandlers();
            assertEquals(1, during.length, Arrays.toString(during));
            assertTrue(during[0] instanceof SLF4JBridgeHandler, during[0].getClass().getName());
            assertTrue(SLF4JBridgeHandler.isInstalled());
        } finally {
            bridge.deactivate();
        }

        assertArrayEquals(before, root.getHandlers());
    }
}
