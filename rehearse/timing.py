"""Phase spans and their timing (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from rehearse.types import Phase, PhasedSentence, PhaseSpan


def phase_spans(phased: Sequence[PhasedSentence]) -> list[PhaseSpan]:
    """Merge consecutive sentences of one phase into spans that tile the speech.

    A span ends where the next begins, so a pause between phases counts
    toward the phase the speaker was in.
    """
    groups: list[tuple[Phase, list[PhasedSentence]]] = []
    for item in phased:
        if groups and groups[-1][0] == item.phase:
            groups[-1][1].append(item)
        else:
            groups.append((item.phase, [item]))
    spans = []
    for i, (phase, items) in enumerate(groups):
        start_s = items[0].sentence.start_s
        end_s = groups[i + 1][1][0].sentence.start_s if i + 1 < len(groups) else items[-1].sentence.end_s
        word_count = sum(len(it.sentence.words) for it in items)
        spans.append(PhaseSpan(phase, round(start_s, 3), round(max(end_s, start_s), 3), word_count))
    return spans


def total_duration_s(spans: Sequence[PhaseSpan], phase: Phase) -> float:
    """Seconds spent in `phase` across all its spans."""
    return sum(s.duration_s for s in spans if s.name == phase)
