"""CUDA ordering from Python (CAI v3 streams, CudaSync with PyTorch and CuPy events and streams)
and known BGRA colours through every GPU path. There is no decoder on the Python side: what is
checked is what the server reports (frames sent, none refused, no conversion or encode errors);
the pixels themselves are checked by the Java GPU tests (bit-exact NV12) and the receiver tests."""
import time

import pytest

from framewire import CudaSync, VideoFrame, VideoInput
from framewire._frames import handle
from gpu_support import HEIGHT, WIDTH, config, counters, record, require_cupy_cuda, require_torch_cuda, running, wait_until


#: B, G, R
COLOURS = {"blue": (255, 0, 0), "green": (0, 255, 0), "red": (0, 0, 255), "white": (255, 255, 255),
           "black": (0, 0, 0)}


def test_a_stream_object_with_handle_0_is_the_legacy_default_stream():
    """torch.cuda.current_stream() and cupy.cuda.Stream.null have handle 0 by default; CAI and the
    server call the legacy default stream 1 (0 is refused as ambiguous). Plain ints stay as given."""
    class TorchDefaultStream:
        cuda_stream = 0

    class CupyNullStream:
        ptr = 0

    class TorchEvent:
        cuda_event = 0x1234

    assert handle(TorchDefaultStream(), "stream") == 1
    assert handle(CupyNullStream(), "stream") == 1
    assert handle(TorchEvent(), "wait_event") == 0x1234
    assert handle(0, "stream") == 0 and handle(None, "stream") == 0 and handle(2, "stream") == 2


@pytest.mark.gpu
def test_real_stream_and_event_objects_become_handles():
    torch = require_torch_cuda()
    cupy = require_cupy_cuda()
    side = torch.cuda.Stream()
    event = torch.cuda.Event()
    event.record(side)
    assert handle(torch.cuda.current_stream(), "stream") == (torch.cuda.current_stream().cuda_stream or 1)
    assert handle(side, "stream") == side.cuda_stream != 0
    assert handle(event, "wait_event") == event.cuda_event != 0
    stream = cupy.cuda.Stream(non_blocking=True)
    assert handle(stream, "stream") == stream.ptr != 0
    assert handle(cupy.cuda.Stream.null, "stream") == 1
    assert handle(stream.record(), "wait_event") != 0
    sync = CudaSync(stream=side, wait_event=event).java()
    assert (sync.stream(), sync.waitEvent()) == (side.cuda_stream, event.cuda_event)


@pytest.mark.gpu
def test_known_colours_through_every_gpu_path():
    torch = require_torch_cuda()
    cupy = require_cupy_cuda()
    torch_stream = torch.cuda.Stream()
    cupy_stream = cupy.cuda.Stream(non_blocking=True)
    rendered = torch.cuda.Event()

    def torch_picture(colour):
        with torch.cuda.stream(torch_stream):
            return torch.tensor([*colour, 255], dtype=torch.uint8, device="cuda").expand(HEIGHT, WIDTH, 4).contiguous()

    def cupy_picture(colour):
        with cupy_stream:
            return cupy.broadcast_to(cupy.asarray([*colour, 255], dtype=cupy.uint8), (HEIGHT, WIDTH, 4)).copy()

    def torch_dlpack(server, colour):  # ordered by __dlpack__(stream=...) on the side stream
        server.stream_video(VideoFrame.from_dlpack(torch_picture(colour), sync=CudaSync(stream=torch_stream)))

    def torch_cai_event(server, colour):  # CAI v2 (no stream) + an event recorded after the writes
        picture = torch_picture(colour)
        rendered.record(torch_stream)
        server.stream_video(VideoFrame.from_cuda_array(picture, sync=CudaSync(wait_event=rendered)))

    def cupy_cai(server, colour):  # CAI v3: the stream current when the interface is read
        picture = cupy_picture(colour)
        with cupy_stream:
            server.stream_video(VideoFrame.from_cuda_array(picture))

    def cupy_dlpack(server, colour):
        picture = cupy_picture(colour)
        with cupy_stream:
            server.stream_video(VideoFrame.from_dlpack(picture))

    sent = {}
    with running(config(VideoInput.TENSOR)) as server:
        for path in (torch_dlpack, torch_cai_event, cupy_cai, cupy_dlpack):
            before = counters(server)
            for name, colour in COLOURS.items():
                end = time.monotonic() + 0.4
                while time.monotonic() < end:
                    path(server, colour)
                    time.sleep(1 / 60)
            wait_until(f"{path.__name__}: frames sent",
                       lambda: counters(server)["frames_sent"] >= before["frames_sent"] + 40)
            after = counters(server)
            sent[path.__name__] = after["frames_sent"] - before["frames_sent"]
            assert after["frames_refused"] == before["frames_refused"], (path.__name__, after)
            assert after["encode_errors"] == 0 and after["source_errors"] == 0, (path.__name__, after)
        health = server.health()
        assert health.state == "READY" and health.problems == [], health
    record("colours", f"{len(COLOURS)} colours x 0.4 s each, frames sent per path: {sent}; none refused")
