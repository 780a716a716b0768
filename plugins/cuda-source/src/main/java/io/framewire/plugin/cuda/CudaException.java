package io.framewire.plugin.cuda;

/** A CUDA driver call returned an error: names the call, the code and the driver's name for it. */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int code;
    private final String errorName;

    public CudaException(String call, int code, String errorName) {
        super(call + " failed: " + errorName + " (" + code + ")");
        this.call = call;
        this.code = code;
        this.errorName = errorName;
    }

    /** @return the driver function, e.g. {@code cuStreamWaitEvent} */
    public String call() { return call; }

    /** @return the {@code CUresult} code */
    public int code() { return code; }

    /** @return {@code cuGetErrorName} of the code, e.g. {@code CUDA_ERROR_INVALID_VALUE} */
    public String errorName() { return errorName; }
}
