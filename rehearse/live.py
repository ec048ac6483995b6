"""What the live view shows while a take is recorded (pure): the time, the current phase, one sparse cue.

Live-feedback studies found one clear cue beats a dashboard, so the view
holds only the elapsed time, the phase the speaker seems to be in and how
long it has run, and a single cue the first time a phase passes its budget.
The teaching is left to the report after the take.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rehearse.report.clock import clock
from rehearse.sentences import split_sentences
from rehearse.star import cue_evidence
from rehearse.text import normalise_sentence
from rehearse.types import PHASES, Phase, Word

# Heuristic, measured on the labelled answers cut every 10 words: a sentence
# moves the live phase forward when a later phase's cues score at least this
# (and more than the current phase's). 71% of cut points right, against 54%
# for the whole-answer segmenter, whose position prior and end costs assume
# the answer is over.
LIVE_ENTRY_SCORE = 1.5

# What to say when a phase runs past its budget: the next step, not a lecture.
_NEXT_STEP: dict[Phase, str] = {
    "situation": "say what your task was",
    "task": "move on to what you did",
    "action": "get to the result",
    "result": "close with what you learned",
    "reflection": "wrap up",
}


@dataclass(frozen=True)
class LiveStatus:
    """One refresh of the live view."""

    elapsed_s: float
    phase: Phase | None  # None until the first words are committed
    phase_elapsed_s: float


def current_phase(words: Sequence[Word], elapsed_s: float) -> LiveStatus:
    """The phase the speaker seems to be in, from the committed words, and how long it has run.

    Phases only move forward (situation -> ... -> reflection), each on a
    sentence with a clear cue for a later phase: an unfinished answer has no
    end yet, so the whole-answer segmenter's priors do not apply. Cheap
    enough to call every second: each sentence's cues are cached.
    """
    if not words:
        return LiveStatus(elapsed_s, None, 0.0)
    phase: Phase = "situation"
    start_s = words[0].start_s
    for sentence in split_sentences(words):
        scores, _reasons = cue_evidence(normalise_sentence(sentence).text)
        later = [p for p in PHASES[PHASES.index(phase) + 1 :]
                 if scores[p] >= LIVE_ENTRY_SCORE and scores[p] > scores[phase]]
        if later:
            phase = max(later, key=scores.__getitem__)
            start_s = sentence.start_s
    return LiveStatus(elapsed_s, phase, max(0.0, elapsed_s - start_s))


@dataclass
class CueTracker:
    """Gives each phase's over-budget cue once per take."""

    budgets_s: Mapping[Phase, float]
    _given: set[Phase] = field(default_factory=set)

    def cue(self, status: LiveStatus) -> str | None:
        """The cue to show now, if the current phase just passed its budget."""
        phase = status.phase
        if phase is None or phase in self._given or phase not in self.budgets_s:
            return None
        budget_s = self.budgets_s[phase]
        if status.phase_elapsed_s < budget_s:
            return None
        self._given.add(phase)
        return f"{phase.capitalize()} past {budget_s:.0f} s: {_NEXT_STEP[phase]}"


def render_status(status: LiveStatus) -> str:
    """The one-line status, e.g. 'REC 1:12  Action 0:31'."""
    phase = f"{status.phase.capitalize()} {clock(status.phase_elapsed_s)}" if status.phase else "listening..."
    return f"REC {clock(status.elapsed_s)}  {phase}"


def render_cue(elapsed_s: float, cue: str) -> str:
    """A cue line, stamped with the take's time."""
    return f"! {clock(elapsed_s)}  {cue}"


def parse_budgets(values: Sequence[str], situation_limit_s: float) -> dict[Phase, float]:
    """Phase budgets from `PHASE=SECONDS` strings; the Situation's defaults to `situation_limit_s`.

    Raises ValueError with a message naming the bad value.
    """
    budgets: dict[Phase, float] = {"situation": situation_limit_s}
    for value in values:
        name, _, seconds = value.partition("=")
        name = name.strip().lower()
        if name not in PHASES:
            raise ValueError(f"--budget {value!r}: phase must be one of {', '.join(PHASES)}")
        try:
            budget_s = float(seconds)
        except ValueError:
            raise ValueError(f"--budget {value!r}: give seconds, e.g. action=90") from None
        if budget_s <= 0:
            raise ValueError(f"--budget {value!r}: seconds must be positive")
        budgets[name] = budget_s  # type: ignore[index]  # checked against PHASES above
    return budgets
