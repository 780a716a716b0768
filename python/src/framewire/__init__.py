"""Framewire from Python: stream NumPy, PyTorch, CuPy, JAX (DLPack, CUDA Array Interface) and
pre-encoded frames to browsers over WebRTC, with the Framewire server running in this process.

    import framewire as fw
    with fw.Server(fw.ServerConfig(width=1280, height=720)) as server:
        print("open", server.url)
        server.stream_video(fw.VideoFrame(bgra_numpy_array))

See docs/python.md for the API, the buffer lifetime contract and threading.
"""
from ._config import EncoderPreference, ServerConfig, VideoInput
from ._errors import InvalidConfigError, InvalidFrameError, InvalidValueError, ServerClosedError
from ._frames import CudaSync, VideoFrame
from ._jvm import distribution_home, jvm_classpath, start_jvm
from ._server import Health, Server, Subscription

__all__ = [
    "CudaSync", "EncoderPreference", "Health", "InvalidConfigError", "InvalidFrameError", "InvalidValueError",
    "Server", "ServerClosedError", "ServerConfig", "Subscription", "VideoFrame", "VideoInput",
    "distribution_home", "jvm_classpath", "start_jvm",
]
__version__ = "0.1.0"
