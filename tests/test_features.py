"""The sliced spectrogram: the same features as faster-whisper's, with a fraction of the memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from faster_whisper.feature_extractor import FeatureExtractor

from rehearse.audio import decode_audio
from rehearse.features import SLICE_FRAMES, SlicedFeatureExtractor
from tests.conftest import AUDIO_DIR


@pytest.mark.parametrize("samples", [100, 401, 16_000 * 3, SLICE_FRAMES * 160 - 160, SLICE_FRAMES * 160 + 7,
                                     16_000 * 95 + 123])
def test_same_features_as_faster_whisper_at_every_length(samples):
    audio = (0.1 * np.random.default_rng(samples).standard_normal(samples)).astype(np.float32)
    expected = FeatureExtractor()(audio)
    got = SlicedFeatureExtractor()(audio)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert np.array_equal(got, expected)


def test_same_features_on_a_voiced_answer_and_with_a_chunk_length():
    audio = decode_audio(AUDIO_DIR / "nurse-handover.flac")  # 82 s: three slices
    assert np.array_equal(SlicedFeatureExtractor()(audio, chunk_length=30), FeatureExtractor()(audio, chunk_length=30))


def _peak_bytes(extractor, audio) -> int:
    tracemalloc.start()
    extractor(audio)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_a_long_answer_needs_far_less_memory():
    audio = np.zeros(16_000 * 180, dtype=np.float32)
    audio[::7] = 0.1  # not silence, though that would not matter to the spectrogram's size
    assert _peak_bytes(SlicedFeatureExtractor(), audio) < 0.5 * _peak_bytes(FeatureExtractor(), audio)


@pytest.mark.slow
def test_the_transcriber_uses_it():
    from rehearse.models import resolve_model
    from rehearse.transcribe import Transcriber

    assert isinstance(Transcriber(resolve_model(None))._model.feature_extractor, SlicedFeatureExtractor)
