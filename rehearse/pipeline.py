"""Audio in, Report out: decoding, transcription and the analysis core, wired together."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rehearse.analysis import analyze_words
from rehearse.audio import decode_audio, duration_s, is_silent
from rehearse.checks import CheckSettings
from rehearse.errors import NoSpeechError
from rehearse.models import ModelChoice, resolve_model
from rehearse.pauses import find_pauses
from rehearse.transcribe import DecodeOptions, ProgressCallback, Transcriber
from rehearse.types import InputInfo, Report


class AudioAnalyzer:
    """Resolves the model once; the model loads on the first file that needs it.

    `model` is the user's --model value, or a ModelChoice already resolved (batch workers get one, so
    the default model's checksum is verified once, not once per worker). `cpu_threads` None uses every
    core.
    """

    def __init__(self, model: str | ModelChoice | None = None, settings: CheckSettings = CheckSettings(),
                 decode_options: DecodeOptions = DecodeOptions(), cpu_threads: int | None = None):
        self._choice = model if isinstance(model, ModelChoice) else resolve_model(model)
        self._settings = settings
        self._decode_options = decode_options
        self._cpu_threads = cpu_threads
        self._transcriber: Transcriber | None = None

    @property
    def choice(self) -> ModelChoice:
        """The resolved model."""
        return self._choice

    @property
    def decode_options(self) -> DecodeOptions:
        """How Whisper is asked to decode (e.g. keeping fillers)."""
        return self._decode_options

    @property
    def transcriber(self) -> Transcriber:
        if self._transcriber is None:
            self._transcriber = Transcriber(self._choice, cpu_threads=self._cpu_threads)
        return self._transcriber

    def analyze_file(self, path: Path, show_progress: bool = False,
                     on_progress: ProgressCallback | None = None) -> Report:
        """Decode, transcribe and analyse one recorded answer.

        `show_progress` draws a progress line on stderr; `on_progress` is called instead with
        (seconds transcribed, total seconds).
        """
        samples = decode_audio(path)
        if is_silent(samples):
            raise NoSpeechError(f"{path}: is silent; check the microphone was on and re-record the answer")
        progress = _Progress(path.name) if show_progress else None
        # Pauses are found beside the transcription: the voice activity model runs on one thread
        # and releases the GIL, and the decoder leaves part of the second core idle.
        with ThreadPoolExecutor(max_workers=1) as pool:
            finding_pauses = pool.submit(find_pauses, samples)
            try:
                words = self.transcriber.transcribe(samples, self._decode_options, progress or on_progress)
            finally:
                if progress:
                    progress.done()
            pauses = finding_pauses.result()
        info = InputInfo("audio", str(path), duration_s(samples))
        return analyze_words(words, info, self._settings, model=self.transcriber.label, pauses=pauses,
                             fillers_kept=self._decode_options.keeps_fillers)


class _Progress:
    """A one-line progress indicator on stderr (redrawn in place on a terminal)."""

    def __init__(self, name: str):
        self._name = name
        self._tty = sys.stderr.isatty()
        self._last_percent = -1
        if not self._tty:
            sys.stderr.write(f"Transcribing {name} ...\n")

    def __call__(self, done_s: float, total_s: float) -> None:
        percent = int(100 * done_s / total_s) if total_s else 100
        if self._tty and percent != self._last_percent:
            self._last_percent = percent
            bar = "#" * (percent // 5)
            sys.stderr.write(f"\rTranscribing {self._name} [{bar:<20}] {percent:3d}%")
            sys.stderr.flush()

    def done(self) -> None:
        if self._tty:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
