"""The Java virtual machine inside this process, and where the Framewire distribution lies."""
from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Iterable

import jpype

_lock = threading.Lock()
#: Extra JVM options always given: no AWT window system in a server process.
_BASE_OPTIONS = ("-Djava.awt.headless=true",)


def distribution_home() -> Path:
    """The distribution folder the container runs: ``FRAMEWIRE_HOME``, else the copy inside the package."""
    configured = os.environ.get("FRAMEWIRE_HOME")
    home = Path(configured) if configured else Path(__file__).resolve().parent / "_home"
    if not (home / "lib" / "framewire-embedded.jar").is_file():
        where = f"FRAMEWIRE_HOME={configured}" if configured else f"the package's copy {home}"
        raise RuntimeError(f"framewire: no Framewire distribution at {where} (lib/framewire-embedded.jar missing); "
                           "install the package with pip, or set FRAMEWIRE_HOME to distribution/target/framewire")
    return home


def _jpype_support_jar() -> list[str]:
    """JPype's own Java half. pip puts org.jpype.jar beside the jpype package and JPype finds it;
    Debian's python3-jpype puts it in /usr/share/java, where it must be named on the class path."""
    beside = Path(jpype.__file__).resolve().parent.parent / "org.jpype.jar"
    if beside.is_file():
        return []
    for candidate in (Path(f"/usr/share/java/org.jpype-{jpype.__version__}.jar"), Path("/usr/share/java/org.jpype.jar")):
        if candidate.is_file():
            return [str(candidate)]
    return []


def start_jvm(classpath: Iterable[str | os.PathLike] = (), options: Iterable[str] = ()) -> None:
    """Starts the JVM for Framewire, once per process.

    Call it before the first :class:`~framewire.Server` or frame only to add JVM options (e.g.
    ``-Xmx4g``, ``-Dorg.slf4j.simpleLogger.defaultLogLevel=warn``) or class path entries; otherwise
    it is started on first use. A JVM started by someone else must already have Framewire's class
    path (``framewire.jvm_classpath()``).
    """
    with _lock:
        if jpype.isJVMStarted():
            _check_classpath()
            return
        jpype.startJVM(*_BASE_OPTIONS, *options,
                       classpath=jvm_classpath() + [str(p) for p in classpath] + _jpype_support_jar(),
                       convertStrings=False)


def jvm_classpath() -> list[str]:
    """The host class path of the container: the Felix launcher, the embedding launcher and the API,
    which the bundles share with this process (one copy of each API class on both sides)."""
    home = distribution_home()
    return [str(home / "bin" / "felix.jar"), str(home / "lib" / "framewire-embedded.jar"),
            str(home / "bundle" / "framewire-api.jar")]


def _check_classpath() -> None:
    try:
        jpype.JClass("io.framewire.embedded.EmbeddedFramewire")
    except TypeError as e:  # JPype: class not found
        raise RuntimeError("the JVM was started without Framewire's class path; start it with "
                           "framewire.start_jvm() or add framewire.jvm_classpath() to it") from e


@functools.lru_cache(maxsize=None)
def java(name: str):
    """A Java class by name, starting the JVM first when needed (looked up once: it is per frame)."""
    if not jpype.isJVMStarted():
        start_jvm()
    return jpype.JClass(name)


def api(name: str):
    """A class of the Framewire API package ``io.framewire.api``."""
    return java("io.framewire.api." + name)
