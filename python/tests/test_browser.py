"""End to end from Python: NumPy frames -> the server in this process -> WebRTC -> headless
Chromium, which must show them; app messages both ways; a stage load the page asks for.

Chromium is driven over the DevTools protocol by the project's Java helper (framewire-testing on
FRAMEWIRE_TEST_CLASSPATH, which the Maven build sets), through JPype."""
import os
import shutil
import threading
import time

import numpy as np
import pytest

import framewire as fw
from conftest import wait_until

WIDTH, HEIGHT = 640, 360
#: Colours as (B, G, R) in the frame and the (R, G, B) a browser shows; 40 per channel of slack for the codec.
LEFT, RIGHT = (0, 0, 230), (230, 0, 0)
LATER_LEFT = (0, 200, 0)


#: Set by the Maven build, which promises Chromium and the helper: there a missing one fails the test.
UNDER_MAVEN = bool(os.environ.get("FRAMEWIRE_TEST_CLASSPATH"))


def missing(reason):
    (pytest.fail if UNDER_MAVEN else pytest.skip)(reason)


def chromium():
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if shutil.which(candidate):
            return candidate
    missing("Chromium is not installed (apt-get install chromium; .ci/run does it)")


def devtools():
    import jpype
    try:
        return jpype.JClass("io.framewire.testing.ChromeDevTools")
    except TypeError:
        missing("framewire-testing is not on FRAMEWIRE_TEST_CLASSPATH (mvn verify sets it)")


class Producer(threading.Thread):
    """Streams two-colour pictures at 30 fps until stopped; ``left`` may change while running."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.left = LEFT
        self.running = True
        self.frames = 0

    def run(self):
        while self.running:
            picture = np.empty((HEIGHT, WIDTH, 4), np.uint8)
            picture[:, : WIDTH // 2] = (*self.left, 255)
            picture[:, WIDTH // 2:] = (*RIGHT, 255)
            picture[self.frames % HEIGHT, :] = 255  # a moving line: every frame differs
            self.server.stream_video(fw.VideoFrame(picture))
            self.frames += 1
            time.sleep(1 / 30)


def shown(chrome, x_fraction, y_fraction=0.75):
    """The (R, G, B) the page shows at a point of its screenshot (below the stats overlay)."""
    import jpype
    ImageIO = jpype.JClass("javax.imageio.ImageIO")
    image = ImageIO.read(jpype.JClass("java.io.ByteArrayInputStream")(chrome.screenshot()))
    rgb = int(image.getRGB(int(image.getWidth() * x_fraction), int(image.getHeight() * y_fraction)))
    return (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF


def close_to(rgb, bgr):
    return all(abs(a - b) <= 40 for a, b in zip(rgb, reversed(bgr)))


@pytest.mark.browser
def test_the_page_shows_the_numpy_frames_and_messages_go_both_ways():
    binary = chromium()
    ChromeDevTools = devtools()
    config = fw.ServerConfig(width=WIDTH, height=HEIGHT, bind_address="127.0.0.1", http_port=0)
    received, keyframe_requests = [], []
    with fw.Server(config) as server:
        server.on_message(lambda peer, message: received.append((peer, message)))
        server.on_keyframe_request(lambda: keyframe_requests.append(time.monotonic()))
        producer = Producer(server)
        producer.start()
        chrome = ChromeDevTools.launch(binary, WIDTH, HEIGHT)
        try:
            chrome.setViewport(WIDTH, HEIGHT)
            chrome.navigate(server.url)
            decoded = lambda: int(chrome.evaluate("(window.framewire && framewire.stats().framesDecoded) || 0"))
            wait_until("video decoded in Chromium", lambda: decoded() > 5, timeout=30)

            wait_until("the page shows the two colours", lambda: close_to(shown(chrome, 0.25), LEFT)
                       and close_to(shown(chrome, 0.75), RIGHT), timeout=10)
            producer.left = LATER_LEFT
            wait_until("the page follows a new picture", lambda: close_to(shown(chrome, 0.25), LATER_LEFT), timeout=10)
            assert keyframe_requests, "the viewer's first key frame request reached the Python callback"

            chrome.evaluate("window.fromPython = []; framewire.onApp(m => fromPython.push(m)); true")
            server.send_message({"from": "python", "n": 1})
            wait_until("the page got the app message",
                       lambda: "python" in str(chrome.evaluate("JSON.stringify(window.fromPython)")), timeout=10)

            assert chrome.evaluate("framewire.sendApp({hello: 'from the page'})")
            wait_until("Python got the app message", lambda: any("from the page" in str(m) for _, m in received))
            peer, message = next((p, m) for p, m in received if "from the page" in str(m))
            assert peer == str(chrome.evaluate("framewire.peerId"))

            chrome.evaluate("framewire.loadStage('scene:demo')")
            wait_until("the stage request reached Python",
                       lambda: any(m.get("type") == "stage.load" and m.get("uri") == "scene:demo" for _, m in received))
            server.load_stage("scene:demo?delayMillis=300")
            wait_until("the page saw the load Python started",
                       lambda: "delayMillis=300" in str(chrome.evaluate("JSON.stringify(framewire.stage)")), timeout=10)
            assert str(chrome.evaluate("framewire.state")) == "connected"
        finally:
            producer.running = False
            producer.join(5)
            chrome.close()
