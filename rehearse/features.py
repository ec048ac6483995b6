"""Whisper's log-Mel spectrogram, computed a slice of frames at a time to bound memory.

faster-whisper computes the spectrogram of the whole recording in one NumPy STFT, which holds several
copies of every 25 ms frame (float32 frames, complex128 and complex64 spectra): 440 MB at the peak for a
10-minute answer, while the features themselves take 19 MB. Frames are independent, so computing the
STFT 30 s at a time gives bit-identical features (the mel projection and the log scaling still run over
the whole spectrogram, as the global maximum needs) with a peak of about a third.
"""

from __future__ import annotations

import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor

SLICE_FRAMES = 3000  # 30 s of 10 ms hops


class SlicedFeatureExtractor(FeatureExtractor):
    """A drop-in FeatureExtractor whose STFT runs over SLICE_FRAMES frames at a time."""

    def __call__(self, waveform: np.ndarray, padding: int = 160, chunk_length: int | None = None) -> np.ndarray:
        """The same log-Mel features as FeatureExtractor.__call__, computed in slices."""
        if chunk_length is not None:
            self.n_samples = chunk_length * self.sampling_rate
            self.nb_max_frames = self.n_samples // self.hop_length
        waveform = waveform.astype(np.float32, copy=False)
        if padding:
            waveform = np.pad(waveform, (0, padding))
        # The parent's STFT centres frames by reflection padding; pad once, then slice without it.
        padded = np.pad(waveform, (self.n_fft // 2, self.n_fft // 2), mode="reflect")
        # The parent drops the last frame; keep the same count.
        frames = (padded.size - self.n_fft) // self.hop_length
        if frames < 1:
            return super().__call__(waveform, padding=0)
        window = np.hanning(self.n_fft + 1)[:-1].astype("float32")
        magnitudes = np.empty((self.n_fft // 2 + 1, frames), dtype=np.float32)
        for first in range(0, frames, SLICE_FRAMES):
            last = min(first + SLICE_FRAMES, frames)
            piece = padded[first * self.hop_length : (last - 1) * self.hop_length + self.n_fft]
            stft = self.stft(piece, self.n_fft, self.hop_length, window=window, center=False, return_complex=True)
            magnitudes[:, first:last] = np.abs(stft.astype("complex64")) ** 2
        mel_spec = self.mel_filters @ magnitudes
        log_spec = np.log10(np.clip(mel_spec, a_min=1e-10, a_max=None))
        log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
        return (log_spec + 4.0) / 4.0
