"""DLPack ownership with PyTorch and CuPy tensors on a CUDA device: legacy (``dltensor``) and
versioned (``dltensor_versioned``) capsules, capsules of another kind or already consumed (refused
with InvalidFrameError, never a crash), references held exactly until the next stream_video()
returns, and each tensor's deleter called exactly once (counted by a probe between the producer's
capsule and the server, see gpu_support.DeleterProbe)."""
import ctypes
import gc
import sys
import time

import pytest

import framewire as fw
from framewire import CudaSync, VideoFrame, VideoInput
from gpu_support import (HEIGHT, WIDTH, DeleterProbe, capsule, capsule_name, config, counters, record,
                         require_cupy_cuda, require_torch_cuda, running, wait_until)

pytestmark = pytest.mark.gpu


def torch_frame(torch, i):
    """A fresh BGRA8 picture on the GPU whose colour follows ``i``."""
    return torch.tensor([i % 256, (3 * i) % 256, 255 - i % 256, 255], dtype=torch.uint8,
                        device="cuda").expand(HEIGHT, WIDTH, 4).contiguous()


def cupy_frame(cupy, i):
    return cupy.broadcast_to(cupy.asarray([i % 256, (3 * i) % 256, 255 - i % 256, 255], dtype=cupy.uint8),
                             (HEIGHT, WIDTH, 4)).copy()


def stream_paced(server, frames, fps=60):
    for frame in frames:
        server.stream_video(frame)
        time.sleep(1 / fps)


def test_torch_legacy_and_versioned_capsules_are_released_exactly_once():
    torch = require_torch_cuda()
    probe = DeleterProbe()
    kinds = {}
    with running(config(VideoInput.TENSOR)) as server:
        sent_before = counters(server)["frames_sent"]
        for i in range(40):
            tensor = torch_frame(torch, i)
            if i % 2:
                producer = torch.utils.dlpack.to_dlpack(tensor)  # legacy DLManagedTensor, no stream sync
            else:
                try:
                    producer = tensor.__dlpack__(max_version=(1, 0))
                except TypeError:
                    pytest.skip(f"torch {torch.__version__}: __dlpack__ has no max_version (no versioned capsules)")
            name = capsule_name(producer)
            wrapped, key = probe.wrap(producer)
            kinds[key] = name
            # a bare capsule carries no sync: follow PyTorch's current stream (the legacy default one)
            server.stream_video(VideoFrame.from_dlpack(wrapped, sync=CudaSync(stream=torch.cuda.current_stream())))
            assert capsule_name(wrapped) == b"used_" + name, "the capsule is marked as consumed"
            del tensor, producer, wrapped
            time.sleep(1 / 60)
        wait_until("frames sent", lambda: counters(server)["frames_sent"] > sent_before + 10)
        assert counters(server)["frames_refused"] == 0
        assert set(kinds.values()) == {b"dltensor", b"dltensor_versioned"}, kinds
        assert probe.twice() == []
        held = probe.pending()
        assert len(held) <= 2, f"only the newest pictures may still be held, not {held}"
    assert probe.pending() == [] and probe.twice() == [], probe.calls
    record("torch DLPack deleters", f"{len(probe.calls)} tensors ({sum(n == b'dltensor' for n in kinds.values())} "
           f"legacy, {sum(n == b'dltensor_versioned' for n in kinds.values())} versioned), each deleter called "
           f"exactly once; {len(held)} held until close()")


def test_cupy_dlpack_capsules_are_released_exactly_once_and_the_references_come_back():
    cupy = require_cupy_cuda()
    probe = DeleterProbe()
    names = set()
    with running(config(VideoInput.TENSOR)) as server:
        first = cupy_frame(cupy, 0)
        baseline = sys.getrefcount(first)
        server.stream_video(VideoFrame.from_dlpack(first))
        assert sys.getrefcount(first) > baseline, "the server holds the array it was given"
        second = cupy_frame(cupy, 1)
        second_baseline = sys.getrefcount(second)
        server.stream_video(VideoFrame.from_dlpack(second))
        # the Python references go when the next stream_video() returns; CuPy's own (its capsule's)
        # when the server calls the deleter: once a newer picture was converted, within a tick or two
        started = time.monotonic()
        wait_until("the first array's references are back", lambda: sys.getrefcount(first) == baseline, timeout=2)
        record("CuPy DLPack reference back", f"{(time.monotonic() - started) * 1e3:.1f} ms after the next "
               "stream_video() returned")
        for i in range(30):
            array = cupy_frame(cupy, i)
            producer = array.__dlpack__(stream=1)
            names.add(capsule_name(producer))
            wrapped, _ = probe.wrap(producer)
            server.stream_video(VideoFrame.from_dlpack(wrapped, sync=CudaSync(stream=1)))
            del array, producer, wrapped
            time.sleep(1 / 60)
        assert probe.twice() == [] and len(probe.pending()) <= 2
        assert counters(server)["frames_refused"] == 0
        wait_until("the second array's references are back", lambda: sys.getrefcount(second) == second_baseline,
                   timeout=2)
    assert probe.pending() == [] and probe.twice() == [], probe.calls
    gc.collect()
    assert (sys.getrefcount(first), sys.getrefcount(second)) == (baseline, second_baseline)
    record("CuPy DLPack deleters", f"{len(probe.calls)} capsules {sorted(n.decode() for n in names)}, each deleter "
           "called exactly once")


def test_torch_references_return_to_baseline_after_the_next_call_and_after_close():
    torch = require_torch_cuda()
    with running(config(VideoInput.TENSOR)) as server:
        tensor = torch_frame(torch, 1)
        array_like = torch_frame(torch, 2)
        base_tensor, base_array = sys.getrefcount(tensor), sys.getrefcount(array_like)
        server.stream_video(VideoFrame.from_dlpack(tensor))
        assert sys.getrefcount(tensor) > base_tensor
        server.stream_video(VideoFrame.from_cuda_array(array_like, sync=CudaSync(stream=1)))
        assert sys.getrefcount(tensor) == base_tensor, "released when the next stream_video() returned"
        assert sys.getrefcount(array_like) > base_array, "a CUDA Array Interface object is held until the next call"
    assert sys.getrefcount(array_like) == base_array, "close() let go of the last frame"
    assert sys.getrefcount(tensor) == base_tensor


def test_capsules_of_another_kind_or_already_consumed_are_refused_not_crashing():
    torch = require_torch_cuda()
    probe = DeleterProbe()
    with running(config(VideoInput.TENSOR)) as server:
        tensor = torch_frame(torch, 7)
        torch.cuda.synchronize()
        storage = ctypes.create_string_buffer(128)
        foreign = capsule(ctypes.addressof(storage), b"not_a_dltensor")
        with pytest.raises(fw.InvalidFrameError) as refused:
            server.stream_video(VideoFrame.from_dlpack(foreign))
        assert (refused.value.field, refused.value.value) == ("capsule.name", "not_a_dltensor")
        assert capsule_name(foreign) == b"not_a_dltensor", "a refused capsule is left as it was"

        once, key = probe.wrap(tensor.__dlpack__(stream=1))
        server.stream_video(VideoFrame.from_dlpack(once, sync=CudaSync(stream=1)))
        with pytest.raises(fw.InvalidFrameError) as twice:
            server.stream_video(VideoFrame.from_dlpack(once, sync=CudaSync(stream=1)))
        assert twice.value.field == "capsule.name" and "already consumed" in twice.value.rule

        # a tensor the server refuses after taking it (wrong size) is released at once, exactly once
        small = torch.zeros((HEIGHT // 2, WIDTH, 4), dtype=torch.uint8, device="cuda")
        wrong, wrong_key = probe.wrap(torch.utils.dlpack.to_dlpack(small))
        with pytest.raises(fw.InvalidFrameError) as size:
            server.stream_video(VideoFrame.from_dlpack(wrong, sync=CudaSync(stream=1)))
        assert size.value.field in ("height", "dl_tensor.shape[0]"), size.value
        assert probe.calls[wrong_key] == 1, "a refused tensor is released before stream_video() raises"
        float_tensor = torch.zeros((HEIGHT, WIDTH, 4), dtype=torch.float32, device="cuda")
        with pytest.raises(fw.InvalidFrameError) as dtype:
            server.stream_video(VideoFrame.from_dlpack(float_tensor))
        assert dtype.value.field.startswith("dl_tensor.dtype"), dtype.value
        record("refusals", f"foreign capsule: {refused.value}; consumed: {twice.value.field}; "
               f"wrong size: {size.value}; float32: {dtype.value}")

        # the stream goes on
        before = counters(server)
        stream_paced(server, [VideoFrame.from_dlpack(torch_frame(torch, i)) for i in range(30)])
        wait_until("frames sent after the refusals", lambda: counters(server)["frames_sent"] > before["frames_sent"] + 10)
        assert counters(server)["frames_refused"] == before["frames_refused"]
        assert server.health().state == "READY"
    assert probe.pending() == [] and probe.twice() == [], probe.calls
