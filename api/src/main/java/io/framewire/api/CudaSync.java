package io.framewire.api;

/**
 * How the server orders its reads of a device frame after the producer's GPU work, without
 * blocking the host thread.
 *
 * <ul>
 *   <li>{@code waitEvent != 0}: the server's CUDA stream waits on this event
 *       ({@code cuStreamWaitEvent}) before it reads the buffer. The producer records the event
 *       after the work that writes the frame.</li>
 *   <li>{@code waitEvent == 0}: the producer's {@code stream} is followed with the CUDA Array
 *       Interface rules: {@code 1} is the legacy default stream, {@code 2} the per-thread default
 *       stream, anything else a {@code CUstream} handle. {@code 0} is refused (ambiguous).</li>
 * </ul>
 *
 * @param stream    the producer's CUDA stream handle, or 0 when only an event is given
 * @param waitEvent a {@code CUevent} recorded by the producer after writing the frame, or 0
 */
public record CudaSync(long stream, long waitEvent) {

    /**
     * @throws InvalidFrameException when neither a stream nor an event is given
     */
    public CudaSync {
        if (stream == 0 && waitEvent == 0) {
            throw new InvalidFrameException("cudaSync.stream", stream,
                    "give a stream (1 legacy default, 2 per-thread default, or a handle) or a waitEvent");
        }
    }

    /** @return a sync that makes the server wait on {@code event} */
    public static CudaSync onEvent(long stream, long event) {
        return new CudaSync(stream, event);
    }

    /** @return a sync that follows {@code stream} (CUDA Array Interface rules) */
    public static CudaSync onStream(long stream) {
        return new CudaSync(stream, 0);
    }

    /** @return true when the server waits on {@link #waitEvent()} */
    public boolean hasEvent() {
        return waitEvent != 0;
    }
}
