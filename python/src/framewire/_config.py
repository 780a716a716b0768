"""Server settings, as the Java ``ServerConfig`` and the plugins' Configuration Admin PIDs take them."""
from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass

from . import _jvm
from ._errors import InvalidConfigError, translated

#: Configuration Admin PIDs the settings go to (as the distribution's load/*.cfg files).
SERVER_PID = "io.framewire.server"
#: The HTTP settings belong to the transport; both transports read the same two keys.
TRANSPORT_PIDS = ("io.framewire.webrtc", "io.framewire.nulltransport")
#: Where frames come from unless the config says otherwise: only stream_video() (decision in
#: docs/python.md: a Python application streams its own frames; the distribution's default
#: source is the test pattern).
APPLICATION_SOURCE = "none"


class VideoInput(str, enum.Enum):
    """What ``stream_video()`` takes for the whole session (Java ``io.framewire.api.VideoInput``)."""
    BGRA = "BGRA"      #: BGRA8 pixels: host arrays, CUDA pointers, CUDA Array Interface
    TENSOR = "TENSOR"  #: DLPack tensors and CUDA Array Interface objects (H x W x 4 uint8)
    H264 = "H264"      #: pre-encoded access units, passed through
    H265 = "H265"
    AV1 = "AV1"


class EncoderPreference(str, enum.Enum):
    """Which encoder ``encoder="auto"`` prefers (Java ``ServerConfig.EncoderPreference``)."""
    AUTO = "AUTO"
    HARDWARE = "HARDWARE"
    SOFTWARE = "SOFTWARE"


@dataclass(frozen=True)
class ServerConfig:
    """A server's settings. ``None`` means the server's built-in default (Java ``io.framewire.api.Defaults``:
    1920x1080, 30 fps, BGRA, 8000 kbit/s, encoder auto, transport webrtc on port 8080).

    ``width``, ``height`` and ``video_input`` are fixed for the server's life; the others may be
    changed while it runs with :meth:`Server.configure`.
    """
    width: int | None = None
    height: int | None = None
    video_input: VideoInput | str | None = None
    fps: int | None = None
    bitrate_kbps: int | None = None
    encoder_preference: EncoderPreference | str | None = None
    #: ``framewire.name`` of the frame source plugin; ``"none"``: only :meth:`Server.stream_video`
    source: str = APPLICATION_SOURCE
    #: ``framewire.name`` of the encoder (``libx264``, ``libx265``, ``libsvtav1``, ``h264_nvenc``, ...) or ``auto``
    encoder: str | None = None
    #: ``webrtc`` (browsers) or ``null`` (counts frames)
    transport: str | None = None
    #: /health says STALLED after this long without a new frame (0: never)
    max_frame_age_millis: int | None = None
    #: the transport's HTTP address (``0.0.0.0``: every interface)
    bind_address: str | None = None
    #: the transport's HTTP port (0: any free port; :attr:`Server.url` tells which)
    http_port: int | None = None
    #: the token browsers need; ``None``: one generated per process
    access_token: str | None = None

    # Python field -> Configuration Admin key of the server's PID
    _SERVER_KEYS = {
        "width": "width", "height": "height", "video_input": "videoInput", "fps": "fps",
        "bitrate_kbps": "bitrateKbps", "encoder_preference": "encoderPreference", "source": "source",
        "encoder": "encoder", "transport": "transport", "max_frame_age_millis": "maxFrameAgeMillis",
    }
    _TRANSPORT_KEYS = {"bind_address": "bindAddress", "http_port": "httpPort", "access_token": "accessToken"}

    def replace(self, **changes) -> "ServerConfig":
        """A copy with some settings changed."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            name = sorted(unknown)[0]
            raise InvalidConfigError(name, changes[name], "is not a setting; settings: "
                                     + ", ".join(f.name for f in dataclasses.fields(self)))
        return dataclasses.replace(self, **changes)

    def java_config(self):
        """The Java ``ServerConfig`` these settings make; raises :class:`InvalidConfigError` naming a bad one."""
        builder = _jvm.api("ServerConfig").builder()
        with translated(InvalidConfigError):
            if self.width is not None:
                builder.width(_int("width", self.width))
            if self.height is not None:
                builder.height(_int("height", self.height))
            if self.video_input is not None:
                builder.videoInput(_enum(_jvm.api("VideoInput"), "video_input", self.video_input))
            if self.fps is not None:
                builder.fps(_int("fps", self.fps))
            if self.bitrate_kbps is not None:
                builder.bitrateKbps(_int("bitrate_kbps", self.bitrate_kbps))
            if self.encoder_preference is not None:
                builder.encoderPreference(_enum(_jvm.api("ServerConfig$EncoderPreference"), "encoder_preference",
                                                self.encoder_preference))
            return builder.build()

    def configurations(self) -> dict[str, dict[str, object]]:
        """The Configuration Admin properties by PID (validated first, see :meth:`java_config`)."""
        self.java_config()
        if self.max_frame_age_millis is not None and _int("max_frame_age_millis", self.max_frame_age_millis) < 0:
            raise InvalidConfigError("max_frame_age_millis", self.max_frame_age_millis, "must be >= 0 (0: never stalled)")
        if self.http_port is not None and not 0 <= _int("http_port", self.http_port) <= 65535:
            raise InvalidConfigError("http_port", self.http_port, "must be in 0..65535 (0: any free port)")
        server = {key: _setting(getattr(self, field)) for field, key in self._SERVER_KEYS.items()
                  if getattr(self, field) is not None}
        transport = {key: _setting(getattr(self, field)) for field, key in self._TRANSPORT_KEYS.items()
                     if getattr(self, field) is not None}
        configurations = {SERVER_PID: server}
        if transport:
            configurations.update({pid: transport for pid in TRANSPORT_PIDS})
        return configurations


def _int(field: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidConfigError(field, value, "must be an int")
    return value


def _enum(java_enum, field: str, value):
    name = value.value if isinstance(value, enum.Enum) else value
    names = [str(c.name()) for c in java_enum.values()]
    if name not in names:
        raise InvalidConfigError(field, value, "must be one of " + ", ".join(names))
    return java_enum.valueOf(name)


def _setting(value):
    return value.value if isinstance(value, enum.Enum) else value
