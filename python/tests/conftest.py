"""Shared set-up of the Python package's tests.

The JVM is started once per test process, with the test helpers' class path when the build gives
one (FRAMEWIRE_TEST_CLASSPATH: framewire-testing and its dependencies, for driving Chromium).
"""
import os

import pytest

import framewire as fw

#: A small stream keeps libx264 cheap on a 2-core machine.
WIDTH, HEIGHT = 320, 240


def pytest_configure(config):
    extra = [p for p in os.environ.get("FRAMEWIRE_TEST_CLASSPATH", "").split(os.pathsep) if p]
    fw.start_jvm(classpath=extra, options=["-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"])


def bgra(height=HEIGHT, width=WIDTH, b=0, g=0, r=0):
    """A solid BGRA8 picture as a NumPy array."""
    import numpy as np
    frame = np.empty((height, width, 4), np.uint8)
    frame[...] = (b, g, r, 255)
    return frame


@pytest.fixture
def counting_server():
    """A server with the counting null transport on a free port, taking frames only from Python."""
    server = fw.Server(fw.ServerConfig(width=WIDTH, height=HEIGHT, transport="null", http_port=0))
    yield server
    server.close()


def wait_until(what, condition, timeout=10.0, interval=0.02):
    import time
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(interval)
