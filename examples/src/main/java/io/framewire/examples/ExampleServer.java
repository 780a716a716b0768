package io.framewire.examples;

import io.framewire.api.ServerConfig;
import io.framewire.api.spi.FrameImporter;
import io.framewire.plugin.ffmpeg.Libx264EncoderFactory;
import io.framewire.api.spi.Transport;
import io.framewire.plugin.nulltransport.NullTransport;
import io.framewire.plugin.webrtc.WebRtcTransport;
import io.framewire.runtime.StreamSession;


/**
 * An embedded server (no OSGi) as the examples use it: libx264, one frame importer, and WebRTC
 * (or, with {@code -Dframewire.transport=null}, the counting null transport: for measuring on a
 * machine with no browser).
 */
final class ExampleServer {
    private ExampleServer() {
    }

    static StreamSession start(ServerConfig config, String importerName, FrameImporter importer) {
        return start(config, java.util.Map.of(importerName, importer));
    }

    static StreamSession start(ServerConfig config, java.util.Map<String, FrameImporter> importers) {
        StreamSession.Builder builder = StreamSession.builder(config).noSource();
        importers.forEach(builder::importer);
        return builder
                .encoder("libx264", new Libx264EncoderFactory())
                .transport("out", transport())
                .start();
    }

    private static Transport transport() {
        return "null".equals(System.getProperty("framewire.transport")) ? new NullTransport() : WebRtc.transport();
    }

    /** Kept apart so that the WebRTC classes load only when used. */
    private static final class WebRtc {
        static Transport transport() {
            return new WebRtcTransport(WebRtcTransport.defaultSettings(System.getProperty("framewire.token", "")));
        }
    }
}
