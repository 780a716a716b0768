"""Issue 10's snippets as written, with PyTorch and CuPy frames on a CUDA device:

    config = ServerConfig(width=1920, height=1080, video_input=VideoInput.TENSOR)
    frame = VideoFrame(buffer=cuda_ptr, width=1920, height=1080, pitch_bytes=1920 * 4)
    frame = VideoFrame.from_cuda_array(cuda_array, sync=CudaSync(stream=..., wait_event=...))
    frame = VideoFrame.from_dlpack(tensor)
    frame = VideoFrame(buffer=encoded_host_ptr, width=1920, height=1080, size_bytes=encoded_size)
    server.stream_video(frame)

Each server runs on the counting null transport (the GPU machine has no WebRTC stack), so what is
checked is what the server reports: frames sent, none refused, no encode or source errors. A raw
pointer is a DEVICE_BGRA frame: a TENSOR session refuses it (Java FrameRules) and a BGRA session
takes it, so the snippets run in the session kind that takes each.
"""
import time

import pytest

import framewire as fw
from framewire import CudaSync, VideoFrame, VideoInput, ServerConfig
from gpu_support import (HEIGHT, TRANSPORT, WIDTH, counters, require_cupy_cuda, require_torch_cuda, running,
                         sample_access_units, wait_until)



def torch_bgra(torch, colour):
    """A solid BGRA8 picture on the GPU (colour as B, G, R)."""
    return torch.tensor([*colour, 255], dtype=torch.uint8, device="cuda").expand(HEIGHT, WIDTH, 4).contiguous()


def cupy_bgra(cupy, colour):
    return cupy.broadcast_to(cupy.asarray([*colour, 255], dtype=cupy.uint8), (HEIGHT, WIDTH, 4)).copy()


def assert_streams(server, stream_one, seconds=1.0, fps=60):
    """Streams frames for ``seconds`` and checks that the server sent them and refused none."""
    before = counters(server)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        stream_one()
        time.sleep(1 / fps)
    wait_until("frames sent", lambda: counters(server)["frames_sent"] >= before["frames_sent"] + 15)
    after = counters(server)
    assert after["frames_refused"] == before["frames_refused"], after
    assert after["encode_errors"] == before["encode_errors"] == 0, after
    assert after["source_errors"] == 0, after
    health = server.health()
    assert health.ready and health.state == "READY", health
    return after


@pytest.mark.gpu
def test_torch_snippets_as_written():
    torch = require_torch_cuda()
    config = ServerConfig(width=1920, height=1080, video_input=VideoInput.TENSOR)
    with running(config.replace(transport=TRANSPORT, http_port=0)) as server:
        tensor = torch_bgra(torch, (255, 0, 0))
        cuda_array = tensor  # PyTorch's __cuda_array_interface__ (v2: no stream)
        stream = torch.cuda.current_stream()
        event = torch.cuda.Event()
        event.record(stream)

        frame = VideoFrame.from_cuda_array(cuda_array, sync=CudaSync(stream=stream, wait_event=event))
        server.stream_video(frame)
        assert frame._java.cudaSync().waitEvent() == event.cuda_event != 0
        frame = VideoFrame.from_dlpack(tensor)
        server.stream_video(frame)

        def both():
            event.record(stream)
            server.stream_video(VideoFrame.from_cuda_array(tensor, sync=CudaSync(stream=stream, wait_event=event)))
            server.stream_video(VideoFrame.from_dlpack(tensor))
        assert_streams(server, both)

        cuda_ptr = tensor.data_ptr()
        frame = VideoFrame(buffer=cuda_ptr, width=1920, height=1080, pitch_bytes=1920 * 4)
        with pytest.raises(fw.InvalidFrameError) as refused:
            server.stream_video(frame)
        assert (refused.value.field, refused.value.value) == ("kind", "DEVICE_BGRA")
        assert "DLPACK or CUDA_ARRAY" in refused.value.rule

    config = ServerConfig(width=1920, height=1080, video_input=VideoInput.BGRA)
    with running(config.replace(transport=TRANSPORT, http_port=0)) as server:
        torch.cuda.synchronize()  # a bare pointer carries no sync: its pixels must be ready when streamed
        frame = VideoFrame(buffer=cuda_ptr, width=1920, height=1080, pitch_bytes=1920 * 4)
        server.stream_video(frame)
        assert frame.width == 1920 and frame.height == 1080
        assert_streams(server, lambda: server.stream_video(
            VideoFrame(buffer=cuda_ptr, width=1920, height=1080, pitch_bytes=1920 * 4)))
        # the same pixels as a CUDA Array Interface object: a BGRA session takes those too
        assert_streams(server, lambda: server.stream_video(VideoFrame.from_cuda_array(
            tensor, sync=CudaSync(stream=torch.cuda.current_stream()))))
    del tensor, cuda_array


@pytest.mark.gpu
def test_cupy_snippets_as_written():
    cupy = require_cupy_cuda()
    config = ServerConfig(width=1920, height=1080, video_input=VideoInput.TENSOR)
    producer = cupy.cuda.Stream(non_blocking=True)
    with running(config.replace(transport=TRANSPORT, http_port=0)) as server:
        with producer:
            cuda_array = cupy_bgra(cupy, (0, 255, 0))
            event = producer.record()
        frame = VideoFrame.from_cuda_array(cuda_array, sync=CudaSync(stream=producer, wait_event=event))
        server.stream_video(frame)
        assert (frame._java.cudaSync().stream(), frame._java.cudaSync().waitEvent()) == (producer.ptr, event.ptr)
        with producer:  # CAI v3 names the current stream: the server follows it
            frame = VideoFrame.from_cuda_array(cuda_array)
        assert cuda_array.__cuda_array_interface__["version"] >= 3
        assert frame._java.cudaSync().stream() == producer.ptr
        server.stream_video(frame)
        tensor = cuda_array
        frame = VideoFrame.from_dlpack(tensor)
        with producer:  # exported in stream_video(): __dlpack__ orders the server after the current stream
            server.stream_video(frame)

        def both():
            with producer:
                picture = cupy_bgra(cupy, (0, 255, 0))
                server.stream_video(VideoFrame.from_cuda_array(picture))
                server.stream_video(VideoFrame.from_dlpack(picture))
        assert_streams(server, both)

    config = ServerConfig(width=1920, height=1080, video_input=VideoInput.BGRA)
    with running(config.replace(transport=TRANSPORT, http_port=0)) as server:
        producer.synchronize()
        cuda_ptr = cuda_array.data.ptr
        frame = VideoFrame(buffer=cuda_ptr, width=1920, height=1080, pitch_bytes=1920 * 4)
        server.stream_video(frame)
        assert_streams(server, lambda: server.stream_video(
            VideoFrame(buffer=cuda_ptr, width=1920, height=1080, pitch_bytes=1920 * 4)))


def test_access_units_from_a_host_pointer_as_written():
    """The encoded snippet: an int host pointer and size_bytes (the CPU tests stream bytes objects)."""
    np = pytest.importorskip("numpy")
    units = sample_access_units(45)
    config = ServerConfig(width=1920, height=1080, video_input=VideoInput.H264)
    with running(config.replace(transport=TRANSPORT, http_port=0)) as server:
        kept = []  # the caller keeps the memory until the next stream_video() returns
        for unit in units:
            host = np.frombuffer(unit, dtype=np.uint8).copy()
            kept = [kept[-1], host] if kept else [host]
            encoded_host_ptr, encoded_size = host.ctypes.data, host.size
            frame = VideoFrame(buffer=encoded_host_ptr, width=1920, height=1080, size_bytes=encoded_size)
            server.stream_video(frame)  # a bitstream session holds a faster producer back to its fps
        wait_until("passed through", lambda: counters(server)["frames_sent"] >= 30)
        assert server.health().encoder == "bitstream-h264"
        assert counters(server)["frames_refused"] == 0
