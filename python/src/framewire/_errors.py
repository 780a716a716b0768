"""Python exceptions for what the Java side refuses."""
from __future__ import annotations

import contextlib
from typing import Iterator

import jpype


class InvalidValueError(ValueError):
    """A value was refused. ``field`` names it, ``value`` is what was given, ``rule`` what it must satisfy."""

    def __init__(self, field: str, value: object, rule: str):
        super().__init__(f"{field}={value!r}: {rule}")
        self.field = field
        self.value = value
        self.rule = rule


class InvalidFrameError(InvalidValueError):
    """A frame was refused; the server goes on streaming its last good frame."""


class InvalidConfigError(InvalidValueError):
    """A server setting was refused; no server was started or changed."""


class ServerClosedError(RuntimeError):
    """The server is closed (or its container stopped)."""


def _python_value(value):
    """A refused Java value as a plain Python one (boxed numbers, strings, enums by name, arrays)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, jpype.JArray):
        return [_python_value(v) for v in value]
    for box, convert in (("java.lang.Boolean", lambda v: bool(v.booleanValue())),
                         ("java.lang.Number", lambda v: int(v.longValue()))):
        if isinstance(value, jpype.JClass(box)):
            return convert(value)
    return str(value)


@contextlib.contextmanager
def translated(kind: type[InvalidValueError] = InvalidFrameError) -> Iterator[None]:
    """Turns the Java API's refusals into Python exceptions: ``InvalidFrameException`` into
    ``kind`` (field, value, rule), a closed server into :class:`ServerClosedError`."""
    try:
        yield
    except jpype.JException as e:
        invalid = jpype.JClass("io.framewire.api.InvalidFrameException")
        if isinstance(e, invalid):
            raise kind(str(e.field()), _python_value(e.value()), str(e.rule())) from e
        if isinstance(e, jpype.JClass("java.lang.IllegalStateException")) and "closed" in str(e.getMessage()):
            raise ServerClosedError(str(e.getMessage())) from e
        if isinstance(e, jpype.JClass("java.lang.IllegalArgumentException")):
            raise kind("?", None, str(e.getMessage())) from e
        raise
