"""Typed answers: words with times estimated from a speaking pace (pure)."""

from __future__ import annotations

from rehearse.types import Word

DEFAULT_PACE_WPM = 150.0


def estimate_words(text: str, pace_wpm: float = DEFAULT_PACE_WPM) -> list[Word]:
    """Split typed text into words, each lasting 60/pace seconds, back to back."""
    seconds_per_word = 60.0 / pace_wpm
    return [
        Word(token, round(i * seconds_per_word, 3), round((i + 1) * seconds_per_word, 3))
        for i, token in enumerate(text.split())
    ]
