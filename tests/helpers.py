"""Small builders for unit tests of the pure analysis core."""

from __future__ import annotations

from rehearse.typed import estimate_words
from rehearse.types import Sentence, Word


def words(text: str, start_s: float = 0.0, pace_wpm: float = 150.0) -> list[Word]:
    """Typed words at a steady pace, shifted to start at `start_s`."""
    return [Word(w.text, w.start_s + start_s, w.end_s + start_s) for w in estimate_words(text, pace_wpm)]


def sentence(text: str, index: int = 0, start_s: float = 0.0) -> Sentence:
    return Sentence(index, tuple(words(text, start_s)))
