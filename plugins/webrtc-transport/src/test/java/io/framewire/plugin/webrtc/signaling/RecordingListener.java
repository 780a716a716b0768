package io.framewire.plugin.webrtc.signaling;

import io.framewire.api.spi.AppMessage;
import io.framewire.api.spi.KeyInput;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** A fake application: records calls; offers "slow" sleep 2 s, "reject" throws. */
final class RecordingListener implements SignalingListener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<PointerEvent> pointers = new CopyOnWriteArrayList<>();
    final List<KeyInput> keys = new CopyOnWriteArrayList<>();

    private void record(String event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    @Override
    public void onConnect(SignalingPeer peer) {
        record("connect " + peer.peerId());
    }

    @Override
    public String onOffer(SignalingPeer peer, String sdp) throws Exception {
        record("offer " + sdp);
        if ("slow".equals(sdp)) {
            Thread.sleep(2000);
        }
        if ("reject".equals(sdp)) {
            throw new IllegalArgumentException("no video m-line");
        }
        return "answer-to:" + sdp;
    }

    @Override
    public void onCandidate(SignalingPeer peer, String candidate, String sdpMid, Integer sdpMLineIndex) {
        record("candidate " + candidate + " " + sdpMid + " " + sdpMLineIndex);
    }

    @Override
    public void onAppMessage(SignalingPeer peer, AppMessage message) {
        String json = message.json();
        record("app " + (json.length() > 100 ? "len=" + json.length() : json));
    }

    @Override
    public void onPointer(SignalingPeer peer, PointerEvent event) {
        pointers.add(event);
        record("pointer " + event.kind());
    }

    @Override
    public void onKey(SignalingPeer peer, KeyInput event) {
        keys.add(event);
        record("key " + event.kind() + " " + event.code());
    }

    @Override
    public void onStageLoad(SignalingPeer peer, URI uri) {
        record("stage.load " + uri + " (" + uri.getScheme() + ")");
    }

    @Override
    public void onDisconnect(SignalingPeer peer) {
        record("disconnect " + peer.peerId());
    }
}
