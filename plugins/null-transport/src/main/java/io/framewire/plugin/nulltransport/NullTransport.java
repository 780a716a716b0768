package io.framewire.plugin.nulltransport;

import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Plugins;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A transport with no peers: it counts the frames it is given and their timing, and logs a summary
 * every 10 seconds (fps, largest gap between frames, repeats), and serves a status page and
 * {@code /health} on the session's HTTP port. It lets the whole loop run and be measured without a
 * network transport.
 */
@Component(service = Transport.class, property = Plugins.NAME + "=null")
public class NullTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(NullTransport.class);
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final FrameTiming timing = new FrameTiming();
    private long windowStart;
    private long windowFrames;
    private long windowRepeats;
    private long windowMaxGap;
    private long previous;
    private volatile long messages;
    private StatusHttpServer http;

    @Override
    public synchronized void start(TransportContext context) throws IOException {
        windowStart = System.nanoTime();
        previous = 0;
        http = new StatusHttpServer(context);
        LOG.info("Null transport started for {}: frames are counted, not sent", context.config());
        LOG.info("Framewire is streaming. Open http://localhost:{}/ (health: http://localhost:{}/health)", http.port(),
                http.port());
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
    public void sendMessage(String peerId, String json) {
        messages++;
        LOG.debug("Message to {}: {}", peerId == null ? "all peers" : peerId, json);
    }

    @Override
    public int peerCount() {
        return 0;
    }

    @Override
    public synchronized void stop() {
        if (http != null) {
            http.close();
            http = null;
        }
        LOG.info("Null transport stopped: {}", timing);
    }

    /** @return the counters since start */
    public FrameTiming timing() {
        return timing;
    }

    /** @return app messages handed to this transport */
    public long messages() {
        return messages;
    }
}
