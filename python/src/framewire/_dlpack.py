"""DLPack capsules: take the tensor's ownership out of a capsule exactly once.

A producer's ``__dlpack__()`` returns a PyCapsule named ``dltensor`` (``DLManagedTensor``) or
``dltensor_versioned`` (``DLManagedTensorVersioned``, DLPack 1.x). The consumer that takes the
tensor renames the capsule ``used_dltensor``/``used_dltensor_versioned``, so that the capsule's
destructor no longer calls the tensor's deleter: the consumer (here the server) calls it, once.
The struct kind is read from the capsule's name, never from the caller: reading one struct as the
other would call a deleter at the wrong offset.
"""
from __future__ import annotations

import ctypes

from ._errors import InvalidFrameError

LEGACY = b"dltensor"
VERSIONED = b"dltensor_versioned"
# Kept for the life of the process: PyCapsule_SetName stores the pointer, not a copy.
_USED = {LEGACY: ctypes.c_char_p(b"used_dltensor"), VERSIONED: ctypes.c_char_p(b"used_dltensor_versioned")}
#: DLPack device types (dlpack.h DLDeviceType) this package hands to the server.
KDL_CPU, KDL_CUDA, KDL_CUDA_HOST, KDL_CUDA_MANAGED = 1, 2, 3, 13
#: The newest DLPack major version the server reads (its importer refuses other majors).
MAX_VERSION = (1, 0)

_api = ctypes.pythonapi
_api.PyCapsule_IsValid.restype = ctypes.c_int
_api.PyCapsule_IsValid.argtypes = [ctypes.py_object, ctypes.c_char_p]
_api.PyCapsule_GetName.restype = ctypes.c_char_p
_api.PyCapsule_GetName.argtypes = [ctypes.py_object]
_api.PyCapsule_GetPointer.restype = ctypes.c_void_p
_api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
_api.PyCapsule_SetName.restype = ctypes.c_int
_api.PyCapsule_SetName.argtypes = [ctypes.py_object, ctypes.c_char_p]


def is_capsule(obj) -> bool:
    return type(obj).__name__ == "PyCapsule"


def device_type(obj) -> int | None:
    """The DLPack device type of a producer (``__dlpack_device__``), or None when it does not say."""
    device = getattr(obj, "__dlpack_device__", None)
    if device is None:
        return None
    kind, _ = device()
    return int(kind)


def export(obj, stream: int | None):
    """Calls ``obj.__dlpack__``, asking for the versioned struct first (``max_version``) and
    falling back to the legacy one for producers that predate DLPack 1.0."""
    producer = getattr(obj, "__dlpack__", None)
    if producer is None:
        raise InvalidFrameError("tensor", type(obj).__name__, "must implement __dlpack__ or be a DLPack capsule")
    kwargs = {} if stream is None else {"stream": stream}
    try:
        return producer(max_version=MAX_VERSION, **kwargs)
    except TypeError:
        return producer(**kwargs)  # no max_version keyword: a legacy producer


def take(capsule) -> tuple[int, bool]:
    """Takes the tensor out of ``capsule``: returns its struct's address and whether it is the
    versioned struct, and renames the capsule ``used_...`` so its owner never deletes it.

    Raises :class:`InvalidFrameError` (and leaves the capsule as it was) for a capsule already
    consumed or of another kind.
    """
    if not is_capsule(capsule):
        raise InvalidFrameError("capsule", type(capsule).__name__, "must be a PyCapsule from __dlpack__()")
    name = _api.PyCapsule_GetName(capsule)
    if name in (b"used_dltensor", b"used_dltensor_versioned"):
        raise InvalidFrameError("capsule.name", name.decode(), "was already consumed: a DLPack capsule hands its "
                                "tensor over once (call __dlpack__() again for a new one)")
    if name not in (LEGACY, VERSIONED):
        raise InvalidFrameError("capsule.name", None if name is None else name.decode(errors="replace"),
                                "must be 'dltensor' or 'dltensor_versioned'")
    address = _api.PyCapsule_GetPointer(capsule, name)
    if not address:
        raise InvalidFrameError("capsule.pointer", 0, "must not be NULL")
    if _api.PyCapsule_SetName(capsule, _USED[name]) != 0:
        raise InvalidFrameError("capsule.name", name.decode(), "could not be marked as used")
    return address, name == VERSIONED
