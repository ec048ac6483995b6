import pytest

from rehearse.timing import phase_spans, total_duration_s
from rehearse.types import PhasedSentence

from tests.helpers import sentence


def phased(*items):
    start = 0.0
    out = []
    for i, (phase, text, gap_s) in enumerate(items):
        s = sentence(text, i, start + gap_s)
        out.append(PhasedSentence(s, phase))
        start = s.end_s
    return out


def test_spans_merge_consecutive_sentences_and_tile_the_answer():
    items = phased(
        ("situation", "I ran the night shift on a busy ward.", 0.0),
        ("situation", "Handover errors were common.", 0.5),
        ("action", "I wrote a checklist and trained the team.", 2.0),
        ("result", "Errors fell from 12 to 2 a month.", 1.0),
    )
    spans = phase_spans(items)
    assert [s.name for s in spans] == ["situation", "action", "result"]
    assert spans[0].start_s == items[0].sentence.start_s
    # A pause between phases belongs to the earlier phase: spans touch.
    assert spans[0].end_s == pytest.approx(items[2].sentence.start_s)
    assert spans[1].end_s == spans[2].start_s
    assert spans[-1].end_s == pytest.approx(items[-1].sentence.end_s)
    assert [s.word_count for s in spans] == [13, 8, 8]


def test_repeated_phase_gives_two_spans_and_durations_add_up():
    items = phased(
        ("result", "I cut onboarding from nine days to three.", 0.0),
        ("situation", "I was the product manager for billing.", 0.3),
        ("result", "Conversion rose by eight points.", 0.3),
    )
    spans = phase_spans(items)
    assert [s.name for s in spans] == ["result", "situation", "result"]
    assert total_duration_s(spans, "result") == spans[0].duration_s + spans[2].duration_s
    assert sum(s.duration_s for s in spans) == pytest.approx(spans[-1].end_s - spans[0].start_s)
