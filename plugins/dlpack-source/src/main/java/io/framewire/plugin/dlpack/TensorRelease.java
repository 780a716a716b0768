package io.framewire.plugin.dlpack;

import java.util.concurrent.atomic.AtomicBoolean;

/** Calls a managed tensor's deleter once, whoever asks first and however often they ask. */
final class TensorRelease implements Runnable {
    private final long tensor;
    private final long deleter;
    private final AtomicBoolean released = new AtomicBoolean();

    TensorRelease(long tensor, long deleter) {
        this.tensor = tensor;
        this.deleter = deleter;
    }

    @Override
    public void run() {
        if (released.compareAndSet(false, true)) {
            DlpackDeleter.invoke(deleter, tensor); // NULL deleter: nothing to call
        }
    }
}
