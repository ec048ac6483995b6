"""The faster-whisper adapter: load a model once, turn samples into our Words."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from rehearse.audio import SAMPLE_RATE_HZ
from rehearse.errors import ModelError
from rehearse.models import ModelChoice
from rehearse.types import Word

# Called with (seconds transcribed so far, total seconds).
ProgressCallback = Callable[[float, float], None]

# Whisper writes down hesitations when the text "before" the audio has them; without a prompt
# it leaves most "um"s and "uh"s out. A short prompt that reaches the filler targets in
# bench/fillers.py (recall 0.81, precision 1.00 on fixtures/fillers).
FILLER_PROMPT = "Um, uh, er, like, you know."
# Looping text compresses well; normal speech stays under about 1.8.
FILLER_COMPRESSION_LIMIT = 2.0


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings passed to faster-whisper.

    Beam 1 with word timestamps is about twice as fast as beam 5 on tiny.en
    on two cores; the voice activity filter stops Whisper inventing words in
    long silences.
    """

    beam_size: int = 1
    vad_filter: bool = True
    language: str = "en"
    # Speech cut at its pauses into pieces of up to 30 s, this many decoded at once
    # (faster-whisper's BatchedInferencePipeline). No piece is conditioned on the text
    # before it, and on real speech this made fewer errors in half the time of decoding
    # 30 s windows one after another (bench/decode_settings.py). Each piece in a batch
    # holds about 50 MB of encoder attention: on a 10-minute file 8 at a time peaked at
    # 955 MB (23 s), 4 at 676 MB (25 s), 2 at 581 MB (29 s), against 600 MB allowed.
    # 1 decodes window after window; so does a filter-less decode (no pauses to cut at).
    batch_size: int = 2
    # Text Whisper takes as what came before the audio; a few hesitations in it make
    # Whisper write down the speaker's "um"s and "uh"s (see FILLER_PROMPT).
    initial_prompt: str | None = None
    # Whisper drops a 30 s window it thinks holds no speech (faster-whisper's default 0.6);
    # None never drops one. With a prompt, whole windows of speech were dropped this way.
    no_speech_threshold: float | None = 0.6
    # A window whose text compresses better than this (a loop: ".0 .0 .0 ...") is decoded
    # again at a higher temperature (faster-whisper's default 2.4).
    compression_ratio_threshold: float = 2.4

    @property
    def keeps_fillers(self) -> bool:
        """Whether these options make Whisper write the speaker's fillers down."""
        return self.initial_prompt == FILLER_PROMPT

    def keeping_fillers(self) -> DecodeOptions:
        """The same options with the filler-keeping prompt, and guards against what it costs.

        Measured in bench/fillers.py, window after window (as live passes decode): with the prompt
        Whisper judged a window of speech silent and dropped it (80 words of one answer), but the
        voice activity filter has already cut the silences out, so no window is dropped; and it
        looped on a long recording (".0 .0 .0 ..."), so a window that compresses past 2.0 is decoded
        again. Batched decoding (files) skips no window and decodes each piece once, so the guards
        only matter for live passes.
        """
        return replace(self, initial_prompt=FILLER_PROMPT, no_speech_threshold=None,
                       compression_ratio_threshold=FILLER_COMPRESSION_LIMIT)


class Transcriber:
    """Holds one loaded Whisper model; `transcribe` may be called many times."""

    def __init__(self, choice: ModelChoice, cpu_threads: int | None = None):
        # faster-whisper (and CTranslate2) are imported only when audio is analysed.
        from faster_whisper import WhisperModel

        self.label = choice.label
        try:
            self._model = WhisperModel(
                choice.source,
                device="cpu",
                compute_type="int8",
                cpu_threads=cpu_threads or os.cpu_count() or 1,
            )
        except Exception as exc:  # CTranslate2 and the hub raise many unrelated types
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if choice.is_download:
                raise ModelError(
                    f"could not download model {choice.source!r} ({reason}); without network, "
                    f"put a CTranslate2 copy under models/{choice.source}/ or omit --model"
                ) from None
            raise ModelError(
                f"could not load the model in {choice.source} ({reason}); "
                "replace the directory with a complete CTranslate2 Whisper model or omit --model"
            ) from None
        # Same features, a third of the peak memory on long recordings (see rehearse.features).
        from rehearse.features import SlicedFeatureExtractor

        self._model.feature_extractor = SlicedFeatureExtractor(**getattr(self._model, "feat_kwargs", {}))
        from faster_whisper import BatchedInferencePipeline

        self._batched = BatchedInferencePipeline(self._model)

    def transcribe(
        self,
        samples: np.ndarray,
        options: DecodeOptions = DecodeOptions(),
        on_progress: ProgressCallback | None = None,
    ) -> list[Word]:
        """Transcribe 16 kHz mono samples into words with start and end times."""
        return list(self.iter_words(samples, options, on_progress))

    def iter_words(
        self,
        samples: np.ndarray,
        options: DecodeOptions = DecodeOptions(),
        on_progress: ProgressCallback | None = None,
    ) -> Iterator[Word]:
        """Yield words as Whisper decodes them, reporting progress per segment."""
        total_s = samples.size / SAMPLE_RATE_HZ
        if options.batch_size > 1 and options.vad_filter:
            segments, _info = self._batched.transcribe(
                samples,
                language=options.language,
                beam_size=options.beam_size,
                initial_prompt=options.initial_prompt,
                word_timestamps=True,
                batch_size=options.batch_size,
            )
        else:
            segments, _info = self._model.transcribe(
                samples,
                language=options.language,
                beam_size=options.beam_size,
                vad_filter=options.vad_filter,
                initial_prompt=options.initial_prompt,
                no_speech_threshold=options.no_speech_threshold,
                compression_ratio_threshold=options.compression_ratio_threshold,
                word_timestamps=True,
            )
        for segment in segments:
            for word in segment.words or ():
                text = word.word.strip()
                if text:
                    yield Word(text=text, start_s=round(float(word.start), 3), end_s=round(float(word.end), 3))
            if on_progress:
                on_progress(min(segment.end, total_s), total_s)
        if on_progress:
            on_progress(total_s, total_s)
