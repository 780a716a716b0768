"""Frame descriptors and settings: what is refused names the field and the value, before any server runs."""
import ctypes

import numpy as np
import pytest

import framewire as fw
from framewire import _dlpack
from conftest import bgra


def test_a_numpy_picture_describes_itself():
    frame = fw.VideoFrame(bgra(48, 64))
    assert (frame.width, frame.height) == (64, 48)


@pytest.mark.parametrize("buffer, field, value", [
    (np.zeros((48, 64, 4), np.float32), "buffer.dtype", "float32"),
    (np.zeros((48, 64, 3), np.uint8), "buffer.shape", (48, 64, 3)),
    (np.zeros((48, 128, 4), np.uint8)[:, ::2], "buffer", "non-contiguous"),
])
def test_a_host_array_of_the_wrong_kind_is_refused_naming_the_field(buffer, field, value):
    with pytest.raises(fw.InvalidFrameError) as refused:
        fw.VideoFrame(buffer)
    assert (refused.value.field, refused.value.value) == (field, value)
    assert refused.value.rule


def test_something_that_is_no_buffer_is_refused_with_the_ways_that_work():
    with pytest.raises(fw.InvalidFrameError) as refused:
        fw.VideoFrame(object())
    assert (refused.value.field, refused.value.value) == ("buffer", "object")
    assert "from_dlpack" in refused.value.rule


def test_a_read_only_array_is_refused():
    frozen = bgra(48, 64)
    frozen.flags.writeable = False
    with pytest.raises(fw.InvalidFrameError, match="writable"):
        fw.VideoFrame(frozen)


def test_the_java_rules_come_back_as_field_value_and_rule():
    with pytest.raises(fw.InvalidFrameError) as refused:
        fw.VideoFrame(0x7F0000001000, width=64, height=48, pitch_bytes=100)
    assert refused.value.field == "pitchBytes"
    assert refused.value.value == 100
    assert refused.value.rule == "must be >= width*4 = 256"
    with pytest.raises(fw.InvalidFrameError) as null:
        fw.VideoFrame(0, width=64, height=48)
    assert (null.value.field, null.value.value) == ("buffer", 0)


def test_an_access_unit_longer_than_its_buffer_is_refused():
    with pytest.raises(fw.InvalidFrameError) as refused:
        fw.VideoFrame(b"\x00\x00\x00\x01\x65", width=64, height=48, size_bytes=6)
    assert (refused.value.field, refused.value.value) == ("size_bytes", 6)


def test_cuda_sync_takes_handles_and_refuses_nothing_to_wait_on():
    assert fw.CudaSync(stream=7, wait_event=9).java().waitEvent() == 9

    class TorchLikeStream:
        cuda_stream = 1234
    assert fw.CudaSync(stream=TorchLikeStream()).java().stream() == 1234
    with pytest.raises(fw.InvalidFrameError) as nothing:
        fw.CudaSync().java()
    assert nothing.value.field == "cudaSync.stream"
    with pytest.raises(fw.InvalidFrameError) as odd:
        fw.CudaSync(stream="default").java()
    assert (odd.value.field, odd.value.value) == ("stream", "str")


@pytest.mark.parametrize("settings, field, value", [
    (dict(width=321), "width", 321),
    (dict(height=0), "height", 0),
    (dict(fps=0), "fps", 0),
    (dict(bitrate_kbps=1), "bitrateKbps", 1),
    (dict(video_input="RGB"), "video_input", "RGB"),
    (dict(http_port=70000), "http_port", 70000),
    (dict(max_frame_age_millis=-1), "max_frame_age_millis", -1),
    (dict(width="1920"), "width", "1920"),
])
def test_a_bad_setting_is_refused_before_anything_starts(settings, field, value):
    with pytest.raises(fw.InvalidConfigError) as refused:
        fw.Server(fw.ServerConfig(**settings))
    assert (refused.value.field, refused.value.value) == (field, value)


def test_settings_become_the_pids_the_distribution_uses():
    config = fw.ServerConfig(width=640, height=360, video_input=fw.VideoInput.TENSOR, http_port=0)
    configurations = config.configurations()
    assert configurations["io.framewire.server"] == {"width": 640, "height": 360, "videoInput": "TENSOR",
                                                     "source": "none"}
    assert configurations["io.framewire.webrtc"] == {"httpPort": 0}
    with pytest.raises(fw.InvalidConfigError, match="is not a setting"):
        config.replace(colour="red")


# DLPack capsules: the struct kind comes from the capsule's name, and a capsule is taken once.

def _legacy_capsule(array):
    capsule = array.__dlpack__()
    assert ctypes.pythonapi.PyCapsule_GetName(capsule) == b"dltensor"
    return capsule


def _delete_legacy(address):
    """What the server does with a taken DLManagedTensor: call its deleter (offset 56 on x86-64)."""
    deleter = ctypes.cast(ctypes.c_void_p.from_address(address + 56).value, ctypes.CFUNCTYPE(None, ctypes.c_void_p))
    deleter(address)


def test_taking_a_capsule_renames_it_and_a_second_take_is_refused():
    capsule = _legacy_capsule(bgra(4, 4))
    address, versioned = _dlpack.take(capsule)
    try:
        assert address and not versioned
        assert ctypes.pythonapi.PyCapsule_GetName(capsule) == b"used_dltensor"
        with pytest.raises(fw.InvalidFrameError) as again:
            _dlpack.take(capsule)
        assert again.value.field == "capsule.name" and "already consumed" in again.value.rule
    finally:
        _delete_legacy(address)


def test_a_capsule_of_another_kind_is_refused_untouched():
    new_capsule = ctypes.pythonapi.PyCapsule_New
    new_capsule.restype = ctypes.py_object
    new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    name = ctypes.c_char_p(b"not_a_tensor")
    storage = ctypes.create_string_buffer(128)
    capsule = new_capsule(ctypes.addressof(storage), name, None)
    with pytest.raises(fw.InvalidFrameError) as refused:
        _dlpack.take(capsule)
    assert (refused.value.field, refused.value.value) == ("capsule.name", "not_a_tensor")
    assert ctypes.pythonapi.PyCapsule_GetName(capsule) == b"not_a_tensor"
    with pytest.raises(fw.InvalidFrameError) as not_capsule:
        _dlpack.take(object())
    assert not_capsule.value.field == "capsule"
