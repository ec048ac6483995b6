"""Capture through real PortAudio from an ALSA `file` capture device, and the device error messages.

The ALSA file plugin plays a raw file as a microphone (not paced in real
time), so these tests check what is captured, bit for bit, and what each
failure leaves on disk. Paced timing is in test_record_paced.
"""

from __future__ import annotations

import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from rehearse.audio import decode_audio
from rehearse.errors import DeviceError, OutputError
from rehearse.record import Recorder, list_input_devices
from tests.conftest import AUDIO_DIR

pytestmark = pytest.mark.slow

ANSWER = AUDIO_DIR / "weak-we-slack.flac"


def rehearse_env(*args: str, env: dict[str, str], stdin=subprocess.DEVNULL, cwd: Path | None = None):
    return subprocess.run([sys.executable, "-m", "rehearse", *args], env={**os.environ, "NO_COLOR": "1", **env},
                          stdin=stdin, capture_output=True, text=True, timeout=300, cwd=cwd)


def wav_samples(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16_000)
        return np.frombuffer(w.readframes(w.getnframes()), "<i2")


@pytest.fixture(scope="module")
def file_mic(tmp_path_factory):
    """An ALSA config whose default capture device reads a voiced answer (16 kHz s16le raw)."""
    folder = tmp_path_factory.mktemp("alsa")
    raw = folder / "in.raw"
    samples = (np.clip(decode_audio(ANSWER), -1, 1) * 32767).astype("<i2")
    samples.tofile(raw)
    conf = folder / "file-mic.conf"
    conf.write_text(f'pcm.!default {{ type file; slave.pcm "null"; file "/dev/null"; infile "{raw}"; format "raw" }}\n')
    return {"env": {"ALSA_CONFIG_PATH": f"/usr/share/alsa/alsa.conf:{conf}"}, "samples": samples}


@pytest.fixture
def use_file_mic(file_mic, monkeypatch):
    """Point this process's PortAudio at the file microphone (PortAudio reads ALSA's config at init)."""
    monkeypatch.setenv("ALSA_CONFIG_PATH", file_mic["env"]["ALSA_CONFIG_PATH"])
    code = ("import sounddevice as sd, json; "
            "print(json.dumps([d['name'] for d in sd.query_devices() if d['max_input_channels']]))")
    names = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    if "default" not in names:
        pytest.fail(f"the ALSA file microphone did not appear: {names}")
    import sounddevice as sd

    sd._terminate()
    sd._initialize()
    yield file_mic
    monkeypatch.delenv("ALSA_CONFIG_PATH")
    sd._terminate()
    sd._initialize()


def test_devices_lists_the_virtual_microphone(file_mic):
    result = rehearse_env("devices", env=file_mic["env"])
    assert result.returncode == 0, result.stderr
    assert "* " in result.stdout and "default" in result.stdout and "ALSA" in result.stdout


def test_record_captures_the_device_bit_for_bit_and_stops_at_max_seconds(file_mic, tmp_path):
    # stdin is /dev/null: an empty, closed stdin must not stop the take.
    result = rehearse_env("record", "--max-seconds", "20", "--out", str(tmp_path / "takes"), "--question",
                          "Tell me about a time you fixed something", "--json", "-", "--focus", "ownership",
                          "--disable", "we-not-i", env=file_mic["env"])
    assert result.returncode == 0, result.stderr
    (take,) = (tmp_path / "takes").glob("*.wav")
    assert take.name.endswith("-tell-me-about-a-time-you-fixed-something.wav")
    captured = wav_samples(take)
    assert captured.size == 20 * 16_000
    assert np.array_equal(captured, file_mic["samples"][: captured.size])
    assert "stopped by max-seconds" in result.stderr and str(take) in result.stderr
    import json

    report = json.loads(result.stdout)
    assert report["input"]["path"] == str(take) and report["input"]["duration_s"] == pytest.approx(20.0)
    assert report["phases"][0]["name"] == "situation" and len(report["words"]) > 30
    # The analysis options of `analyze` apply to a take too.
    assert "we-not-i" not in {f["rule"] for f in report["findings"]}


def test_an_exception_in_the_consumer_leaves_a_playable_take(use_file_mic, tmp_path):
    seen: list[int] = []

    def failing_consumer(samples: np.ndarray) -> None:
        seen.append(samples.size)
        if len(seen) == 30:
            raise RuntimeError("boom")

    recorder = Recorder(tmp_path / "take.wav", on_audio=failing_consumer, max_seconds=10)
    recorder.start()
    assert recorder.failed.wait(10)
    recorder.stop()
    assert isinstance(recorder.error, OutputError) and "take.wav" in str(recorder.error)
    captured = wav_samples(tmp_path / "take.wav")
    assert captured.size >= 30 * 1600
    assert np.array_equal(captured, use_file_mic["samples"][: captured.size])


@pytest.fixture
def tiny_disk(tmp_path):
    """A 256 KiB tmpfs: a real full disk after 8 s of audio (needs root, as in CI)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_stops_the_take_and_keeps_what_fitted(use_file_mic, tiny_disk):
    recorder = Recorder(tiny_disk / "take.wav", max_seconds=30)
    recorder.start()
    assert recorder.failed.wait(10)
    kept_s = recorder.stop()
    assert "disk is full" in str(recorder.error) and str(tiny_disk / "take.wav") in str(recorder.error)
    captured = wav_samples(tiny_disk / "take.wav")
    assert 6.0 < kept_s <= 8.2 and captured.size == round(kept_s * 16_000)
    assert np.array_equal(captured, use_file_mic["samples"][: captured.size])


def test_a_missing_input_device_is_one_line_with_the_fix(file_mic, tmp_path):
    result = rehearse_env("record", "--device", "no-such-mic", "--max-seconds", "2", "--out", str(tmp_path),
                          env=file_mic["env"])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no-such-mic" in result.stderr and "rehearse devices" in result.stderr
    assert not list(tmp_path.glob("*.wav"))  # no empty take left behind


def test_no_input_device_at_all(tmp_path):
    # A config whose only devices are the card-less defaults: nothing can capture.
    env = {"ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf", "XDG_RUNTIME_DIR": str(tmp_path),
           "PULSE_SERVER": "unix:/nonexistent"}
    for command in (["devices"], ["record", "--max-seconds", "2", "--out", str(tmp_path)]):
        result = rehearse_env(*command, env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "no input device found" in result.stderr


@pytest.fixture
def no_portaudio(tmp_path):
    """A Python startup hook that makes the PortAudio library unfindable, as on a machine without it."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import ctypes.util\n_real = ctypes.util.find_library\n"
        "ctypes.util.find_library = lambda name: None if 'portaudio' in name else _real(name)\n")
    return {"PYTHONPATH": f"{hook}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def test_without_portaudio_record_and_devices_say_how_to_install_it(no_portaudio, tmp_path):
    for command in (["devices"], ["record", "--max-seconds", "2", "--out", str(tmp_path)]):
        result = rehearse_env(*command, env=no_portaudio)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "libportaudio2" in result.stderr


def test_without_portaudio_check_and_analyze_still_work(no_portaudio, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text("The situation was that our webhooks failed. I fixed the retries. Drops went to zero.")
    assert rehearse_env("check", str(answer), env=no_portaudio).returncode == 0
    result = rehearse_env("analyze", str(AUDIO_DIR / "outcome-first.flac"), "--quiet", env=no_portaudio)
    assert result.returncode == 0, result.stderr


def test_list_input_devices_in_process_sees_the_file_microphone(use_file_mic, tmp_path):
    devices = list_input_devices()
    assert [d.name for d in devices if d.is_default] == ["default"]
    with pytest.raises(DeviceError, match="no-such-mic"):
        Recorder(tmp_path / "take.wav", device="no-such-mic").start()
    assert not (tmp_path / "take.wav").exists()
