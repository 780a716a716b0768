"""Streams an animated CuPy picture rendered on a CUDA stream of its own to browsers, through
the CUDA Array Interface (v3: the interface names the stream, and the server follows it).

    python cupy_stream.py [seconds] [--transport webrtc|null] [--size 1280x720] [--fps 30]

Open the URL it prints (the WebRTC transport; with --transport null the frames are only counted).
The server reads a frame's memory until the next stream_video() returns and holds a reference to
the array until then, so a fresh array per frame needs no care. Ctrl-C stops early.
"""
import argparse
import time

import cupy

import framewire as fw


def main():
    parser = argparse.ArgumentParser(description="Stream CuPy frames with Framewire")
    parser.add_argument("seconds", nargs="?", type=float, default=10, help="how long (0: until Ctrl-C)")
    parser.add_argument("--transport", default="webrtc", help="webrtc (browsers) or null (counts frames)")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--port", type=int, default=8080, help="HTTP port (0: any free port)")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    config = fw.ServerConfig(width=width, height=height, fps=args.fps, video_input=fw.VideoInput.BGRA,
                             transport=args.transport, http_port=args.port)
    stream = cupy.cuda.Stream(non_blocking=True)
    with stream:
        x = cupy.arange(width, dtype=cupy.int32)
        y = cupy.arange(height, dtype=cupy.int32)[:, None]
    with fw.Server(config) as server:
        print("open", server.url, flush=True)
        start, frame = time.monotonic(), 0
        try:
            while args.seconds == 0 or time.monotonic() - start < args.seconds:
                with stream:
                    picture = cupy.empty((height, width, 4), dtype=cupy.uint8)  # B, G, R, A
                    picture[..., 0] = (x + 4 * frame) & 255
                    picture[..., 1] = (y + 2 * frame) & 255
                    picture[..., 2] = ((x // 64 + y // 64 + frame // 15) % 2) * 255
                    picture[..., 3] = 255
                    server.stream_video(fw.VideoFrame.from_cuda_array(picture))
                frame += 1
                time.sleep(max(0.0, start + frame / args.fps - time.monotonic()))
        except KeyboardInterrupt:
            pass
        health = server.health()
        print(f"streamed {frame} frames in {time.monotonic() - start:.1f} s; health: {health.state}, "
              f"encoder {health.encoder}, transport {health.transport}, counters {health.counters}", flush=True)


if __name__ == "__main__":
    main()
