"""Decode an audio file to 16 kHz mono float32 samples, rejecting bad input early."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rehearse.errors import InputFileError

SAMPLE_RATE_HZ = 16_000
SUPPORTED_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus", ".webm", ".mp4", ".aac")


def check_input_path(path: Path) -> None:
    """Raise InputFileError unless `path` is a non-empty regular file."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file; check the path (record a take with `rehearse record`)")
    if path.is_dir():
        # `analyze` expands a folder into its audio files, so a folder that gets here holds none.
        raise InputFileError(f"{path}: is a directory with no audio files in it; pass recorded answers "
                             "(wav, flac, mp3, m4a, ogg, webm) or a folder holding them")
    if path.stat().st_size == 0:
        raise InputFileError(f"{path}: file is empty (0 bytes); re-export or re-record the answer")


def decode_audio(path: Path) -> np.ndarray:
    """Return the file's audio as 16 kHz mono float32 in [-1, 1].

    Any container and codec FFmpeg (through PyAV) reads is accepted: wav,
    flac, mp3, m4a/aac, ogg/opus, webm.
    """
    check_input_path(path)
    # PyAV is imported here, not at module level, so typed-answer commands stay fast.
    import av
    from faster_whisper.audio import decode_audio as fw_decode_audio

    try:
        samples = fw_decode_audio(str(path), sampling_rate=SAMPLE_RATE_HZ)
    except (av.error.FFmpegError, ValueError, IndexError, StopIteration) as exc:
        raise InputFileError(
            f"{path}: not readable as audio ({type(exc).__name__}); "
            f"export it as wav, flac, mp3, m4a, ogg or webm"
        ) from None
    if samples.size == 0:
        raise InputFileError(f"{path}: holds no audio samples; re-export or re-record the answer")
    return samples.astype(np.float32, copy=False)


def duration_s(samples: np.ndarray) -> float:
    """Length of 16 kHz samples in seconds."""
    return samples.size / SAMPLE_RATE_HZ


def is_silent(samples: np.ndarray, threshold_dbfs: float = -50.0) -> bool:
    """True when even the loudest 100 ms window stays below `threshold_dbfs`.

    A cheap guard before transcription: Whisper tends to invent words
    ("Thank you.") on pure silence.
    """
    window = SAMPLE_RATE_HZ // 10
    usable = samples[: samples.size - samples.size % window]
    if usable.size == 0:
        usable = np.pad(samples, (0, window - samples.size))
    rms = np.sqrt(np.mean(usable.reshape(-1, window) ** 2, axis=1))
    loudest_dbfs = 20 * np.log10(max(float(rms.max()), 1e-10))
    return loudest_dbfs < threshold_dbfs
