package io.framewire.plugin.nulltransport;

import io.framewire.api.Defaults;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration Admin settings of the null transport (PID {@value #PID}): where its status page
 * and {@code /health} are served. A change while running moves the HTTP server at once. Without
 * OSGi, use {@link NullTransport#settings(String, int)}.
 */
@ObjectClassDefinition(name = "Framewire null transport")
public @interface NullTransportSettings {
    /** The configuration PID. */
    String PID = "io.framewire.nulltransport";

    /** @return the address of the HTTP server, default {@value Defaults#BIND_ADDRESS} */
    @AttributeDefinition(description = "Address of the HTTP server (status page, /health); 0.0.0.0 = every interface")
    String bindAddress() default Defaults.BIND_ADDRESS;

    /** @return the HTTP port, default {@value Defaults#HTTP_PORT}; 0 = any free port */
    @AttributeDefinition(description = "HTTP port of the status page and /health; 0 = any free port",
            min = "0", max = "65535")
    int httpPort() default Defaults.HTTP_PORT;
}
