"""The server: the Framewire OSGi container, in this process."""
from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jpype

from . import _jvm
from ._config import SERVER_PID, ServerConfig
from ._errors import InvalidConfigError, InvalidFrameError, ServerClosedError, translated
from ._frames import VideoFrame

LOG = logging.getLogger("framewire")
#: The open server of this process. One container at a time: the plugins' native libraries (FFmpeg,
#: CUDA) can be loaded by one class loader at a time, and every container has its own.
_open_lock = threading.Lock()
_open: "Server | None" = None
#: How long Server() waits for the container's server service.
START_TIMEOUT_SECONDS = 60


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


@dataclass(frozen=True)
class Health:
    """A snapshot of the server's health, as ``GET /health`` reports it."""
    #: STARTING, READY, TEMPORARILY_UNAVAILABLE (a stage loads), STALLED or STOPPED
    state: str
    #: True when READY or TEMPORARILY_UNAVAILABLE: the stream is alive and has had a real frame
    ready: bool
    #: ms since a frame was last sent
    frame_age_millis: int
    #: ms since the producer last delivered a new frame (-1: never)
    fresh_frame_age_millis: int
    max_frame_age_millis: int
    #: the URI of the stage being loaded, or None
    stage_loading: str | None
    source: str | None
    encoder: str | None
    transport: str | None
    #: what keeps the server from running as configured (e.g. a selected plugin that is not installed)
    problems: list[str] = field(default_factory=list)
    #: frames_sent, frames_repeated, frames_refused, source_errors, ... (see docs/operations.md)
    counters: dict[str, int] = field(default_factory=dict)


class Subscription:
    """A registered callback; :meth:`close` removes it."""

    def __init__(self, handle, keep):
        self._handle = handle
        self._keep = keep  # the Java proxy's Python target stays alive while registered

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._keep = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Server:
    """A Framewire server running in this process: the distribution's bundles in an OSGi
    container (Apache Felix), reached through JPype. Plugins and Configuration Admin work as in
    the distribution; ``plugins_dir`` is watched like its ``load/`` (plugin jars, ``.cfg`` files).

    Use it as a context manager, or call :meth:`close`.

    Threading: :meth:`stream_video` may be called from any thread, one call at a time per server
    (calls are serialized). Callbacks run on the server's threads (never the caller's); they must
    not block for long.
    """

    def __init__(self, config: ServerConfig | None = None, *, plugins_dir: str | os.PathLike | None = None,
                 start_timeout: float = START_TIMEOUT_SECONDS):
        self._config = config if config is not None else ServerConfig()
        configurations = self._config.configurations()  # validates: InvalidConfigError before anything starts
        _jvm.start_jvm()
        global _open
        with _open_lock:
            if _open is not None:
                raise RuntimeError("framewire: a Server is already open in this process (one at a time: close it "
                                   "first, or stream several pictures through one server)")
            _open = self
        try:
            self._start(configurations, plugins_dir, start_timeout)
        except BaseException:
            if hasattr(self, "_work"):
                shutil.rmtree(self._work, ignore_errors=True)
            with _open_lock:
                _open = None
            raise

    def _start(self, configurations, plugins_dir, start_timeout):
        self._java_config = self._config.java_config()
        self._video_input = str(self._java_config.videoInput().name())
        # removed by close(), not by a finalizer: at interpreter exit those run before the atexit close
        self._work = tempfile.mkdtemp(prefix="framewire-")
        self._lock = threading.Lock()
        self._kept: tuple = ()
        self._subscriptions: list[Subscription] = []
        self._closed = False
        embedded = jpype.JClass("io.framewire.embedded.EmbeddedFramewire")
        Path_ = jpype.JClass("java.nio.file.Path")
        plugins = None if plugins_dir is None else Path_.of(os.fspath(Path(plugins_dir).resolve()))
        with translated(InvalidConfigError):
            self._container = embedded.start(Path_.of(str(_jvm.distribution_home())), Path_.of(self._work), plugins,
                                             _java_configurations(configurations), int(start_timeout * 1000))
        self._java = self._container.server()
        for problem in self._container.problems():
            LOG.warning("framewire: %s", problem)

    # -- streaming -------------------------------------------------------------------------------

    def stream_video(self, frame: VideoFrame) -> None:
        """Hands one frame to the server. The server reads its memory until the NEXT
        ``stream_video()`` on this server returns; this server keeps a reference to the frame's
        buffer until then, so it is not freed early. Raises :class:`InvalidFrameError` (field,
        value, rule) for a frame that breaks a rule; the stream goes on with the last good frame."""
        if not isinstance(frame, VideoFrame):
            raise InvalidFrameError("frame", type(frame).__name__, "must be a framewire.VideoFrame")
        with self._lock:
            self._check_open()
            java = frame._for(self._video_input)
            with translated():
                self._java.streamVideo(java)
            # the previous frame's memory is the caller's again; this one is held until the next call
            self._kept = (frame, frame._source)

    def send_message(self, message: dict | str) -> None:
        """Sends an app message (a dict, or a JSON object as text) to every connected browser."""
        text = message if isinstance(message, str) else json.dumps(message)
        try:
            parsed = json.loads(text)
        except ValueError as e:
            raise InvalidFrameError("message", text[:80], f"must be a JSON object ({e})") from None
        if not isinstance(parsed, dict):
            raise InvalidFrameError("message", text[:80], "must be a JSON object")
        self._check_open()
        with translated():
            self._java.sendMessage(jpype.JString(text))

    def on_message(self, callback: Callable[[str, dict], None]) -> Subscription:
        """Calls ``callback(peer_id, message)`` for each app message from a browser (``message``: the
        JSON object as a dict; stage loads and input events arrive too, with their ``type``)."""
        listener = _message_listener(callback)
        subscription = Subscription(self._java.addMessageListener(listener), listener)
        self._subscriptions.append(subscription)
        return subscription

    def on_keyframe_request(self, callback: Callable[[], None]) -> Subscription:
        """Calls ``callback()`` when a viewer needs a key frame (rate-limited). Producers of
        pre-encoded video must answer with a key frame soon."""
        listener = _keyframe_listener(callback)
        subscription = Subscription(self._java.onKeyframeRequest(listener), listener)
        self._subscriptions.append(subscription)
        return subscription

    def load_stage(self, uri: str) -> None:
        """Starts loading a stage (e.g. ``scene:demo``) in the background; the video goes on, the
        browsers see the progress. :meth:`health` names the URI while it loads."""
        self._check_open()
        with translated():
            self._java.loadStage(jpype.JString(uri))

    # -- state -----------------------------------------------------------------------------------

    @property
    def config(self) -> ServerConfig:
        """The settings this server was started (or last configured) with."""
        return self._config

    @property
    def url(self) -> str | None:
        """The page a browser opens, with its access token (None for a transport without one)."""
        self._check_open()
        url = self._java.url()
        return None if url is None else str(url)

    @property
    def ready(self) -> bool:
        """True once the first valid frame has been converted."""
        return bool(self._java.isReady()) if not self._closed else False

    def health(self) -> Health:
        """The server's health (state, frame ages, plugins in use, problems, counters)."""
        self._check_open()
        report = self._java.health()
        plugins = report.plugins()
        counters = {_snake(str(k)): int(v) for k, v in report.counters().toMap().items()}
        return Health(state=str(report.state().name()), ready=bool(report.ready()),
                      frame_age_millis=int(report.frameAgeMillis()),
                      fresh_frame_age_millis=int(report.freshFrameAgeMillis()),
                      max_frame_age_millis=int(report.maxFrameAgeMillis()),
                      stage_loading=None if report.stageLoading() is None else str(report.stageLoading()),
                      source=_str(plugins.source()), encoder=_str(plugins.encoder()), transport=_str(plugins.transport()),
                      problems=[str(p) for p in report.problems()], counters=counters)

    def bundles(self) -> dict[str, str]:
        """Every OSGi bundle of the container by symbolic name, with its state (ACTIVE, RESOLVED, ...)."""
        self._check_open()
        return {str(k): str(v) for k, v in self._container.bundles().items()}

    @property
    def plugins_dir(self) -> Path:
        """The folder watched for plugin jars and ``.cfg`` files (a temporary one unless given)."""
        return Path(str(self._container.pluginsDir()))

    def configure(self, **changes) -> None:
        """Changes settings while streaming: ``fps``, ``bitrate_kbps``, ``encoder_preference``,
        ``source``, ``encoder``, ``transport``, ``max_frame_age_millis`` apply live. ``width``,
        ``height`` and ``video_input`` are fixed for the server's life (start a new Server)."""
        fixed = {"width", "height", "video_input"} & set(changes)
        if fixed:
            name = sorted(fixed)[0]
            raise InvalidConfigError(name, changes[name], "is fixed for the server's life; start a new Server")
        config = self._config.replace(**changes)
        configurations = config.configurations()
        self._check_open()
        with self._lock:
            with translated(InvalidConfigError):
                for pid, properties in _java_configurations(configurations).items():
                    if pid == SERVER_PID or any(k in changes for k in ("bind_address", "http_port", "access_token")):
                        self._container.configure(pid, properties)
            self._config = config

    # -- life ------------------------------------------------------------------------------------

    def close(self) -> None:
        """Stops the container: the stream ends, native and GPU memory are released, the last
        frame's buffer is the caller's again. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for subscription in self._subscriptions:
                try:
                    subscription.close()
                except Exception:  # the container may be gone already
                    pass
            try:
                self._container.close()
            finally:
                self._kept = ()
                shutil.rmtree(self._work, ignore_errors=True)
                global _open
                with _open_lock:
                    if _open is self:
                        _open = None

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise ServerClosedError("the server is closed")


@atexit.register
def _close_at_exit() -> None:
    """A server left open at interpreter exit is closed, so the JVM's shutdown does not wait on its threads."""
    server = _open
    if server is not None:
        server.close()


def _str(value):
    return None if value is None else str(value)


def _java_configurations(configurations: dict[str, dict[str, object]]):
    HashMap = jpype.JClass("java.util.HashMap")
    result = HashMap()
    for pid, properties in configurations.items():
        props = HashMap()
        for key, value in properties.items():
            props.put(jpype.JString(key), jpype.JClass("java.lang.Integer")(value) if isinstance(value, int)
                      else jpype.JString(str(value)))
        result.put(jpype.JString(pid), props)
    return result


def _message_listener(callback):
    @jpype.JImplements("io.framewire.api.MessageListener")
    class Listener:
        @jpype.JOverride
        def onMessage(self, peer_id, text):
            try:
                callback(str(peer_id), json.loads(str(text)))
            except Exception:  # a failing callback must not reach the server's message thread
                LOG.exception("framewire: message callback %r failed", callback)
    return Listener()


def _keyframe_listener(callback):
    @jpype.JImplements("io.framewire.api.KeyframeRequestListener")
    class Listener:
        @jpype.JOverride
        def keyframeRequested(self):
            try:
                callback()
            except Exception:
                LOG.exception("framewire: keyframe-request callback %r failed", callback)
    return Listener()
