package io.framewire.plugin.webrtc.cc;

/** What the delay trend says about the bottleneck queue. */
enum DelayState {
    /** The queue is steady. */
    NORMAL("normal"),
    /** The queue grows: we send more than the link carries. */
    OVERUSING("overusing"),
    /** The queue drains. */
    UNDERUSING("underusing");

    private final String label;

    DelayState(String label) {
        this.label = label;
    }

    /** @return the lower-case name used in {@link BandwidthEstimator.Snapshot} */
    String label() {
        return label;
    }
}
