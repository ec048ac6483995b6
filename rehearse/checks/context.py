"""What every check sees: the phased, normalised sentences, plus helpers to cite them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rehearse.checks.rulebook import Rulebook, default_rulebook
from rehearse.text import NormalisedSentence, normalise_sentence
from rehearse.types import Finding, Phase, PhasedSentence, PhaseSpan, Severity, Word

if TYPE_CHECKING:
    from rehearse.delivery import Delivery

QUOTE_CONTEXT_WORDS = 5
QUOTE_MAX_WORDS = 24


@dataclass(frozen=True)
class CheckSettings:
    """What to check and how strictly: timing thresholds, the rulebook, focus profiles, rules off.

    `rulebook` None means the packaged default (see rehearse.checks.rulebook). Unknown focus names or
    rule ids raise RulebookError (a RehearseError) when the settings are made, naming the valid ones.
    """

    situation_limit_s: float = 45.0
    # The opening must last this long, and be this much architecture talk, to be flagged.
    architecture_min_opening_s: float = 20.0
    architecture_min_share: float = 0.5
    rulebook: Rulebook | None = None
    # Interviewer emphases (focus profiles) whose extra rules run: "ownership", "dive-deep", ...
    focus: tuple[str, ...] = ()
    # Rule ids switched off, on top of the rulebook's own `disable` list.
    disabled: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if isinstance(self.focus, str):
            object.__setattr__(self, "focus", (self.focus,))
        object.__setattr__(self, "disabled", frozenset(self.disabled))
        if self.focus or self.disabled:
            self.rules.validate_names(self.focus, self.disabled)

    @property
    def rules(self) -> Rulebook:
        """The rulebook in force (the packaged default unless one was given)."""
        return self.rulebook if self.rulebook is not None else default_rulebook()


@dataclass(frozen=True)
class ViewSentence:
    """A sentence with its phase and matchable text."""

    phase: Phase
    normalised: NormalisedSentence

    @property
    def text(self) -> str:
        return self.normalised.text

    @property
    def words(self) -> tuple[Word, ...]:
        return self.normalised.sentence.words


@dataclass(frozen=True)
class AnswerView:
    """The answer as the checks read it."""

    sentences: tuple[ViewSentence, ...]
    spans: tuple[PhaseSpan, ...]
    # How it was spoken (spoken answers only); the delivery rules need it.
    delivery: Delivery | None = None
    # Typed answers: the pace their times were estimated at (the length rules say so).
    estimated_pace_wpm: float | None = None

    @classmethod
    def build(cls, phased: Sequence[PhasedSentence], spans: Sequence[PhaseSpan],
              delivery: Delivery | None = None, estimated_pace_wpm: float | None = None) -> AnswerView:
        return cls(
            tuple(ViewSentence(p.phase, normalise_sentence(p.sentence)) for p in phased),
            tuple(spans),
            delivery,
            estimated_pace_wpm,
        )

    def in_phase(self, *phases: Phase) -> list[ViewSentence]:
        """Sentences labelled with any of `phases`, in order."""
        return [s for s in self.sentences if s.phase in phases]

    def has_phase(self, phase: Phase) -> bool:
        return any(s.name == phase for s in self.spans)


def quote_words(words: Sequence[Word]) -> str:
    """Words joined as spoken, cut to a readable length."""
    text = " ".join(w.text for w in words[:QUOTE_MAX_WORDS])
    return text + (" ..." if len(words) > QUOTE_MAX_WORDS else "")


def cite(
    rule: str,
    severity: Severity,
    sentence: ViewSentence,
    message: str,
    suggestion: str,
    match_span: tuple[int, int] | None = None,
) -> Finding:
    """A finding quoting `sentence`, or the matched words in it with a little context."""
    words = sentence.words
    if match_span is not None:
        matched = sentence.normalised.words_in(*match_span)
        first = words.index(matched[0])
        last = words.index(matched[-1])
        shown = words[max(0, first - QUOTE_CONTEXT_WORDS) : last + 1 + QUOTE_CONTEXT_WORDS]
        start_s, end_s = matched[0].start_s, matched[-1].end_s
    else:
        shown = words
        start_s, end_s = words[0].start_s, words[-1].end_s
    return Finding(rule, severity, sentence.phase, start_s, end_s, quote_words(shown), message, suggestion)
