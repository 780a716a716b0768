"""Streams an animated PyTorch picture rendered on the GPU to browsers, through DLPack.

    python torch_stream.py [seconds] [--transport webrtc|null] [--size 1280x720] [--fps 30]

Open the URL it prints (the WebRTC transport; with --transport null the frames are only counted).
Each frame is a fresh CUDA tensor; VideoFrame.from_dlpack() hands its ownership to the server,
which releases it (once) when it no longer needs it. Ctrl-C stops early.
"""
import argparse
import time

import torch

import framewire as fw


def main():
    parser = argparse.ArgumentParser(description="Stream PyTorch frames with Framewire")
    parser.add_argument("seconds", nargs="?", type=float, default=10, help="how long (0: until Ctrl-C)")
    parser.add_argument("--transport", default="webrtc", help="webrtc (browsers) or null (counts frames)")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--port", type=int, default=8080, help="HTTP port (0: any free port)")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    config = fw.ServerConfig(width=width, height=height, fps=args.fps, video_input=fw.VideoInput.TENSOR,
                             transport=args.transport, http_port=args.port)
    x = torch.arange(width, device="cuda", dtype=torch.float32)
    y = torch.arange(height, device="cuda", dtype=torch.float32)[:, None]
    with fw.Server(config) as server:
        print("open", server.url, flush=True)
        start, frame = time.monotonic(), 0
        try:
            while args.seconds == 0 or time.monotonic() - start < args.seconds:
                t = frame / args.fps
                picture = torch.empty((height, width, 4), dtype=torch.uint8, device="cuda")  # B, G, R, A
                picture[..., 0] = (127.5 + 127.5 * torch.sin(x / 97 + t)).to(torch.uint8)
                picture[..., 1] = (127.5 + 127.5 * torch.sin(y / 61 - 1.3 * t)).to(torch.uint8)
                picture[..., 2] = (127.5 + 127.5 * torch.sin((x + y) / 150 + 0.7 * t)).to(torch.uint8)
                picture[..., 3] = 255
                # ordered after PyTorch's current stream by __dlpack__(stream=1); nothing waits here
                server.stream_video(fw.VideoFrame.from_dlpack(picture))
                frame += 1
                time.sleep(max(0.0, start + frame / args.fps - time.monotonic()))
        except KeyboardInterrupt:
            pass
        health = server.health()
        print(f"streamed {frame} frames in {time.monotonic() - start:.1f} s; health: {health.state}, "
              f"encoder {health.encoder}, transport {health.transport}, counters {health.counters}", flush=True)


if __name__ == "__main__":
    main()
