"""What the GPU tests share: skips that say what is missing, servers, a colour pattern, and a DLPack
deleter probe that counts how often the server calls each tensor's deleter.

Not a conftest.py on purpose: the CPU tests import their helpers with ``from conftest import ...``,
and a second conftest module here would take that name in ``sys.modules`` when pytest collects this
folder first. The fixtures are imported by the test modules instead.
"""
from __future__ import annotations

import ctypes
import itertools
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

#: 1080p, as the issue's snippets and the Java CUDA example use.
WIDTH, HEIGHT = 1920, 1080
#: The GPU machine carries no WebRTC stack (64 MiB a call): frames go to the counting null transport.
TRANSPORT = os.environ.get("FRAMEWIRE_GPU_TRANSPORT", "null")
#: Where the measurements go besides stdout (run-python.sh points it into $OUT).
FIGURES = os.environ.get("FRAMEWIRE_GPU_FIGURES")


def require_torch_cuda():
    """PyTorch with a CUDA device, or a visible skip naming what is missing."""
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (GPU tests run on the GPU machine)")
    if not torch.cuda.is_available():
        pytest.skip("PyTorch sees no CUDA device (GPU tests run on the GPU machine)")
    return torch


def require_cupy_cuda():
    """CuPy with a CUDA device, or a visible skip naming what is missing."""
    cupy = pytest.importorskip("cupy", reason="CuPy is not installed (GPU tests run on the GPU machine)")
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as e:  # no driver, no device
        pytest.skip(f"CuPy sees no CUDA device ({type(e).__name__}: {e})")
    if count == 0:
        pytest.skip("CuPy sees no CUDA device")
    return cupy


def start_jvm():
    import framewire as fw
    fw.start_jvm(options=["-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"])


def config(video_input, **more):
    """The issue's 1080p settings on the counting transport, on any free port."""
    import framewire as fw
    return fw.ServerConfig(width=WIDTH, height=HEIGHT, video_input=video_input, transport=TRANSPORT, http_port=0, **more)


@contextmanager
def running(settings):
    """A server that is ready for frames: its encoder is bound (before that, frames are dropped)."""
    import framewire as fw
    start_jvm()
    server = fw.Server(settings)
    try:
        wait_until("an encoder is bound", lambda: server.health().encoder is not None, timeout=30)
        yield server
    finally:
        server.close()


def wait_until(what, condition, timeout=10.0, interval=0.01):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(interval)


def counters(server) -> dict[str, int]:
    return server.health().counters


def record(name: str, text: str) -> None:
    """A measurement: printed (pytest -s) and appended to $FRAMEWIRE_GPU_FIGURES."""
    line = f"{name}: {text}"
    print(line)
    if FIGURES:
        with open(FIGURES, "a") as out:
            out.write(line + "\n")


def percentiles(nanos: list[int]) -> str:
    ordered = sorted(nanos)
    if not ordered:
        return "no samples"
    pick = lambda q: ordered[min(len(ordered) - 1, int(len(ordered) * q))] / 1e3  # noqa: E731
    return (f"p50 {pick(0.5):.1f} µs, p99 {pick(0.99):.1f} µs, max {ordered[-1] / 1e3:.1f} µs "
            f"({len(ordered)} calls)")


# -- DLPack structs (dlpack.h, x86-64) and the deleter probe ---------------------------------------

class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice), ("ndim", ctypes.c_int32), ("dtype", DLDataType),
                ("shape", ctypes.POINTER(ctypes.c_int64)), ("strides", ctypes.POINTER(ctypes.c_int64)),
                ("byte_offset", ctypes.c_uint64)]


DELETER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class DLManagedTensor(ctypes.Structure):
    _fields_ = [("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p), ("deleter", ctypes.c_void_p)]


class DLPackVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]


class DLManagedTensorVersioned(ctypes.Structure):
    _fields_ = [("version", DLPackVersion), ("manager_ctx", ctypes.c_void_p), ("deleter", ctypes.c_void_p),
                ("flags", ctypes.c_uint64), ("dl_tensor", DLTensor)]


assert DLManagedTensor.deleter.offset == 56 and DLManagedTensorVersioned.dl_tensor.offset == 32

# Own prototypes (ctypes.pythonapi's functions are shared: setting their argtypes would change them
# for every other user in the process).
_capsule_new = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)(
    ("PyCapsule_New", ctypes.pythonapi))
_capsule_name = ctypes.PYFUNCTYPE(ctypes.c_char_p, ctypes.py_object)(("PyCapsule_GetName", ctypes.pythonapi))
_capsule_pointer = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object, ctypes.c_char_p)(
    ("PyCapsule_GetPointer", ctypes.pythonapi))
_capsule_set_name = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.py_object, ctypes.c_char_p)(
    ("PyCapsule_SetName", ctypes.pythonapi))
# PyCapsule_New and SetName keep the pointer to the name: these live as long as the process.
_NAMES = {name: ctypes.c_char_p(name) for name in
          (b"dltensor", b"dltensor_versioned", b"used_dltensor", b"used_dltensor_versioned", b"not_a_dltensor")}


def capsule_name(capsule) -> bytes | None:
    return _capsule_name(capsule)


def capsule(address: int, name: bytes):
    """A PyCapsule around ``address`` named ``name``, without a destructor."""
    return _capsule_new(address, _NAMES[name], None)


class DeleterProbe:
    """Stands between a producer's DLPack capsule and the server: :meth:`wrap` takes the producer's
    tensor out of its capsule (as a consumer does) and returns a new capsule of the same kind whose
    deleter counts its calls, then calls the producer's deleter. ``calls[key]`` is how often the
    server called the deleter of the tensor ``wrap`` returned ``key`` for; each must end at 1."""

    def __init__(self):
        self.calls: dict[int, int] = {}
        self._keys = itertools.count()
        self._lock = threading.Lock()
        self._kept = {}  # key -> (proxy struct, callback): alive until the probe goes

    def wrap(self, producer_capsule):
        name = capsule_name(producer_capsule)
        assert name in (b"dltensor", b"dltensor_versioned"), name
        address = _capsule_pointer(producer_capsule, name)
        assert _capsule_set_name(producer_capsule, _NAMES[b"used_" + name]) == 0
        versioned = name == b"dltensor_versioned"
        struct = DLManagedTensorVersioned if versioned else DLManagedTensor
        original = struct.from_address(address)
        original_deleter = DELETER(original.deleter) if original.deleter else None
        key = next(self._keys)
        self.calls[key] = 0

        def deleter(_proxy_address, key=key, address=address):
            with self._lock:
                self.calls[key] += 1
            if original_deleter is not None:
                original_deleter(address)

        callback = DELETER(deleter)
        proxy = struct()
        ctypes.memmove(ctypes.addressof(proxy), address, ctypes.sizeof(struct))
        proxy.manager_ctx = None
        proxy.deleter = ctypes.cast(callback, ctypes.c_void_p).value
        self._kept[key] = (proxy, callback)
        return capsule(ctypes.addressof(proxy), name), key

    def pending(self) -> list[int]:
        """Keys whose deleter was not called yet."""
        with self._lock:
            return [k for k, n in self.calls.items() if n == 0]

    def twice(self) -> list[int]:
        with self._lock:
            return [k for k, n in self.calls.items() if n > 1]


def sample_access_units(limit: int = 60) -> list[bytes]:
    """The distribution's sample H.264 file (1080p30), split into access units, or a skip."""
    import framewire as fw
    candidates = [fw.distribution_home() / "samples" / "testsrc-1080p30.h264",
                  Path(__file__).resolve().parents[3] / "distribution/src/main/dist/samples/testsrc-1080p30.h264"]
    sample = next((p for p in candidates if p.is_file()), None)
    if sample is None:
        pytest.skip("no sample H.264 file (distribution samples/testsrc-1080p30.h264)")
    data = sample.read_bytes()
    # Annex B: a new access unit starts at an AUD, SEI, SPS or PPS, or at a slice with
    # first_mb_in_slice 0 (its first bit set), once the current unit holds a slice.
    starts = []
    i = data.find(b"\x00\x00\x01")
    while i >= 0 and i + 4 < len(data):
        begin = i - 1 if i > 0 and data[i - 1] == 0 else i
        starts.append((begin, data[i + 3] & 0x1F, bool(data[i + 4] & 0x80)))
        i = data.find(b"\x00\x00\x01", i + 3)
    units, start, has_slice = [], 0, False
    for begin, nal_type, first_mb in starts:
        if has_slice and (nal_type in (6, 7, 8, 9) or (nal_type in (1, 5) and first_mb)):
            units.append(data[start:begin])
            start, has_slice = begin, False
            if len(units) == limit:
                return units
        has_slice = has_slice or nal_type in (1, 5)
    units.append(data[start:])
    return units[:limit]
