"""Frames as the server takes them: host arrays, CUDA pointers, CUDA Array Interface objects,
DLPack tensors and pre-encoded access units. A frame describes the caller's memory; nothing is copied."""
from __future__ import annotations

import ctypes
import functools
from dataclasses import dataclass

import numpy as np

from . import _dlpack, _jvm
from ._config import VideoInput
from ._errors import InvalidFrameError, translated


def handle(obj, field: str) -> int:
    """A CUDA stream or event handle from an int, a PyTorch stream/event or a CuPy stream/event.

    A PyTorch or CuPy stream object whose handle is 0 is the legacy default stream (what
    ``torch.cuda.current_stream()`` and ``cupy.cuda.Stream.null`` give by default): it becomes 1,
    its number in the CUDA Array Interface, since 0 is refused there as ambiguous. An int is
    taken as it is."""
    if obj is None:
        return 0
    if isinstance(obj, bool):
        raise InvalidFrameError(field, obj, "must be an int handle or a PyTorch/CuPy stream or event")
    if isinstance(obj, int):
        return obj
    for attribute in ("cuda_stream", "cuda_event", "ptr"):  # torch.cuda.Stream, torch.cuda.Event, CuPy
        value = getattr(obj, attribute, None)
        if isinstance(value, int):
            return 1 if value == 0 and field == "stream" else value
    parameter = getattr(obj, "_as_parameter_", None)  # ctypes-style handles
    if parameter is not None and getattr(parameter, "value", None) is not None:
        return int(parameter.value)
    raise InvalidFrameError(field, type(obj).__name__, "must be an int handle or a PyTorch/CuPy stream or event")


@dataclass(frozen=True)
class CudaSync:
    """How the server orders its reads after the producer's GPU work, without blocking the host.

    ``wait_event``: the server's CUDA stream waits on this event (record it after the work that
    writes the frame). ``stream`` alone: the server follows that stream (1: legacy default stream,
    2: per-thread default stream, else a handle). Both take ints, PyTorch or CuPy objects.
    """
    stream: object = None
    wait_event: object = None

    def java(self):
        with translated():
            return _jvm.api("CudaSync")(handle(self.stream, "stream"), handle(self.wait_event, "wait_event"))


class VideoFrame:
    """One frame for :meth:`Server.stream_video`.

    ``VideoFrame(buffer, width, height, pitch_bytes)``:
      * ``buffer`` an int: a CUDA device pointer to BGRA8 pixels (``pitch_bytes`` defaults to ``width * 4``);
      * ``buffer`` a NumPy array (H x W x 4 uint8, rows contiguous) or another writable buffer: BGRA8
        in host memory (width and height from its shape).

    ``VideoFrame(buffer, width, height, size_bytes=n)``: one pre-encoded access unit (H.264, H.265,
    AV1) of ``n`` bytes at a host pointer (int) or in a bytes-like object.

    The server reads the memory until the next ``stream_video()`` on the same server returns; the
    server keeps a reference to ``buffer`` (and to the objects of the factories below) until then.
    """

    __slots__ = ("_java", "_source", "_tensor", "_sync", "width", "height")

    def __init__(self, buffer, width: int | None = None, height: int | None = None, pitch_bytes: int | None = None,
                 size_bytes: int = 0, sync: CudaSync | None = None):
        self._tensor = None
        self._sync = sync
        self._source = buffer
        if size_bytes:
            self._java = _encoded(buffer, width, height, size_bytes)
        elif isinstance(buffer, int) and not isinstance(buffer, bool):
            if width is None or height is None:
                raise InvalidFrameError("width" if width is None else "height", None,
                                        "is required with a device pointer")
            with translated():
                self._java = _jvm.api("VideoFrame").deviceBuffer(
                    buffer, width, height, width * 4 if pitch_bytes is None else pitch_bytes)
        else:
            self._java = _host_bgra(buffer, width, height, pitch_bytes)
        if sync is not None:
            with translated():
                self._java = self._java.withSync(sync.java())
        self.width = int(self._java.width())
        self.height = int(self._java.height())

    @classmethod
    def from_cuda_array(cls, obj, sync: CudaSync | None = None) -> "VideoFrame":
        """A frame from an object with ``__cuda_array_interface__`` (v2 or v3; H x W x 4 uint8, BGRA).
        The interface's ``stream`` (v3) is followed unless ``sync`` says otherwise."""
        interface = getattr(obj, "__cuda_array_interface__", None)
        if interface is None:
            raise InvalidFrameError("obj", type(obj).__name__, "must have __cuda_array_interface__")
        frame = cls.__new__(cls)
        frame._tensor = None
        frame._sync = sync
        frame._source = obj
        with translated():
            java = _jvm.api("VideoFrame").fromCudaArray(_jvm.api("CudaArrayInterface").fromMap(_java_map(interface)))
            if sync is not None:
                java = java.withSync(sync.java())
        frame._java = java
        frame.width = int(java.width())
        frame.height = int(java.height())
        return frame

    @classmethod
    def from_dlpack(cls, tensor, sync: CudaSync | None = None) -> "VideoFrame":
        """A frame from a DLPack producer (PyTorch, CuPy, JAX, NumPy, ...) or a DLPack capsule.

        The tensor is exported when the frame is streamed: its ownership passes to the server,
        which calls its deleter exactly once. Without ``sync``, a CUDA tensor is made ready on the
        legacy default stream by its producer (``__dlpack__(stream=1)``) and the server follows it.
        """
        frame = cls.__new__(cls)
        frame._java = None
        frame._tensor = tensor
        frame._sync = sync
        frame._source = tensor
        frame.width = frame.height = 0  # read from the tensor by the server
        return frame

    def __repr__(self) -> str:
        return f"VideoFrame({self._java if self._java is not None else 'DLPack ' + type(self._tensor).__name__})"

    def _for(self, video_input: str):
        """The Java frame to stream now. A DLPack frame is exported here (once per call)."""
        if self._tensor is None:
            return self._java
        if video_input != VideoInput.TENSOR.value:
            raise InvalidFrameError("kind", "DLPACK", f"does not match the session's videoInput {video_input} "
                                    "(DLPack tensors need video_input=TENSOR)")
        cuda = False
        if _dlpack.is_capsule(self._tensor):
            capsule = self._tensor
        else:
            device = _dlpack.device_type(self._tensor)
            cuda = device in (_dlpack.KDL_CUDA, _dlpack.KDL_CUDA_MANAGED)
            stream = None
            if cuda:
                stream = -1 if self._sync is not None and self._sync.wait_event is not None else (
                    handle(self._sync.stream, "stream") if self._sync is not None else 1)
            capsule = _dlpack.export(self._tensor, stream)
        address, versioned = _dlpack.take(capsule)
        struct = _jvm.api("VideoFrame$DlpackStruct")
        java = _jvm.api("VideoFrame").fromDlpack(address, struct.MANAGED_TENSOR_VERSIONED if versioned
                                                 else struct.MANAGED_TENSOR)
        if self._sync is not None:
            java = java.withSync(self._sync.java())
        elif cuda:
            java = java.withSync(_jvm.api("CudaSync").onStream(1))
        return java


def _host_bgra(buffer, width, height, pitch_bytes):
    try:
        array = buffer if isinstance(buffer, np.ndarray) else np.frombuffer(buffer, dtype=np.uint8)
    except (TypeError, ValueError):
        raise InvalidFrameError("buffer", type(buffer).__name__, "must be a CUDA pointer (int), a NumPy array or a "
                                "writable buffer; GPU tensors: VideoFrame.from_dlpack or from_cuda_array") from None
    if array.dtype != np.uint8:
        raise InvalidFrameError("buffer.dtype", str(array.dtype), "must be uint8 (BGRA8)")
    if array.ndim == 3:
        if array.shape[2] != 4:
            raise InvalidFrameError("buffer.shape", tuple(array.shape), "must be (height, width, 4) for BGRA8")
        height = array.shape[0] if height is None else height
        width = array.shape[1] if width is None else width
    if not array.flags.c_contiguous:
        raise InvalidFrameError("buffer", "non-contiguous", "must be C-contiguous (use numpy.ascontiguousarray)")
    if width is None or height is None:
        raise InvalidFrameError("width" if width is None else "height", None, "is required for a flat buffer")
    if not array.flags.writeable:
        raise InvalidFrameError("buffer", "read-only", "must be writable memory (the server only reads it; "
                                "JPype shares writable buffers without a copy)")
    return _host_frame(array.ctypes.data, array.nbytes, width, height, width * 4 if pitch_bytes is None else pitch_bytes)


@functools.lru_cache(maxsize=16)
def _host_frame(address: int, nbytes: int, width: int, height: int, pitch_bytes: int):
    """The Java frame over host memory at ``address``. Cached: a producer that draws into the same
    few arrays (double buffering) pays for the Java objects once. A cached frame is only a view of
    an address range, so it stays right when other memory later takes that address.

    The view is a ctypes array that does not own the memory: JPype keeps the object it converts
    until the JVM collects the buffer, and the NumPy array itself must not live that long. The
    Server holds the array until the next stream_video() returns, when the server is done reading it.
    """
    import jpype.nio
    view = (ctypes.c_ubyte * nbytes).from_address(address)
    with translated():
        return _jvm.api("VideoFrame").hostBuffer(jpype.nio.convertToDirectBuffer(view), width, height, pitch_bytes)


def _encoded(buffer, width, height, size_bytes):
    if width is None or height is None:
        raise InvalidFrameError("width" if width is None else "height", None, "is required for an access unit")
    if isinstance(buffer, int) and not isinstance(buffer, bool):
        address = buffer
    else:
        view = np.frombuffer(buffer, dtype=np.uint8)
        if size_bytes > view.size:
            raise InvalidFrameError("size_bytes", size_bytes, f"must be <= the buffer's {view.size} bytes")
        address = view.ctypes.data
    with translated():
        return _jvm.api("VideoFrame").encoded(address, width, height, size_bytes)


def _java_map(interface: dict):
    """``__cuda_array_interface__`` as the Java ``CudaArrayInterface.fromMap`` reads it."""
    import jpype
    HashMap, ArrayList = jpype.JClass("java.util.HashMap"), jpype.JClass("java.util.ArrayList")

    def convert(value):
        if value is None:
            return None
        if isinstance(value, bool):
            return jpype.JClass("java.lang.Boolean")(value)
        if isinstance(value, int):
            return jpype.JClass("java.lang.Long")(value)
        if isinstance(value, str):
            return jpype.JString(value)
        if isinstance(value, (list, tuple)):
            items = ArrayList()
            for item in value:
                items.add(convert(item))
            return items
        return jpype.JString(str(value))  # e.g. descr: ignored by the server

    result = HashMap()
    for key, value in interface.items():
        result.put(jpype.JString(key), convert(value))
    return result
