package io.framewire.plugin.nulltransport;

import io.framewire.api.Defaults;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.Plugins;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport with no peers: it counts the frames it is given and their timing, and logs a summary
 * every 10 seconds (fps, largest gap between frames, repeats), and serves a status page and
 * {@code /health} on its own HTTP address and port ({@link NullTransportSettings}). It lets the
 * whole loop run and be measured without a network transport.
 *
 * <p>Usable without OSGi: {@code new NullTransport()} serves on the {@link Defaults}, and
 * {@code new NullTransport(NullTransport.settings("127.0.0.1", 0))} on a free local port.
 */
@Component(service = Transport.class, property = Plugins.NAME + "=null", configurationPid = NullTransportSettings.PID)
@Designate(ocd = NullTransportSettings.class)
public class NullTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(NullTransport.class);
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final FrameTiming timing = new FrameTiming();
    private final AtomicLong messages = new AtomicLong();
    private long windowStart;
    private long windowFrames;
    private long windowRepeats;
    private long windowMaxGap;
    private long previous;
    // the HTTP server's life cycle has its own lock: send() (the pacer thread) never waits for it
    private final Object lifecycle = new Object();
    private NullTransportSettings settings; // guarded by lifecycle
    private TransportContext context; // guarded by lifecycle; non-null while started
    private StatusHttpServer http; // guarded by lifecycle

    /** For Declarative Services, and without OSGi: serves on {@link Defaults#BIND_ADDRESS}:{@link Defaults#HTTP_PORT}. */
    public NullTransport() {
        this(settings(Defaults.BIND_ADDRESS, Defaults.HTTP_PORT));
    }

    /**
     * For use without OSGi.
     *
     * @param settings where to serve the status page and {@code /health}, e.g. from {@link #settings(String, int)}
     */
    public NullTransport(NullTransportSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Settings for use without OSGi.
     *
     * @param bindAddress the address of the HTTP server, e.g. {@code 127.0.0.1}
     * @param httpPort    the HTTP port, 0 for any free port ({@link #port()} tells which)
     * @return the settings
     */
    public static NullTransportSettings settings(String bindAddress, int httpPort) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        return new NullTransportSettings() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return NullTransportSettings.class;
            }

            @Override
            public String bindAddress() {
                return bindAddress;
            }

            @Override
            public int httpPort() {
                return httpPort;
            }
        };
    }

    /** New settings; a new address or port moves the running HTTP server at once. */
    @Activate
    @Modified
    void configure(NullTransportSettings newSettings) {
        synchronized (lifecycle) {
            reconfigure(Objects.requireNonNull(newSettings, "settings"));
        }
    }

    private void reconfigure(NullTransportSettings newSettings) {
        NullTransportSettings old = settings;
        settings = newSettings;
        if (context == null) {
            return;
        }
        if (http != null && old.httpPort() == newSettings.httpPort() && old.bindAddress().equals(newSettings.bindAddress())) {
            return;
        }
        if (http != null) {
            http.close();
            http = null;
        }
        try {
            http = serve(context);
            LOG.info("Null transport: HTTP address changed to {}:{}; status at http://localhost:{}/",
                    newSettings.bindAddress(), newSettings.httpPort(), http.port());
        } catch (IOException | RuntimeException e) {
            LOG.error("Null transport: cannot serve HTTP on {}:{} ({}); no status page until the settings change",
                    newSettings.bindAddress(), newSettings.httpPort(), e.toString());
        }
    }

    private StatusHttpServer serve(TransportContext ctx) throws IOException {
        return new StatusHttpServer(ctx, settings.bindAddress(), settings.httpPort());
    }

    @Override
    public void start(TransportContext ctx) throws IOException {
        synchronized (lifecycle) {
            if (context != null) {
                throw new IllegalStateException("the null transport is already started");
            }
            http = serve(ctx);
            context = ctx;
            synchronized (this) {
                windowStart = System.nanoTime();
                previous = 0;
            }
            LOG.info("Null transport started for {}: frames are counted, not sent", ctx.stream());
            LOG.info("Framewire is streaming. Open http://localhost:{}/ (health: http://localhost:{}/health)",
                    http.port(), http.port());
        }
    }

    @Override
    public synchronized void send(EncodedFrame frame) {
        long now = System.nanoTime();
        timing.record(now, frame);
        windowFrames++;
        if (frame.repeat()) {
            windowRepeats++;
        }
        if (previous != 0) {
            windowMaxGap = Math.max(windowMaxGap, now - previous);
        }
        previous = now;
        if (now - windowStart >= REPORT_INTERVAL_NANOS) {
            double seconds = (now - windowStart) / 1e9;
            LOG.info("Null transport: {} frames in {} s ({} fps), largest gap {} ms, {} repeated",
                    windowFrames, String.format("%.1f", seconds), String.format("%.1f", windowFrames / seconds),
                    String.format("%.1f", windowMaxGap / 1e6), windowRepeats);
            windowStart = now;
            windowFrames = 0;
            windowRepeats = 0;
            windowMaxGap = 0;
        }
    }

    @Override
    public void sendMessage(String peerId, OutgoingMessage message) {
        messages.incrementAndGet();
        LOG.debug("Message to {}: {}", peerId == null ? "all peers" : peerId, message);
    }

    @Override
    public String url() {
        synchronized (lifecycle) {
            return http == null ? null : "http://localhost:" + http.port() + "/";
        }
    }

    @Override
    public int peerCount() {
        return 0;
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (http != null) {
                http.close();
                http = null;
            }
            if (context != null) {
                context = null;
                LOG.info("Null transport stopped: {}", timing);
            }
        }
    }

    /** @return the HTTP port (the real one when configured 0), or -1 when not serving */
    public int port() {
        synchronized (lifecycle) {
            return http == null ? -1 : http.port();
        }
    }

    /** @return the counters since this transport was made */
    public FrameTiming timing() {
        return timing;
    }

    /** @return control messages (app, stage, error) handed to this transport */
    public long messages() {
        return messages.get();
    }
}
