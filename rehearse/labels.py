"""Labelled answers (fixtures/answers, fixtures/devset): load them as words with true phases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rehearse.typed import DEFAULT_PACE_WPM, estimate_words
from rehearse.types import Phase, Word


@dataclass(frozen=True)
class LabelledAnswer:
    """An answer's words (times estimated at a pace) and each word's true phase."""

    id: str
    words: tuple[Word, ...]
    phases: tuple[Phase, ...]
    expect_fire: tuple[str, ...]
    expect_quiet: tuple[str, ...]


def load_labelled(path: Path, pace_wpm: float = DEFAULT_PACE_WPM) -> LabelledAnswer:
    """Read one labelled answer JSON file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    text_parts: list[str] = []
    phases: list[Phase] = []
    for segment in data["segments"]:
        tokens = segment["text"].split()
        text_parts.extend(tokens)
        phases.extend([segment["phase"]] * len(tokens))
    words = estimate_words(" ".join(text_parts), pace_wpm)
    expect = data.get("expect", {})
    return LabelledAnswer(data["id"], tuple(words), tuple(phases),
                          tuple(expect.get("fire", ())), tuple(expect.get("quiet", ())))
