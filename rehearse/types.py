"""Typed records passed between the pipeline stages.

Times are seconds from the start of the input (`_s`). Phases are the five
STAR+R names in `PHASES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rehearse.delivery import Delivery

Phase = Literal["situation", "task", "action", "result", "reflection"]
PHASES: tuple[Phase, ...] = ("situation", "task", "action", "result", "reflection")

Severity = Literal["info", "warning"]


@dataclass(frozen=True)
class Word:
    """One transcribed (or typed) word with its time span."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Sentence:
    """A run of words that reads as one sentence; `index` is its position."""

    index: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def start_s(self) -> float:
        return self.words[0].start_s

    @property
    def end_s(self) -> float:
        return self.words[-1].end_s


@dataclass(frozen=True)
class PhasedSentence:
    """A sentence with the STAR phase the segmenter gave it."""

    sentence: Sentence
    phase: Phase
    # The cues that supported this phase, for --explain.
    why: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseSpan:
    """A contiguous stretch of the answer in one phase.

    `start_s` is the first word's start; `end_s` is the next span's start
    (pauses between phases count toward the earlier phase), or the last
    word's end for the final span.
    """

    name: Phase
    start_s: float
    end_s: float
    word_count: int

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Finding:
    """A timing flag or phrasing finding, anchored to a quote and a time."""

    rule: str
    severity: Severity
    phase: Phase | None
    start_s: float
    end_s: float
    quote: str
    message: str
    suggestion: str


@dataclass(frozen=True)
class InputInfo:
    """Where the answer came from."""

    kind: Literal["audio", "text"]
    path: str
    duration_s: float
    # Typed answers get times estimated from word counts at this pace.
    estimated_pace_wpm: float | None = None


@dataclass(frozen=True)
class Report:
    """Everything the analysis produces for one answer."""

    input: InputInfo
    sentences: tuple[PhasedSentence, ...]
    phases: tuple[PhaseSpan, ...]
    findings: tuple[Finding, ...]
    model: str | None = None
    settings: dict[str, float] = field(default_factory=dict)
    # How it was spoken; None for typed answers, whose times are estimates.
    delivery: Delivery | None = None

    @property
    def words(self) -> list[tuple[Word, Phase]]:
        """Every word in time order with its phase."""
        return [(w, ps.phase) for ps in self.sentences for w in ps.sentence.words]

    @property
    def speech_duration_s(self) -> float:
        """From the first word's start to the last word's end."""
        if not self.phases:
            return 0.0
        return self.phases[-1].end_s - self.phases[0].start_s
