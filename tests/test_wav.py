"""The crash-safe WAV writer and `recover`: the file is playable after every flush, repairable after kill -9."""

from __future__ import annotations

import struct
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from rehearse.errors import InputFileError, OutputError
from rehearse.wav import HEADER_BYTES, WavWriter, recover_wav, wav_header
from tests.test_cli import rehearse

RATE_HZ = 16_000


def pcm(seconds: float, seed: int = 0) -> bytes:
    return np.random.default_rng(seed).integers(-3000, 3000, int(seconds * RATE_HZ), dtype=np.int16).tobytes()


def read_wav(path: Path) -> bytes:
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE_HZ)
        return w.readframes(w.getnframes())


def test_header_is_what_the_wave_module_writes(tmp_path):
    with wave.open(str(tmp_path / "ref.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE_HZ)
        w.writeframes(pcm(0.5))
    assert (tmp_path / "ref.wav").read_bytes()[:HEADER_BYTES] == wav_header(16_000, RATE_HZ)


def test_every_flush_leaves_a_playable_file_with_everything_flushed(tmp_path):
    path = tmp_path / "take.wav"
    writer = WavWriter(path, RATE_HZ)
    audio = pcm(2.0)
    writer.append(audio[:32_000])
    writer.flush()
    assert read_wav(path) == audio[:32_000]  # read while the writer still holds the file open
    writer.append(audio[32_000:])
    writer.close()
    assert read_wav(path) == audio
    assert writer.durable_duration_s == pytest.approx(2.0)


def test_an_existing_take_is_never_overwritten(tmp_path):
    path = tmp_path / "take.wav"
    path.write_bytes(b"keep me")
    with pytest.raises(OutputError, match="already exists"):
        WavWriter(path, RATE_HZ)
    assert path.read_bytes() == b"keep me"


def test_recover_fixes_sizes_a_kill_left_behind(tmp_path):
    path = tmp_path / "take.wav"
    audio = pcm(1.5)
    # What kill -9 between an append and the header rewrite leaves: the header says 0.5 s,
    # the file holds 1.5 s and half a sample more.
    path.write_bytes(wav_header(16_000, RATE_HZ) + audio + b"\x01")
    result = recover_wav(path)
    assert result.repaired and result.header_duration_s == pytest.approx(0.5)
    assert result.duration_s == pytest.approx(1.5)
    assert read_wav(path) == audio
    assert not recover_wav(path).repaired  # idempotent


def test_recover_refuses_what_is_not_a_take(tmp_path):
    (tmp_path / "notes.wav").write_bytes(b"not a wav file at all, just some text here....")
    with pytest.raises(InputFileError, match="not a WAV take"):
        recover_wav(tmp_path / "notes.wav")
    with pytest.raises(InputFileError, match="no such file"):
        recover_wav(tmp_path / "missing.wav")


def test_recover_command_reports_what_it_did(tmp_path):
    path = tmp_path / "take.wav"
    path.write_bytes(wav_header(0, RATE_HZ) + pcm(1.0))
    result = rehearse("recover", str(path), str(tmp_path / "missing.wav"))
    assert result.returncode == 1
    assert "repaired, 1.0 s of audio" in result.stdout
    assert "missing.wav: no such file" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs: a real full disk (needs root, as in CI)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_leaves_a_valid_file_with_what_fitted(tiny_disk):
    path = tiny_disk / "take.wav"
    writer = WavWriter(path, RATE_HZ)
    audio = pcm(4.0)  # 128 KB: twice the disk
    block_bytes = 3200
    with pytest.raises(OSError):
        for start in range(0, len(audio), block_bytes):
            writer.append(audio[start : start + block_bytes])
            writer.flush()
    writer.close()
    kept = read_wav(path)
    assert len(kept) > 40_000 and audio.startswith(kept)
    assert path.stat().st_size == HEADER_BYTES + len(kept)
    assert struct.unpack("<I", path.read_bytes()[40:44])[0] == len(kept)
