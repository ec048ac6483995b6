"""Streaming transcription while a take is recorded: LocalAgreement-2 over a growing audio buffer.

The policy is ufal/whisper_streaming's: about every second the uncommitted
audio buffer is re-transcribed, and the words two consecutive passes agree on
(their longest common prefix) are committed. The buffer is trimmed at a
committed sentence end once it is longer than `trim_after_s`, so each pass
stays short. When the take stops only the uncommitted tail is transcribed,
which is what keeps the report close to instant.

Times are in the whole take's timeline.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from rehearse.audio import SAMPLE_RATE_HZ, is_silent
from rehearse.transcribe import DecodeOptions, Transcriber
from rehearse.types import Word

# A new pass re-hears the last committed word; words starting before this
# margin past the last committed end are taken as already committed.
OVERLAP_MARGIN_S = 0.1
# The boundary between committed and new words may repeat up to this many words.
MAX_REPEATED_NGRAM = 5
TRIM_AFTER_S = 10.0
# Past this, the buffer is cut even without a sentence end. Passes that keep
# disagreeing would otherwise let it grow, and every pass grow slower (Whisper
# decodes more than 30 s as several windows): words the latest pass heard with
# at least FORCE_COMMIT_CONTEXT_S of audio after them are committed unagreed.
FORCE_TRIM_AFTER_S = 15.0
FORCE_COMMIT_CONTEXT_S = 6.0
# The tail transcribed at stop starts this long before the last committed word ends,
# so Whisper hears the word boundary in context.
TAIL_CONTEXT_S = 1.0
# Audio after the last pass quieter than this holds no new words: the last
# pass's pending words are the tail, and stopping costs no model call.
QUIET_TAIL_DBFS = -45.0

_SENTENCE_END = re.compile(r"[.?!][\"')\]]*$")


def _key(word: Word) -> str:
    """Words are compared without case or punctuation: passes often differ only in those."""
    return re.sub(r"[^\w']", "", word.text.lower())


class LocalAgreement:
    """LocalAgreement-2 over word hypotheses (pure): commit what two consecutive passes agree on."""

    def __init__(self) -> None:
        self._committed: list[Word] = []
        self._previous: list[Word] = []

    @property
    def committed(self) -> tuple[Word, ...]:
        return tuple(self._committed)

    @property
    def pending(self) -> tuple[Word, ...]:
        """The latest pass's words that are not committed yet."""
        return tuple(self._previous)

    @property
    def committed_end_s(self) -> float:
        return self._committed[-1].end_s if self._committed else 0.0

    def new_words(self, hypothesis: Sequence[Word]) -> list[Word]:
        """The part of a pass (absolute times) that lies past what is committed."""
        fresh = [w for w in hypothesis if w.start_s > self.committed_end_s - OVERLAP_MARGIN_S]
        if fresh and self._committed and abs(fresh[0].start_s - self.committed_end_s) < 1.0:
            # Whisper may re-hear the committed tail's last few words: drop the repeat.
            for n in range(min(MAX_REPEATED_NGRAM, len(fresh), len(self._committed)), 0, -1):
                if [_key(w) for w in self._committed[-n:]] == [_key(w) for w in fresh[:n]]:
                    return fresh[n:]
        return fresh

    def commit_until(self, end_s: float) -> list[Word]:
        """Commit the pending words that end by `end_s` without waiting for agreement."""
        count = next((i for i, w in enumerate(self._previous) if w.end_s > end_s), len(self._previous))
        newly, self._previous = self._previous[:count], self._previous[count:]
        self._committed.extend(newly)
        return newly

    def insert(self, hypothesis: Sequence[Word]) -> list[Word]:
        """Take one pass over the uncommitted audio; return the words it newly commits."""
        fresh = self.new_words(hypothesis)
        agreed = 0
        for old, new in zip(self._previous, fresh):
            if _key(old) != _key(new):
                break
            agreed += 1
        newly = fresh[:agreed]
        self._committed.extend(newly)
        self._previous = fresh[agreed:]
        return newly


class StreamingTranscriber:
    """Transcribes a take while it is being recorded.

    `insert_audio_chunk` is called by the capture thread, `process_iter` by a
    worker about every second, and `finish` once after the take stops. The
    model is the one the caller loaded, with the same decode options as a
    file analysis, except that each pass is decoded as one window, not batched.
    """

    def __init__(self, transcriber: Transcriber, options: DecodeOptions = DecodeOptions(),
                 trim_after_s: float = TRIM_AFTER_S):
        self._transcriber = transcriber
        # A pass hears at most about 15 s, one window: there is nothing to batch.
        self._options = replace(options, batch_size=1)
        self._trim_after_s = trim_after_s
        self._lock = threading.Lock()
        self._chunks: list[np.ndarray] = []
        self._buffer = np.zeros(0, np.float32)
        self._buffer_start_s = 0.0
        self._total_samples = 0
        self._processed_end_s = 0.0  # where the audio the last pass heard ends
        self._agreement = LocalAgreement()

    @property
    def received_s(self) -> float:
        """Seconds of audio inserted so far."""
        return self._total_samples / SAMPLE_RATE_HZ

    @property
    def committed(self) -> tuple[Word, ...]:
        """The words committed so far (safe to read from any thread)."""
        return self._agreement.committed

    def insert_audio_chunk(self, samples: np.ndarray) -> None:
        """Queue 16 kHz mono float32 samples; cheap, so the capture thread never waits on the model."""
        with self._lock:
            self._chunks.append(samples)
            self._total_samples += samples.size

    def process_iter(self) -> list[Word]:
        """One pass over the uncommitted buffer; returns the newly committed words."""
        self._take_chunks()
        if not self._buffer.size:
            return []
        hypothesis = self._transcribe(self._buffer, self._buffer_start_s)
        self._processed_end_s = self._buffer_start_s + self._buffer.size / SAMPLE_RATE_HZ
        newly = self._agreement.insert(hypothesis)
        if self._buffer.size / SAMPLE_RATE_HZ > FORCE_TRIM_AFTER_S:
            newly += self._agreement.commit_until(self._processed_end_s - FORCE_COMMIT_CONTEXT_S)
        self._trim()
        return newly

    def finish(self) -> list[Word]:
        """Transcribe the uncommitted tail once and return the whole take's words.

        When the audio since the last pass is quiet (the speaker had stopped
        talking before stopping the take), that pass's pending words are the
        tail and no model call is needed.
        """
        self._take_chunks()
        unheard = self._buffer[int((self._processed_end_s - self._buffer_start_s) * SAMPLE_RATE_HZ):]
        if self._processed_end_s > 0 and (not unheard.size or is_silent(unheard, QUIET_TAIL_DBFS)):
            return [*self._agreement.committed, *self._agreement.pending]
        committed_end_s = self._agreement.committed_end_s
        tail_start_s = max(self._buffer_start_s, committed_end_s - TAIL_CONTEXT_S)
        tail = self._buffer[int((tail_start_s - self._buffer_start_s) * SAMPLE_RATE_HZ):]
        if not tail.size:
            return list(self._agreement.committed)
        tail_words = self._agreement.new_words(self._transcribe(tail, tail_start_s))
        return [*self._agreement.committed, *tail_words]

    def _take_chunks(self) -> None:
        with self._lock:
            chunks, self._chunks = self._chunks, []
        if chunks:
            self._buffer = np.concatenate([self._buffer, *chunks])

    def _transcribe(self, samples: np.ndarray, offset_s: float) -> list[Word]:
        return [
            Word(w.text, round(w.start_s + offset_s, 3), round(w.end_s + offset_s, 3))
            for w in self._transcriber.iter_words(samples, self._options)
        ]

    def _trim(self) -> None:
        """Drop buffered audio up to a committed sentence end, once the buffer is long."""
        buffer_s = self._buffer.size / SAMPLE_RATE_HZ
        if buffer_s <= self._trim_after_s:
            return
        cut_s = trim_point_s(self._agreement.committed, self._buffer_start_s, force=buffer_s > FORCE_TRIM_AFTER_S)
        if cut_s is None:
            return
        drop = int((cut_s - self._buffer_start_s) * SAMPLE_RATE_HZ)
        self._buffer = self._buffer[drop:]
        self._buffer_start_s += drop / SAMPLE_RATE_HZ


def trim_point_s(committed: Sequence[Word], buffer_start_s: float, force: bool = False) -> float | None:
    """Where the buffer may be cut: the end of the last committed sentence inside it.

    With `force` (the buffer is far too long), the last committed word's end
    will do. None when nothing committed lies inside the buffer.
    """
    inside = [w for w in committed if w.end_s > buffer_start_s]
    for word in reversed(inside):
        if _SENTENCE_END.search(word.text):
            return word.end_s
    if force and inside:
        return inside[-1].end_s
    return None
