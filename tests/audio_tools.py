"""Write test audio in any container with PyAV (the decoder the tool itself uses)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

SAMPLE_RATE_HZ = 16_000

# suffix -> (container format, codec, sample rate the codec accepts)
FORMATS = {
    ".wav": ("wav", "pcm_s16le", 16_000),
    ".flac": ("flac", "flac", 16_000),
    ".mp3": ("mp3", "libmp3lame", 16_000),
    ".m4a": ("ipod", "aac", 16_000),
    ".ogg": ("ogg", "libopus", 48_000),
    ".webm": ("webm", "libopus", 48_000),
}


def write_audio(path: Path, samples: np.ndarray, sample_rate_hz: int = SAMPLE_RATE_HZ) -> Path:
    """Encode float32 mono samples into `path`, picking the codec from its suffix."""
    container_format, codec, codec_rate = FORMATS[path.suffix]
    if codec_rate != sample_rate_hz:
        # Opus only takes 48 kHz: resample by linear interpolation (fine for a test signal).
        positions = np.arange(int(len(samples) * codec_rate / sample_rate_hz)) * sample_rate_hz / codec_rate
        samples = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    with av.open(str(path), "w", format=container_format) as out:
        stream = out.add_stream(codec, rate=codec_rate, layout="mono")
        frame_samples = 960 if "opus" in codec else 1024
        for start in range(0, len(pcm), frame_samples):
            chunk = pcm[start : start + frame_samples]
            if "opus" in codec and len(chunk) < frame_samples:
                chunk = np.pad(chunk, (0, frame_samples - len(chunk)))
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = codec_rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path
