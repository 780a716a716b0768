package io.framewire.plugin.bitstream;

import io.framewire.api.Codec;
import io.framewire.api.InvalidFrameException;
import io.framewire.api.ServerConfig;
import io.framewire.api.VideoFrame;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.Encoder;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The "encoder" of a pre-encoded session: passes the producer's access units through to the
 * transport without re-encoding. It is an {@link Encoder} so the runtime's one way through (ingest,
 * encoder stage, pacer, keyframe path) carries bitstreams too.
 *
 * <ul>
 *   <li>{@link #validate} runs on the producer's thread: it parses the unit once and refuses what cannot
 *       be streamed (another codec, a broken unit, another coded size, B-frame reordering, anything
 *       before the first key frame), so {@code streamVideo()} throws at once and nothing changes.</li>
 *   <li>{@link #submit} (pacer thread) copies the unit once into a buffer of its own (the caller may
 *       reuse its buffer after the next {@code streamVideo()}) and remembers parameter sets and the
 *       last key frame.</li>
 *   <li>{@link #encode} sends the new unit as it is (a key frame without parameter sets gets the ones
 *       in force put in front, so every key frame is a start a new viewer can decode). Asked for a key
 *       frame on a tick without a new unit (a viewer waits for one while the producer is silent), it
 *       re-sends the last key frame with its parameter sets as a start-only frame: the transport gives
 *       it only to viewers that have no picture yet, and they wait for the producer's next key frame
 *       before they get its P-frames.</li>
 * </ul>
 */
final class BitstreamPassthrough implements Encoder {
    private final Codec codec;
    private final ServerConfig config;
    private final ParameterSetCache cache;

    // The producer's thread(s): written in validate(), in streaming order.
    private volatile Av1SequenceHeader checkedAv1Header;
    private volatile boolean keyframeChecked;
    private volatile Checked lastChecked;

    // The pacer's thread.
    private ByteBuffer owned = ByteBuffer.allocate(0);
    private AccessUnit submitted;
    private boolean news;
    private ByteBuffer start;

    private record Checked(VideoFrame frame, AccessUnit unit) {
    }

    BitstreamPassthrough(Codec codec, ServerConfig config) {
        this.codec = codec;
        this.config = config;
        this.cache = new ParameterSetCache(codec, config.width(), config.height());
    }

    @Override
    public Codec codec() {
        return codec;
    }

    @Override
    public Set<VideoFrame.Kind> acceptedKinds() {
        return Set.of(VideoFrame.Kind.BITSTREAM);
    }

    @Override
    public void validate(VideoFrame frame) {
        ByteBuffer view = HostBytes.of(frame);
        Codec seen = AccessUnit.sniff(view);
        if (seen != null && seen != codec) {
            throw new InvalidFrameException("codec", seen, "the access unit is " + seen + " but the session takes "
                    + codec + " (videoInput=" + config.videoInput() + "): start the session with videoInput=" + seen);
        }
        AccessUnit a = AccessUnit.analyze(view, codec, checkedAv1Header);
        ParameterSetCache.checkSize(a, config.width(), config.height());
        Reordering.refuseIfReordering(view, a);
        if (!keyframeChecked && !(a.keyframe() && a.parameterSets())) {
            throw new InvalidFrameException("keyframe", a.unitNames(), "the stream must start with a key frame carrying"
                    + " its parameter sets (" + startUnits() + "); ask the encoder for one (a forced key frame, or"
                    + " regular key frames)");
        }
        keyframeChecked = true;
        if (a.av1Header() != null) {
            checkedAv1Header = a.av1Header();
        }
        lastChecked = new Checked(frame, a);
    }

    private String startUnits() {
        return switch (codec) {
            case H264 -> "SPS, PPS, IDR";
            case H265 -> "VPS, SPS, PPS, IRAP";
            default -> "a sequence header and a key frame";
        };
    }

    @Override
    public void submit(VideoFrame frame) {
        Checked c = lastChecked;
        if (c == null || c.frame() != frame) {
            validate(frame); // not through streamVideo(): parse it here
            c = lastChecked;
        }
        ByteBuffer view = HostBytes.of(frame);
        if (owned.capacity() < view.remaining()) {
            owned = ByteBuffer.allocateDirect(Math.max(view.remaining(), owned.capacity() * 3 / 2));
        }
        owned.clear();
        owned.put(view).flip();
        AccessUnit a = c.unit();
        cache.remember(owned, a);
        if (a.keyframe()) {
            start = null; // the next re-send starts from this one
        }
        submitted = a;
        news = true;
    }

    @Override
    public EncodedFrame encode(long frameNumber, long ptsMicros, boolean keyframe, boolean repeat) {
        if (!repeat && news) {
            news = false;
            if (submitted.keyframe() && !submitted.parameterSets()) {
                // e.g. x265 without repeat-headers: a viewer starting here needs the sets in force
                start = cache.decodableStart();
                if (start != null) {
                    return new EncodedFrame(codec, start.asReadOnlyBuffer(), frameNumber, ptsMicros, true, false);
                }
            }
            return new EncodedFrame(codec, owned.asReadOnlyBuffer(), frameNumber, ptsMicros, submitted.keyframe(), false);
        }
        if (!keyframe) {
            return null;
        }
        if (start == null) {
            start = cache.decodableStart();
            if (start == null) {
                return null;
            }
        }
        return new EncodedFrame(codec, start.asReadOnlyBuffer(), frameNumber, ptsMicros, true, true, true);
    }

    @Override
    public void close() {
        owned = ByteBuffer.allocate(0);
        start = null;
    }
}
