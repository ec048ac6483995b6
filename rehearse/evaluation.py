"""Scoring a segmentation against labels: word accuracy and phase-duration error (pure)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from rehearse.types import PHASES, Phase, Word


@dataclass(frozen=True)
class AnswerScore:
    """How one answer's predicted phases compare with its labels."""

    answer_id: str
    word_accuracy: float
    # Predicted minus true seconds spent in each phase (0 when both lack it).
    duration_error_s: dict[Phase, float]


def phase_seconds(words: Sequence[Word], phases: Sequence[Phase]) -> dict[Phase, float]:
    """Seconds per phase when each run lasts from its first word to the next run's first word."""
    seconds = {p: 0.0 for p in PHASES}
    run_start = 0
    for i in range(1, len(words) + 1):
        if i == len(words) or phases[i] != phases[run_start]:
            end_s = words[i].start_s if i < len(words) else words[-1].end_s
            seconds[phases[run_start]] += end_s - words[run_start].start_s
            run_start = i
    return seconds


def score_answer(answer_id: str, words: Sequence[Word], truth: Sequence[Phase], predicted: Sequence[Phase]) -> AnswerScore:
    """Word-level accuracy and per-phase duration error of one answer."""
    if not (len(words) == len(truth) == len(predicted)) or not words:
        raise ValueError(f"{answer_id}: words, truth and prediction must be non-empty and of equal length")
    correct = sum(t == p for t, p in zip(truth, predicted))
    true_s = phase_seconds(words, truth)
    predicted_s = phase_seconds(words, predicted)
    return AnswerScore(answer_id, correct / len(words), {p: predicted_s[p] - true_s[p] for p in PHASES})


@dataclass(frozen=True)
class Summary:
    """Accuracy over a set of answers."""

    count: int
    mean_accuracy: float
    worst: AnswerScore
    median_abs_error_s: dict[Phase, float]


def summarise(scores: Sequence[AnswerScore]) -> Summary:
    """Mean and worst accuracy, and the median absolute duration error per phase."""
    return Summary(
        count=len(scores),
        mean_accuracy=statistics.mean(s.word_accuracy for s in scores),
        worst=min(scores, key=lambda s: s.word_accuracy),
        median_abs_error_s={p: statistics.median(abs(s.duration_error_s[p]) for s in scores) for p in PHASES},
    )


def phase_at(time_s: float, segments: Sequence[tuple[Phase, float, float]]) -> Phase:
    """The labelled phase at a time: inside a segment, or the segment last started before it."""
    current = segments[0][0]
    for phase, start_s, _end_s in segments:
        if start_s <= time_s:
            current = phase
        else:
            break
    return current
