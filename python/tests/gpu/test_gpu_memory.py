"""GPU memory stays flat over 3,000 frames: PyTorch tensors through DLPack (each a fresh tensor
whose ownership passes to the server) and CuPy arrays through the CUDA Array Interface (v3, on a
stream of the producer's) and DLPack. Measured three ways: the framework's own count of live
allocations (torch.cuda.memory_allocated, CuPy's memory pool), and the driver's free memory
(cudaMemGetInfo, as nvidia-smi sees it: the server's own buffers count there)."""
import gc
import time

import pytest

from framewire import VideoFrame, VideoInput
from gpu_support import HEIGHT, WIDTH, config, counters, record, require_cupy_cuda, require_torch_cuda, running

pytestmark = pytest.mark.gpu

FRAMES = 3000
WARM_UP = 300
FRAME_BYTES = WIDTH * HEIGHT * 4
#: The driver's free memory may move by this much (other processes, the allocator's pools): 64 MiB
#: is 32 frames' worth; a leak of one frame per call would be 2.4 GB.
DRIVER_SLACK = 64 << 20


def stream_frames(send, make_frame, on_warm):
    """Streams FRAMES frames through ``send`` (stream_video), faster than the session's 30 fps (the
    server releases the ones it has no tick for), with a short pause so the pacer converts many."""
    for i in range(FRAMES):
        send(make_frame(i))
        if i == WARM_UP:
            on_warm()
        time.sleep(0.0005)


def test_torch_dlpack_memory_stays_flat_over_3000_frames():
    torch = require_torch_cuda()
    torch.cuda.synchronize()
    gc.collect()
    colours = torch.arange(256, dtype=torch.uint8, device="cuda")
    baseline = torch.cuda.memory_allocated()
    warm = {}

    def frame(i):
        tensor = torch.empty((HEIGHT, WIDTH, 4), dtype=torch.uint8, device="cuda")
        tensor[..., 0] = colours[i % 256]
        tensor[..., 1:3] = 128
        tensor[..., 3] = 255
        return VideoFrame.from_dlpack(tensor)

    def on_warm():
        torch.cuda.synchronize()
        warm.update(allocated=torch.cuda.memory_allocated(), free=torch.cuda.mem_get_info()[0])

    with running(config(VideoInput.TENSOR)) as server:
        started = time.monotonic()
        before = counters(server)
        stream_frames(server.stream_video, frame, on_warm)
        elapsed = time.monotonic() - started
        torch.cuda.synchronize()
        allocated, free = torch.cuda.memory_allocated(), torch.cuda.mem_get_info()[0]
        after = counters(server)
        assert after["frames_refused"] == before["frames_refused"]
        assert after["frames_sent"] > before["frames_sent"] + 30
    torch.cuda.synchronize()
    gc.collect()
    closed = torch.cuda.memory_allocated()
    record("torch DLPack memory", f"{FRAMES} frames in {elapsed:.1f} s, {after['frames_sent'] - before['frames_sent']} "
           f"sent; memory_allocated above baseline: {(warm['allocated'] - baseline) >> 20} MiB at frame {WARM_UP}, "
           f"{(allocated - baseline) >> 20} MiB at frame {FRAMES}, {closed - baseline} B after close(); driver free "
           f"memory change frame {WARM_UP} -> {FRAMES}: {(free - warm['free']) / 2**20:+.1f} MiB")
    assert allocated - warm["allocated"] <= 2 * FRAME_BYTES, "live tensors grew: deleters not called"
    assert warm["free"] - free <= DRIVER_SLACK, "the driver's free memory shrank"
    assert closed == baseline, "every tensor was released by close()"
    del colours


def test_cupy_memory_stays_flat_over_3000_frames():
    cupy = require_cupy_cuda()
    pool = cupy.get_default_memory_pool()
    producer = cupy.cuda.Stream(non_blocking=True)
    base = cupy.arange(256, dtype=cupy.uint8)
    baseline = pool.used_bytes()
    warm = {}

    def picture(i):
        with producer:
            array = cupy.empty((HEIGHT, WIDTH, 4), dtype=cupy.uint8)
            array[..., 0] = 128
            array[..., 1] = base[i % 256]
            array[..., 2:] = 255
        return array

    def cai(i):
        with producer:  # CAI v3 'stream': the producer's
            return VideoFrame.from_cuda_array(picture(i))

    def dlpack(i):
        return VideoFrame.from_dlpack(picture(i))

    def on_warm():
        producer.synchronize()
        warm.update(used=pool.used_bytes(), free=cupy.cuda.runtime.memGetInfo()[0])

    for name, video_input, make in (("CAI", VideoInput.BGRA, cai), ("DLPack", VideoInput.TENSOR, dlpack)):
        with running(config(video_input)) as server:
            def send(frame):
                with producer:  # a DLPack tensor is exported in stream_video(), ordered after this stream
                    server.stream_video(frame)
            before = counters(server)
            started = time.monotonic()
            stream_frames(send, make, on_warm)
            elapsed = time.monotonic() - started
            producer.synchronize()
            used, free = pool.used_bytes(), cupy.cuda.runtime.memGetInfo()[0]
            after = counters(server)
            assert after["frames_refused"] == before["frames_refused"]
            assert after["frames_sent"] > before["frames_sent"] + 30
        gc.collect()
        closed = pool.used_bytes()
        record(f"CuPy {name} memory", f"{FRAMES} frames in {elapsed:.1f} s, "
               f"{after['frames_sent'] - before['frames_sent']} sent; pool used above baseline: "
               f"{(warm['used'] - baseline) >> 20} MiB at frame {WARM_UP}, {(used - baseline) >> 20} MiB at frame "
               f"{FRAMES}, {closed - baseline} B after close(); driver free memory change frame {WARM_UP} -> "
               f"{FRAMES}: {(free - warm['free']) / 2**20:+.1f} MiB")
        assert used - warm["used"] <= 2 * FRAME_BYTES, f"{name}: live arrays grew"
        assert warm["free"] - free <= DRIVER_SLACK, f"{name}: the driver's free memory shrank"
        assert closed == baseline, f"{name}: every array was released by close()"
