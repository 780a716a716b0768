/*
 * Compile-time check that the offsets DlpackLayout.java reads at match the C ABI of the compiler
 * that builds the deleter library (x86-64 System V here). Included into the JNI code that JavaCPP's
 * Builder generates for DlpackDeleter: a mismatch fails the build, not a frame.
 */
#ifndef FRAMEWIRE_DLPACK_ABI_H_
#define FRAMEWIRE_DLPACK_ABI_H_

#include <stddef.h>
#include "dlpack.h"

#define FW_ABI(expr) static_assert(expr, #expr)

FW_ABI(sizeof(DLTensor) == 48);
FW_ABI(offsetof(DLTensor, data) == 0);
FW_ABI(offsetof(DLTensor, device) == 8);
FW_ABI(sizeof(DLDeviceType) == 4);
FW_ABI(offsetof(DLDevice, device_id) == 4);
FW_ABI(offsetof(DLTensor, ndim) == 16);
FW_ABI(offsetof(DLTensor, dtype) == 20);
FW_ABI(offsetof(DLDataType, bits) == 1);
FW_ABI(offsetof(DLDataType, lanes) == 2);
FW_ABI(offsetof(DLTensor, shape) == 24);
FW_ABI(offsetof(DLTensor, strides) == 32);
FW_ABI(offsetof(DLTensor, byte_offset) == 40);

FW_ABI(sizeof(DLManagedTensor) == 64);
FW_ABI(offsetof(DLManagedTensor, dl_tensor) == 0);
FW_ABI(offsetof(DLManagedTensor, manager_ctx) == 48);
FW_ABI(offsetof(DLManagedTensor, deleter) == 56);

FW_ABI(sizeof(DLManagedTensorVersioned) == 80);
FW_ABI(offsetof(DLManagedTensorVersioned, version) == 0);
FW_ABI(offsetof(DLPackVersion, minor) == 4);
FW_ABI(offsetof(DLManagedTensorVersioned, manager_ctx) == 8);
FW_ABI(offsetof(DLManagedTensorVersioned, deleter) == 16);
FW_ABI(offsetof(DLManagedTensorVersioned, flags) == 24);
FW_ABI(offsetof(DLManagedTensorVersioned, dl_tensor) == 32);

#undef FW_ABI
#endif
