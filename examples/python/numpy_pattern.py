"""Streams an animated picture drawn with NumPy (host memory, no GPU) to the browser.

    python numpy_pattern.py [seconds (0 = until Ctrl-C)] [width height fps]

Open the printed URL in a browser. Each frame is its own array: the server reads a frame until the
next stream_video() returns, so two arrays are used in turn and one is redrawn while the server
may still read the other.
"""
import sys
import time

import numpy as np

import framewire as fw


def main(seconds=10, width=1280, height=720, fps=30):
    # colour bars (B, G, R) and a bright square that moves across them
    bars = np.array([(191, 191, 191), (0, 191, 191), (191, 191, 0), (0, 191, 0),
                     (191, 0, 191), (0, 0, 191), (191, 0, 0), (0, 0, 0)], np.uint8)
    background = np.empty((height, width, 4), np.uint8)
    background[..., :3] = bars[np.arange(width) * len(bars) // width][np.newaxis, :, :]
    background[..., 3] = 255
    frames = [background.copy(), background.copy()]
    square = height // 6

    config = fw.ServerConfig(width=width, height=height, fps=fps)
    with fw.Server(config) as server:
        print(f"Open {server.url}", flush=True)
        start = time.monotonic()
        n = 0
        try:
            while seconds == 0 or time.monotonic() - start < seconds:
                frame = frames[n % 2]
                frame[...] = background
                x = (n * 8) % (width - square)
                y = height // 2 - square // 2
                frame[y:y + square, x:x + square] = (255, 255, 255, 255)
                server.stream_video(fw.VideoFrame(frame))
                n += 1
                time.sleep(max(0.0, start + n / fps - time.monotonic()))
        except KeyboardInterrupt:
            pass
        health = server.health()
        print(f"streamed {n} frames in {time.monotonic() - start:.1f} s; server sent {health.counters['frames_sent']}"
              f" ({health.counters['frames_repeated']} repeated), state {health.state}, encoder {health.encoder}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
