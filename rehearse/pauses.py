"""Pauses found in the audio itself, with Silero voice activity detection.

Whisper's word timestamps drift after a silence (a word may "start" well
before it is spoken), so gaps between words understate pauses; the audio says
where the speaker was silent. Silero VAD ships inside faster-whisper and runs
offline.

The model reads the audio in 32 ms windows and carries its state from one to
the next, so it can be fed as a take is recorded (`PauseTracker.feed`, then
`process` on a worker thread) and gives the same speech probabilities as one
pass over the whole file: `rehearse record` has its pauses the moment the take
stops, and they match what `rehearse analyze` finds in the saved WAV.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from rehearse.audio import SAMPLE_RATE_HZ
from rehearse.delivery import DEFAULT_MIN_PAUSE_S, Pause

# Silero's window and the samples of the previous window it sees as context (faster-whisper's v6 model).
WINDOW_SAMPLES = 512
CONTEXT_SAMPLES = 64
STATE_SHAPE = (1, 1, 128)
# Windows per model call (32 s of audio): faster-whisper's 10,000 (320 s) needs about 90 MB
# more at once, and a file's pauses are found while it is being transcribed.
BATCH_WINDOWS = 1_000
# Speech starts where the probability reaches SPEECH_THRESHOLD and ends where it falls
# under SILENCE_THRESHOLD (faster-whisper's defaults: 0.5 and 0.5 - 0.15).
SPEECH_THRESHOLD = 0.5
SILENCE_THRESHOLD = 0.35


def find_pauses(samples: np.ndarray, min_pause_s: float = DEFAULT_MIN_PAUSE_S) -> list[Pause]:
    """Silences of at least `min_pause_s` between stretches of speech in a whole recording."""
    tracker = PauseTracker()
    tracker.feed(samples)
    return tracker.pauses(min_pause_s)


class PauseTracker:
    """Voice activity over audio that arrives in pieces, for the pauses of a live take.

    `feed` is cheap (it queues the samples) and safe to call from the capture thread;
    `process` runs the model over what has arrived and belongs on a worker thread;
    `pauses` processes the rest and reads the pauses off.
    """

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model

        self._model = get_vad_model()  # loaded once per process, before the take starts
        self._lock = threading.Lock()
        self._queued: list[np.ndarray] = []
        self._leftover = np.zeros(0, np.float32)
        self._context = np.zeros(CONTEXT_SAMPLES, np.float32)
        self._h = np.zeros(STATE_SHAPE, np.float32)
        self._c = np.zeros(STATE_SHAPE, np.float32)
        self._probabilities: list[np.ndarray] = []
        self._total_samples = 0

    def feed(self, samples: np.ndarray) -> None:
        """Queue 16 kHz mono float32 samples."""
        with self._lock:
            self._queued.append(np.asarray(samples, np.float32).reshape(-1))
            self._total_samples += samples.size

    def process(self) -> None:
        """Run the model over every whole window queued so far."""
        with self._lock:
            queued, self._queued = self._queued, []
        if queued:
            self._leftover = np.concatenate([self._leftover, *queued])
        whole = self._leftover.size // WINDOW_SAMPLES * WINDOW_SAMPLES
        if whole:
            self._run(self._leftover[:whole])
            self._leftover = self._leftover[whole:]

    def pauses(self, min_pause_s: float = DEFAULT_MIN_PAUSE_S) -> list[Pause]:
        """Process what is left (the last window padded with silence) and return the pauses."""
        self.process()
        if self._leftover.size:
            self._run(np.pad(self._leftover, (0, WINDOW_SAMPLES - self._leftover.size)))
            self._leftover = np.zeros(0, np.float32)
        probabilities = np.concatenate(self._probabilities) if self._probabilities else np.zeros(0)
        return pauses_from_probabilities(probabilities, self._total_samples, min_pause_s)

    def _run(self, audio: np.ndarray) -> None:
        windows = audio.reshape(-1, WINDOW_SAMPLES)
        for start in range(0, len(windows), BATCH_WINDOWS):
            batch = windows[start:start + BATCH_WINDOWS]
            contexts = np.concatenate([self._context[None, :], batch[:-1, -CONTEXT_SAMPLES:]])
            output, self._h, self._c = self._model.session.run(
                None, {"input": np.concatenate([contexts, batch], axis=1), "h": self._h, "c": self._c})
            self._context = batch[-1, -CONTEXT_SAMPLES:].copy()
            self._probabilities.append(np.asarray(output, np.float32).reshape(-1))


def pauses_from_probabilities(probabilities: Sequence[float], total_samples: int,
                              min_pause_s: float = DEFAULT_MIN_PAUSE_S) -> list[Pause]:
    """Pauses from per-window speech probabilities, as faster-whisper's VAD cuts speech (no padding).

    A stretch of speech ends at the first window under SILENCE_THRESHOLD that is followed by
    `min_pause_s` without a window at SPEECH_THRESHOLD; the pause runs from there to the next
    speech window.
    """
    min_silence = min_pause_s * SAMPLE_RATE_HZ
    speech: list[tuple[int, int]] = []
    start, silent_from, talking = 0, 0, False
    for i, probability in enumerate(probabilities):
        position = i * WINDOW_SAMPLES
        if probability >= SPEECH_THRESHOLD:
            silent_from = 0
            if not talking:
                talking, start = True, position
            continue
        if talking and probability < SILENCE_THRESHOLD:
            silent_from = silent_from or position
            if position - silent_from >= min_silence:
                speech.append((start, silent_from))
                talking, silent_from = False, 0
    if talking:
        speech.append((start, total_samples))
    return [
        Pause(round(a_end / SAMPLE_RATE_HZ, 3), round(b_start / SAMPLE_RATE_HZ, 3))
        for (_, a_end), (b_start, _) in zip(speech, speech[1:])
        if b_start - a_end >= min_silence
    ]
