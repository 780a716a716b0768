package io.framewire.testing.spi;

import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.EncodedFrame;
import io.framewire.api.spi.ErrorMessage;
import io.framewire.api.spi.OutgoingMessage;
import io.framewire.api.spi.StageEvent;
import io.framewire.api.spi.Transport;
import io.framewire.api.spi.TransportContext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport that records what it gets: each frame (with its arrival time and, for the
 * {@link CentrePixelEncoder}'s output, the centre pixel) and each outgoing message.
 */
public final class RecordingTransport implements Transport {
    /** One sent frame: when it arrived and what it carried. */
    public record Sent(long nanos, int centrePixel, boolean repeat, boolean keyframe, long frameNumber) {
    }

    /** Frames in arrival order. */
    public final List<Sent> frames = new CopyOnWriteArrayList<>();
    /** Outgoing messages in order. */
    public final List<OutgoingMessage> messages = new CopyOnWriteArrayList<>();
    /** The peer each message went to ("null" for all peers). */
    public final List<String> messagePeers = new CopyOnWriteArrayList<>();
    /** The context of the last start. */
    public volatile TransportContext context;
    /** How often the transport was started. */
    public volatile int starts;
    /** True after stop. */
    public volatile boolean stopped;

    @Override
    public void start(TransportContext ctx) {
        context = ctx;
        starts++;
        stopped = false;
    }

    @Override
    public void send(EncodedFrame frame) {
        ByteBuffer data = frame.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int centre = data.remaining() >= 4 ? data.getInt(data.position()) : 0;
        frames.add(new Sent(System.nanoTime(), centre, frame.repeat(), frame.keyframe(), frame.frameNumber()));
    }

    @Override
    public void sendMessage(String peerId, OutgoingMessage message) {
        messagePeers.add(String.valueOf(peerId));
        messages.add(message);
    }

    /** @return the stage events sent so far */
    public List<StageEvent> stageEvents() {
        return messages.stream().filter(StageEvent.class::isInstance).map(StageEvent.class::cast).toList();
    }

    /** @return whether a stage event of {@code kind} for {@code uri} was sent */
    public boolean sentStageEvent(StageEvent.Kind kind, String uri) {
        return stageEvents().stream().anyMatch(e -> e.kind() == kind && e.uri().toString().equals(uri));
    }

    /** @return the app messages' JSON texts sent so far */
    public List<String> appMessages() {
        return messages.stream().filter(AppMessage.class::isInstance).map(m -> ((AppMessage) m).json()).toList();
    }

    /** @return the error texts sent so far */
    public List<String> errors() {
        return messages.stream().filter(ErrorMessage.class::isInstance).map(m -> ((ErrorMessage) m).text()).toList();
    }

    @Override
    public int peerCount() {
        return 0;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    /** @return the centre pixel of the last frame */
    public int lastCentrePixel() {
        return frames.get(frames.size() - 1).centrePixel();
    }
}
