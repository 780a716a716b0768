package io.framewire.examples;

import io.framewire.api.Defaults;
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
 * machine with no browser). The transport serves HTTP on {@code -Dframewire.port} (default
 * {@value Defaults#HTTP_PORT}; 0 = any free port), on every interface.
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

    /** A session for pre-encoded input: the passthrough for {@code config}'s codec, no importers. */
    static StreamSession startPassthrough(ServerConfig config) {
        return StreamSession.builder(config).noSource()
                .encoder("bitstream", io.framewire.plugin.bitstream.BitstreamPassthroughFactory.forCodec(
                        config.videoInput().codec()))
                .transport("out", transport())
                .start();
    }

    private static Transport transport() {
        int port = Integer.getInteger("framewire.port", Defaults.HTTP_PORT);
        return "null".equals(System.getProperty("framewire.transport"))
                ? new NullTransport(NullTransport.settings(Defaults.BIND_ADDRESS, port))
                : WebRtc.transport(port);
    }

    /** Kept apart so that the WebRTC classes load only when used. */
    private static final class WebRtc {
        static Transport transport(int port) {
            return new WebRtcTransport(WebRtcTransport.defaultSettings(System.getProperty("framewire.token", ""),
                    Defaults.BIND_ADDRESS, port));
        }
    }

    /** The examples' command line: {@code [seconds (0 = until Ctrl-C)] [width height fps]}. */
    record Args(int seconds, int width, int height, int fps) {
        static Args parse(String[] args) {
            return new Args(args.length > 0 ? Integer.parseInt(args[0]) : 0,
                    args.length > 2 ? Integer.parseInt(args[1]) : Defaults.WIDTH,
                    args.length > 2 ? Integer.parseInt(args[2]) : Defaults.HEIGHT,
                    args.length > 3 ? Integer.parseInt(args[3]) : Defaults.FPS);
        }

        ServerConfig.Builder config() {
            return ServerConfig.builder().width(width).height(height).fps(fps);
        }
    }

    /** The CUDA plugin's kernel module (PTX, JIT-compiled for any GPU); it also holds the fill kernel the examples draw with. */
    static byte[] kernelPtx() throws java.io.IOException {
        try (java.io.InputStream in = io.framewire.plugin.cuda.CudaFrameImporter.class
                .getResourceAsStream("kernels/bgra_to_nv12.compute_75.ptx")) {
            if (in == null) {
                throw new java.io.IOException("kernels/bgra_to_nv12.compute_75.ptx missing from the cuda-source jar");
            }
            byte[] text = in.readAllBytes();
            return java.util.Arrays.copyOf(text, text.length + 1); // NUL-terminated for cuModuleLoadData
        }
    }
}
