package io.framewire.plugin.webrtc;

import io.framewire.api.HealthReport;
import io.framewire.api.StreamDescription;
import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.InputEvent;
import io.framewire.api.spi.TransportContext;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/** A runtime stand-in: a fixed stream description, and a record of what the transport hands over. */
public final class FakeTransportContext implements TransportContext {
    /** One call from the transport: {@code app}, {@code stage.load} or {@code input}, with its typed value. */
    record Received(String kind, String peerId, Object value) {
    }

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    public final AtomicInteger keyframeRequests = new AtomicInteger();
    /** Every {@link #setNetworkBitrateKbps} value, in order. */
    public final List<Integer> networkBitrates = new CopyOnWriteArrayList<>();
    volatile StreamDescription stream;
    volatile HealthReport health = new HealthReport(HealthReport.State.READY, 5, null,
            new HealthReport.Counters(42, 1, 0, 0, 0, 0, 0, 0, 0));

    public FakeTransportContext(StreamDescription stream) {
        this.stream = stream;
    }

    @Override
    public StreamDescription stream() {
        return stream;
    }

    @Override
    public void onAppMessage(String peerId, AppMessage message) {
        received.add(new Received("app", peerId, message));
    }

    @Override
    public void onStageLoad(String peerId, URI uri) {
        received.add(new Received("stage.load", peerId, uri));
    }

    @Override
    public void onInput(String peerId, InputEvent event) {
        received.add(new Received("input", peerId, event));
    }

    @Override
    public void requestKeyframe() {
        keyframeRequests.incrementAndGet();
    }

    @Override
    public void setNetworkBitrateKbps(int kbps) {
        networkBitrates.add(kbps);
    }

    @Override
    public HealthReport health() {
        return health;
    }

    /** @return the next call, or null after {@code millis} */
    Received next(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }
}
