package io.framewire.plugin.dlpack;

/**
 * Byte offsets of the DLPack 1.1 structs on x86-64 (System V: pointers, int64 and uint64 8-aligned,
 * int32 4-aligned). {@code src/main/native/framewire_dlpack_abi.h} asserts every one of them against
 * the C compiler at build time (it is compiled into the deleter's JNI library).
 *
 * <pre>
 * DLTensor (48 bytes)                         DLManagedTensor (64, legacy)
 *   0  void*    data                            0  DLTensor dl_tensor
 *   8  int32    device.device_type              48 void*    manager_ctx
 *   12 int32    device.device_id                56 void   (*deleter)(DLManagedTensor*)
 *   16 int32    ndim
 *   20 uint8    dtype.code                    DLManagedTensorVersioned (80)
 *   21 uint8    dtype.bits                      0  uint32   version.major
 *   22 uint16   dtype.lanes                     4  uint32   version.minor
 *   24 int64*   shape                           8  void*    manager_ctx
 *   32 int64*   strides (elements, or NULL)     16 void   (*deleter)(DLManagedTensorVersioned*)
 *   40 uint64   byte_offset                     24 uint64   flags
 *                                               32 DLTensor dl_tensor   (header = bytes 0..31)
 * </pre>
 */
final class DlpackLayout {
    private DlpackLayout() {
    }

    // DLTensor
    static final int TENSOR_DATA = 0;
    static final int TENSOR_DEVICE_TYPE = 8;
    static final int TENSOR_DEVICE_ID = 12;
    static final int TENSOR_NDIM = 16;
    static final int TENSOR_DTYPE_CODE = 20;
    static final int TENSOR_DTYPE_BITS = 21;
    static final int TENSOR_DTYPE_LANES = 22;
    static final int TENSOR_SHAPE = 24;
    static final int TENSOR_STRIDES = 32;
    static final int TENSOR_BYTE_OFFSET = 40;
    static final int TENSOR_SIZE = 48;

    // DLManagedTensor (legacy)
    static final int MANAGED_DL_TENSOR = 0;
    static final int MANAGED_MANAGER_CTX = 48;
    static final int MANAGED_DELETER = 56;
    static final int MANAGED_SIZE = 64;

    // DLManagedTensorVersioned
    static final int VERSIONED_MAJOR = 0;
    static final int VERSIONED_MINOR = 4;
    static final int VERSIONED_MANAGER_CTX = 8;
    static final int VERSIONED_DELETER = 16;
    static final int VERSIONED_FLAGS = 24;
    /** Bytes 0..31 (version, manager_ctx, deleter, flags) stay ABI-stable across major versions. */
    static final int VERSIONED_HEADER_SIZE = 32;
    static final int VERSIONED_DL_TENSOR = 32;
    static final int VERSIONED_SIZE = 80;

    /** The DLPack major version this importer reads. */
    static final int SUPPORTED_MAJOR = 1;

    // DLDeviceType
    static final int KDL_CPU = 1;
    static final int KDL_CUDA = 2;
    static final int KDL_CUDA_HOST = 3;
    static final int KDL_CUDA_MANAGED = 13;

    // DLDataTypeCode
    static final int KDL_UINT = 1;
}
