package io.framewire.plugin.dlpack;

import io.framewire.api.VideoFrame;
import io.framewire.api.spi.ImportedFrame;

/** A tensor seen as a BGRA frame; closing it calls the tensor's deleter (once). */
final class DlpackImport implements ImportedFrame {
    private final VideoFrame frame;
    private final TensorRelease release;

    DlpackImport(VideoFrame frame, TensorRelease release) {
        this.frame = frame;
        this.release = release;
    }

    @Override
    public VideoFrame frame() {
        return frame;
    }

    @Override
    public void close() {
        release.run();
    }

    @Override
    public String toString() {
        return "DlpackImport[" + frame + "]";
    }
}
