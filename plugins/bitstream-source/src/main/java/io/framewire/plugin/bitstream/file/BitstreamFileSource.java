package io.framewire.plugin.bitstream.file;

import io.framewire.api.Codec;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.FrameRequest;
import io.framewire.api.spi.FrameSource;
import io.framewire.api.spi.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Plays a pre-encoded file ({@link BitstreamFile}) at the session's fps: one access unit per tick,
 * in a loop (or once). The session must be started with the file's {@code videoInput}; the
 * passthrough refuses another codec, naming both. Key frames come from the file, so it should
 * have them regularly (docs/bitstream-files.md shows how to make such a file).
 *
 * <p>{@link #render} runs on the pacer thread; a new configuration is loaded on Config Admin's thread
 * and handed over through a volatile field (the player starts at the new file's first unit).
 */
@Component(service = FrameSource.class, property = Plugins.NAME + "=bitstream-file",
        configurationPid = BitstreamFileSource.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BitstreamFileSource.Config.class)
public class BitstreamFileSource implements FrameSource {
    /** The Configuration Admin PID of its settings. */
    public static final String PID = "io.framewire.bitstreamfile";
    private static final Logger LOG = LoggerFactory.getLogger(BitstreamFileSource.class);

    /** Its settings. */
    @ObjectClassDefinition(name = "Framewire bitstream-file source",
            description = "Plays a pre-encoded H.264, H.265 or AV1 file at the session's fps.")
    public @interface Config {
        /** @return the file, absolute or relative to the working directory */
        @AttributeDefinition(name = "File", required = false, description = "An Annex B .h264/.264/.h265/.265/.hevc,"
                + " or AV1 .ivf/.obu file; relative paths start at the working directory (the distribution folder)")
        String path() default "";

        /** @return whether to start again at the end */
        @AttributeDefinition(name = "Loop", description = "Start again from the first access unit at the end")
        boolean loop() default true;
    }

    /** What is playing: the file and the next unit's index (touched by the render thread only). */
    private static final class Player {
        final BitstreamFile file;
        final boolean loop;
        int next;
        boolean sizeWarned;

        Player(BitstreamFile file, boolean loop) {
            this.file = file;
            this.loop = loop;
        }
    }

    private volatile Player player;
    private volatile boolean noFileWarned;

    /** Starts with the given settings (DS, or tests and embedded use). */
    @Activate
    public BitstreamFileSource(Config config) {
        configure(config.path(), config.loop());
    }

    /** Plays {@code path} (for embedded use); a failure to load is logged and plays nothing. */
    public BitstreamFileSource(String path, boolean loop) {
        configure(path, loop);
    }

    @Modified
    void modified(Config config) {
        configure(config.path(), config.loop());
    }

    private void configure(String path, boolean loop) {
        if (path == null || path.isBlank()) {
            player = null;
            noFileWarned = false;
            LOG.info("No file to play until 'path' is set in {}", PID);
            return;
        }
        try {
            BitstreamFile file = BitstreamFile.load(Path.of(path));
            player = new Player(file, loop);
            LOG.info("Playing {}: {} ({} access units, {} key frames, {}, {}){}; the session needs videoInput={}",
                    path, file.codec(), file.units().size(), file.keyframes(), file.size(), file.sequence().profile(),
                    loop ? " in a loop" : "", file.videoInput());
        } catch (Exception e) {
            player = null;
            noFileWarned = true; // this WARN is the one
            LOG.warn("Cannot play {} (key 'path' of {}): {}", path, PID, e.toString());
        }
    }

    /** @return the file playing now, or null */
    public BitstreamFile file() {
        Player p = player;
        return p == null ? null : p.file;
    }

    /**
     * @return the codec of the file playing now (the session's {@code videoInput} must be the same), or
     *         null when no file is loaded
     */
    public Codec codec() {
        Player p = player;
        return p == null ? null : p.file.codec();
    }

    @Override
    public VideoFrame render(FrameRequest request) {
        Player p = player;
        if (p == null) {
            if (!noFileWarned) {
                noFileWarned = true; // selected, but there is nothing to play: say so once
                LOG.warn("source=bitstream-file has no file to play: set 'path' in {} (an .h264, .h265, .ivf or .obu"
                        + " file; see the log above for a file that failed to load)", PID);
            }
            return null;
        }
        BitstreamFile file = p.file;
        if (file.sequence().width() != request.width() || file.sequence().height() != request.height()) {
            if (!p.sizeWarned) {
                p.sizeWarned = true;
                LOG.warn("{} is {}x{}, the session is {}x{}: not played (set width and height to the file's)",
                        file.path(), file.sequence().width(), file.sequence().height(), request.width(), request.height());
            }
            return null;
        }
        if (p.next == file.units().size()) {
            if (!p.loop) {
                return null;
            }
            p.next = 0;
        }
        ByteBuffer unit = file.units().get(p.next++);
        return VideoFrame.encoded(unit, request.width(), request.height(), unit.remaining());
    }
}
