"""How long Server.stream_video() takes to return from Python, at a steady frame rate, for GPU
frames: PyTorch tensors through DLPack, CuPy arrays through the CUDA Array Interface (v3, on a
stream of the producer's), and, shorter, PyTorch CAI with an event and CuPy DLPack. The Java
figure to compare with is io.framewire.examples.CudaStreamingExample, which scripts/gpu/run-python.sh
runs in the same machine session (and scripts/gpu/run.sh).

    python benchmarks/python/stream_video_gpu.py [seconds] [width height fps] [--transport null|webrtc]

Each frame is a fresh picture rendered on the GPU (an animated gradient), as a renderer makes
them; the times measured are the stream_video() call alone, and rendering the picture, building
its VideoFrame and the call together. The server runs in this process (framewire.Server, the null transport by default).
"""
from __future__ import annotations

import argparse
import time

import framewire as fw


def percentiles(nanos: list[int]) -> str:
    ordered = sorted(nanos)
    pick = lambda q: ordered[min(len(ordered) - 1, int(len(ordered) * q))] / 1e3  # noqa: E731
    return f"p50 {pick(0.5):.1f} µs, p99 {pick(0.99):.1f} µs, max {ordered[-1] / 1e3:.1f} µs"


def measure(name, video_input, make_frame, args, seconds, around=None):
    """Streams for ``seconds`` at args.fps; ``make_frame(i)`` renders and describes frame i."""
    config = fw.ServerConfig(width=args.width, height=args.height, fps=args.fps, video_input=video_input,
                             transport=args.transport, http_port=0)
    call, total = [], []
    with fw.Server(config) as server:
        deadline = time.monotonic() + 30
        while server.health().encoder is None and time.monotonic() < deadline:
            time.sleep(0.01)
        for i in range(args.fps):  # warm-up: one second, not measured
            server.stream_video(make_frame(i))
            time.sleep(1 / args.fps)
        before = server.health().counters
        interval = 1e9 / args.fps
        start = time.perf_counter_ns()
        frames = int(seconds * args.fps)
        for i in range(frames):
            t0 = time.perf_counter_ns()
            frame = make_frame(i)
            t1 = time.perf_counter_ns()
            if around is None:
                server.stream_video(frame)
            else:
                with around():
                    server.stream_video(frame)
            t2 = time.perf_counter_ns()
            call.append(t2 - t1)
            total.append(t2 - t0)
            pause = start + (i + 1) * interval - time.perf_counter_ns()
            if pause > 0:
                time.sleep(pause / 1e9)
        elapsed = (time.perf_counter_ns() - start) / 1e9
        after = server.health().counters
    sent = after["frames_sent"] - before["frames_sent"]
    repeated = after["frames_repeated"] - before["frames_repeated"]
    refused = after["frames_refused"] - before["frames_refused"]
    print(f"{name} {args.width}x{args.height}@{args.fps}: {frames} frames in {elapsed:.1f} s; server sent {sent} "
          f"({repeated} repeated, {refused} refused)", flush=True)
    print(f"  stream_video() return time: {percentiles(call)}", flush=True)
    print(f"  picture rendered + frame built + stream_video(): {percentiles(total)}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", nargs="?", type=float, default=15)
    parser.add_argument("size", nargs="*", type=int, help="width height fps (default 1920 1080 30)")
    parser.add_argument("--transport", default="null")
    parser.add_argument("--only", choices=["torch", "cupy"], help="one library only")
    args = parser.parse_args()
    args.width, args.height, args.fps = args.size if len(args.size) == 3 else (1920, 1080, 30)
    fw.start_jvm(options=["-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"])
    short = max(3.0, args.seconds / 3)

    if args.only in (None, "torch"):
        import torch
        x = torch.arange(args.width, device="cuda", dtype=torch.int32)
        y = torch.arange(args.height, device="cuda", dtype=torch.int32)[:, None]

        def torch_picture(i):
            picture = torch.empty((args.height, args.width, 4), dtype=torch.uint8, device="cuda")
            picture[..., 0] = ((x + 4 * i) & 255).to(torch.uint8)
            picture[..., 1] = ((y + 2 * i) & 255).to(torch.uint8)
            picture[..., 2] = (i * 3) & 255
            picture[..., 3] = 255
            return picture

        measure("PyTorch DLPack (from_dlpack, legacy default stream)", fw.VideoInput.TENSOR,
                lambda i: fw.VideoFrame.from_dlpack(torch_picture(i)), args, args.seconds)
        event = torch.cuda.Event()

        def torch_cai(i):
            picture = torch_picture(i)
            event.record()
            return fw.VideoFrame.from_cuda_array(picture, sync=fw.CudaSync(wait_event=event))

        measure("PyTorch CAI v2 + CudaSync(wait_event)", fw.VideoInput.BGRA, torch_cai, args, short)

    if args.only in (None, "cupy"):
        import cupy
        stream = cupy.cuda.Stream(non_blocking=True)
        with stream:
            cx = cupy.arange(args.width, dtype=cupy.int32)
            cy = cupy.arange(args.height, dtype=cupy.int32)[:, None]

        def cupy_picture(i):
            with stream:
                picture = cupy.empty((args.height, args.width, 4), dtype=cupy.uint8)
                picture[..., 0] = (cx + 4 * i) & 255
                picture[..., 1] = (cy + 2 * i) & 255
                picture[..., 2] = (i * 3) & 255
                picture[..., 3] = 255
                return picture

        def cupy_cai(i):
            picture = cupy_picture(i)
            with stream:  # CAI v3 names the current stream: the server follows it
                return fw.VideoFrame.from_cuda_array(picture)

        measure("CuPy CAI v3 (stream in the interface)", fw.VideoInput.BGRA, cupy_cai, args, args.seconds)
        measure("CuPy DLPack (from_dlpack, exported on the producer's stream)", fw.VideoInput.TENSOR,
                lambda i: fw.VideoFrame.from_dlpack(cupy_picture(i)), args, short, around=lambda: stream)


if __name__ == "__main__":
    main()
