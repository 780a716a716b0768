"""What the Python layer costs: stream_video() through framewire's Python API next to the Java
API called directly through JPype, same process, same server, same frames, interleaved.

    python benchmarks/python/stream_video_overhead.py [frames per side (300)] [width height (1920 1080)]

Host (NumPy) BGRA frames, libx264, the counting null transport. Prints p50/p99/max per call in
microseconds and the ratio Python/Java. (GPU figures: scripts/gpu/run-python.sh on a GPU machine.)
"""
import sys
import time

import numpy as np

import framewire as fw


def percentiles(samples_ns):
    s = sorted(samples_ns)
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))] / 1000
    return pick(0.50), pick(0.99), s[-1] / 1000


def main(frames=300, width=1920, height=1080, fps=30):
    import jpype
    pictures = [np.full((height, width, 4), v, np.uint8) for v in (60, 120)]
    config = fw.ServerConfig(width=width, height=height, fps=fps, transport="null", http_port=0)
    with fw.Server(config) as server:
        java_server = server._java  # the StreamServer service itself
        JavaFrame = jpype.JClass("io.framewire.api.VideoFrame")
        direct = [JavaFrame.hostBuffer(jpype.nio.convertToDirectBuffer(p.reshape(-1)), width, height, width * 4)
                  for p in pictures]
        python_ns, java_ns = [], []
        for n in range(2 * frames + 60):  # the first 60 calls warm both paths up
            use_python = n % 2 == 0
            t = time.perf_counter_ns()
            if use_python:
                server.stream_video(fw.VideoFrame(pictures[(n // 2) % 2]))
            else:
                java_server.streamVideo(direct[(n // 2) % 2])
            elapsed = time.perf_counter_ns() - t
            if n >= 60:
                (python_ns if use_python else java_ns).append(elapsed)
            time.sleep(1 / fps)
        health = server.health()
    py, jv = percentiles(python_ns), percentiles(java_ns)
    print(f"stream_video(), {width}x{height} host BGRA, {frames} calls per side, interleaved at {fps} fps")
    print(f"{'':22}{'p50 us':>10}{'p99 us':>10}{'max us':>10}")
    print(f"{'Python API':22}{py[0]:10.0f}{py[1]:10.0f}{py[2]:10.0f}")
    print(f"{'Java API via JPype':22}{jv[0]:10.0f}{jv[1]:10.0f}{jv[2]:10.0f}")
    print(f"ratio Python/Java p50 {py[0] / jv[0]:.2f}, p99 {py[1] / jv[1]:.2f}; server sent {health.counters['frames_sent']}"
          f", refused {health.counters['frames_refused']}")


if __name__ == "__main__":
    a = [int(x) for x in sys.argv[1:]]
    main(*a[:1], *a[1:3])
