"""A server in this process: NumPy frames, refusals, the keep-alive contract, DLPack ownership,
stage loads, live settings and health. Counting null transport (no browser: test_browser.py)."""
import gc
import json
import time
import urllib.request
import weakref

import numpy as np
import pytest

import framewire as fw
from conftest import HEIGHT, WIDTH, bgra, wait_until


def stream_for(server, seconds, frame_factory, fps=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        server.stream_video(fw.VideoFrame(frame_factory()))
        time.sleep(1 / fps)


def test_numpy_frames_are_encoded_and_sent(counting_server):
    assert not counting_server.ready
    stream_for(counting_server, 1.0, lambda: bgra(b=200))
    health = counting_server.health()
    assert counting_server.ready
    assert health.state == "READY"
    assert (health.source, health.encoder, health.transport) == ("none", "libx264", "null")
    assert health.counters["frames_sent"] >= 20
    assert health.counters["frames_refused"] == 0
    assert health.fresh_frame_age_millis < 1000
    with urllib.request.urlopen(counting_server.url + "health", timeout=5) as response:
        assert json.load(response)["status"] == "READY"


def test_a_refused_frame_names_the_field_and_the_stream_goes_on(counting_server):
    stream_for(counting_server, 0.3, lambda: bgra(g=100))
    with pytest.raises(fw.InvalidFrameError) as refused:
        counting_server.stream_video(fw.VideoFrame(bgra(HEIGHT - 2, WIDTH)))
    assert (refused.value.field, refused.value.value) == ("height", HEIGHT - 2)
    assert "fixed" in refused.value.rule
    sent = counting_server.health().counters["frames_sent"]
    wait_until("the last good frame is still sent", lambda: counting_server.health().counters["frames_sent"] > sent + 5)
    assert counting_server.health().counters["frames_refused"] == 1
    with pytest.raises(fw.InvalidFrameError) as not_a_frame:
        counting_server.stream_video(bgra())
    assert not_a_frame.value.field == "frame"


def test_the_server_holds_each_buffer_until_the_next_stream_video_returns(counting_server):
    first = bgra(r=10)
    first_alive = weakref.ref(first)
    counting_server.stream_video(fw.VideoFrame(first))
    del first
    gc.collect()
    assert first_alive() is not None, "freed while the server may still read it"
    second = bgra(r=20)
    second_alive = weakref.ref(second)
    counting_server.stream_video(fw.VideoFrame(second))
    del second
    gc.collect()
    assert first_alive() is None, "the server let go of frame 1 once stream_video(frame 2) returned"
    assert second_alive() is not None
    counting_server.close()
    gc.collect()
    assert second_alive() is None, "close() lets go of the last frame"


def test_one_server_at_a_time_per_process(counting_server):
    with pytest.raises(RuntimeError, match="already open"):
        fw.Server(fw.ServerConfig(width=WIDTH, height=HEIGHT, transport="null", http_port=0))
    counting_server.close()
    with fw.Server(fw.ServerConfig(width=WIDTH, height=HEIGHT, transport="null", http_port=0)) as again:
        assert again.health().state in ("STARTING", "READY")


def test_a_closed_server_refuses_frames():
    server = fw.Server(fw.ServerConfig(width=WIDTH, height=HEIGHT, transport="null", http_port=0))
    server.close()
    server.close()  # idempotent
    with pytest.raises(fw.ServerClosedError):
        server.stream_video(fw.VideoFrame(bgra()))


def test_dlpack_tensors_hand_their_ownership_over_and_are_released_exactly_once():
    """NumPy's DLPack export (CPU): its deleter drops the array, so a dead weak reference means the
    server called it; a second call would crash or corrupt the refcount."""
    config = fw.ServerConfig(width=WIDTH, height=HEIGHT, video_input=fw.VideoInput.TENSOR, transport="null", http_port=0)
    alive = []
    with fw.Server(config) as server:
        for i in range(60):
            tensor = bgra(b=i)
            alive.append(weakref.ref(tensor))
            server.stream_video(fw.VideoFrame.from_dlpack(tensor))
            del tensor
            time.sleep(1 / 60)
        wait_until("sent", lambda: server.health().counters["frames_sent"] > 10)
        gc.collect()
        assert sum(ref() is not None for ref in alive[:-2]) == 0, "every tensor but the newest released"
        assert server.health().counters["frames_refused"] == 0

        consumed = bgra().__dlpack__()
        server.stream_video(fw.VideoFrame.from_dlpack(consumed))
        with pytest.raises(fw.InvalidFrameError) as twice:
            server.stream_video(fw.VideoFrame.from_dlpack(consumed))
        assert twice.value.field == "capsule.name"

        wrong_size = bgra(HEIGHT // 2, WIDTH)
        wrong_alive = weakref.ref(wrong_size)
        with pytest.raises(fw.InvalidFrameError) as refused:
            server.stream_video(fw.VideoFrame.from_dlpack(wrong_size))
        assert refused.value.field in ("shape[0]", "height")
        del wrong_size, refused  # the exception's traceback holds the frame

        gc.collect()
        assert wrong_alive() is None, "a refused tensor is released at once, not leaked"
    gc.collect()
    assert all(ref() is None for ref in alive), "close() released the last tensor"


def test_a_dlpack_frame_on_a_pixel_session_is_refused_without_taking_the_tensor(counting_server):
    tensor = bgra()
    with pytest.raises(fw.InvalidFrameError) as refused:
        counting_server.stream_video(fw.VideoFrame.from_dlpack(tensor))
    assert (refused.value.field, refused.value.value) == ("kind", "DLPACK")


def test_a_stage_loads_in_the_background_while_frames_keep_going(counting_server):
    stream_for(counting_server, 0.3, lambda: bgra(r=50))
    counting_server.load_stage("scene:demo?delayMillis=1500")
    wait_until("loading", lambda: counting_server.health().stage_loading is not None, timeout=5)
    health = counting_server.health()
    assert health.state == "TEMPORARILY_UNAVAILABLE"
    assert health.stage_loading == "scene:demo?delayMillis=1500"
    sent = health.counters["frames_sent"]
    time.sleep(0.5)
    assert counting_server.health().counters["frames_sent"] >= sent + 10, "the video goes on during the load"
    wait_until("loaded", lambda: counting_server.health().stage_loading is None, timeout=10)
    with pytest.raises(fw.InvalidFrameError) as bad:
        counting_server.load_stage("no scheme here")
    assert bad.value.field == "uri"


def test_settings_change_live_and_a_missing_plugin_keeps_the_running_one(counting_server):
    stream_for(counting_server, 0.3, lambda: bgra())
    counting_server.configure(encoder="no-such-encoder")
    wait_until("the problem is reported", lambda: any("no-such-encoder" in p for p in counting_server.health().problems))
    assert counting_server.health().encoder == "libx264"
    counting_server.configure(encoder="auto", fps=15)
    wait_until("back to no problem", lambda: not counting_server.health().problems)
    assert counting_server.config.fps == 15
    with pytest.raises(fw.InvalidConfigError) as fixed:
        counting_server.configure(width=640)
    assert fixed.value.field == "width"
    assert counting_server.bundles()["io.framewire.runtime"] == "ACTIVE"


def test_messages_must_be_json_objects(counting_server):
    counting_server.send_message({"hello": "browser"})
    counting_server.send_message('{"text": "as text"}')
    for bad in ("not json", "[1, 2]"):
        with pytest.raises(fw.InvalidFrameError) as refused:
            counting_server.send_message(bad)
        assert refused.value.field == "message"


def test_access_units_pass_through_from_bytes():
    """Pre-encoded H.264 from the distribution's sample file, access unit by access unit."""
    sample = fw.distribution_home().parent / "samples" / "testsrc-1080p30.h264"
    if not sample.is_file():
        sample = __import__("pathlib").Path(__file__).resolve().parents[2] / "distribution/src/main/dist/samples/testsrc-1080p30.h264"
    data = sample.read_bytes()
    units = access_units(data)
    config = fw.ServerConfig(width=1920, height=1080, video_input=fw.VideoInput.H264, transport="null", http_port=0)
    with fw.Server(config) as server:
        for unit in units[:30]:
            server.stream_video(fw.VideoFrame(unit, width=1920, height=1080, size_bytes=len(unit)))
            time.sleep(1 / 30)
        held = []  # a host pointer carries no owner: the caller keeps each unit until the next call returns
        for unit in units[30:40]:
            held = held[-1:] + [np.frombuffer(unit, np.uint8)]
            server.stream_video(fw.VideoFrame(held[-1].ctypes.data, width=1920, height=1080, size_bytes=len(unit)))
            time.sleep(1 / 30)
        wait_until("passed through", lambda: server.health().counters["frames_sent"] >= 30)
        assert server.health().encoder == "bitstream-h264"
        with pytest.raises(fw.InvalidFrameError):
            server.stream_video(fw.VideoFrame(b"no start code", width=1920, height=1080, size_bytes=13))
        assert server.health().counters["frames_refused"] == 1


def access_units(data: bytes) -> list[bytes]:
    """Splits an H.264 Annex B stream into access units: a new one starts at an AUD, SPS, PPS or
    SEI, or at a slice whose first_mb_in_slice is 0, once the current one has a slice."""
    nals = []
    i = data.find(b"\x00\x00\x01")
    while i >= 0:
        begin = i - 1 if i > 0 and data[i - 1] == 0 else i
        nals.append((begin, data[i + 3] & 0x1F, bool(data[i + 4] & 0x80) if i + 4 < len(data) else False))
        i = data.find(b"\x00\x00\x01", i + 3)
    units, start, has_slice = [], 0, False
    for begin, nal_type, first_mb_zero in nals:
        opens = nal_type in (6, 7, 8, 9) or (nal_type in (1, 5) and first_mb_zero)
        if opens and has_slice:
            units.append(data[start:begin])
            start, has_slice = begin, False
        has_slice = has_slice or nal_type in (1, 5)
    units.append(data[start:])
    return units


def test_plugins_are_chosen_by_configuration_and_plugins_dir_works_like_load(tmp_path):
    """A .cfg file in plugins_dir configures a plugin (FileInstall, as the distribution's load/),
    and the source plugin can be switched live from Python."""
    cfg = tmp_path / "io.framewire.plugin.testpattern.loader.cfg"
    cfg.write_text("loadDelayMillis=1200\n")
    config = fw.ServerConfig(width=WIDTH, height=HEIGHT, transport="null", http_port=0)
    with fw.Server(config, plugins_dir=tmp_path) as server:
        assert server.plugins_dir == tmp_path.resolve()
        server.configure(source="test-pattern")
        wait_until("the test pattern plays", lambda: server.health().source == "test-pattern" and server.ready)

        def still_loading_a_second_later():
            server.load_stage("scene:demo")
            time.sleep(1.0)
            loading = server.health().stage_loading == "scene:demo"
            wait_until("loaded", lambda: server.health().stage_loading is None, timeout=10)
            return loading

        # FileInstall applies the .cfg at its next scan of plugins_dir (about once a second), which
        # may come after the stream started: until then a load takes no time (loadDelayMillis 0)
        deadline = time.monotonic() + 15
        while not still_loading_a_second_later():
            assert time.monotonic() < deadline, "the loadDelayMillis=1200 of the plugins_dir .cfg never applied"
        # the folder is the caller's: read, never written (FileInstall's write-back once emptied it)
        assert cfg.read_text() == "loadDelayMillis=1200\n"
