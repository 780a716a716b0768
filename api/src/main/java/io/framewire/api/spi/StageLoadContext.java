package io.framewire.api.spi;

/** What a {@link StageLoader} reports to, and checks, while it loads. */
public interface StageLoadContext {
    /**
     * Reports progress; the runtime announces it to peers as a {@code stage.progress} message.
     *
     * @param fraction 0.0 to 1.0
     * @param detail   a short human-readable note, may be null
     */
    void progress(double fraction, String detail);

    /** @return true when a newer load request cancelled this one; the loader should return soon */
    boolean isCancelled();
}
