"""Delivery metrics: fillers without false positives, pace definitions, pauses from real audio."""

from __future__ import annotations

import numpy as np
import pytest

from rehearse.delivery import Pause, find_fillers, measure_delivery, pauses_from_gaps
from rehearse.timing import phase_spans
from rehearse.types import PhasedSentence, Sentence, Word
from tests.conftest import AUDIO_DIR
from tests.helpers import words


def filler_texts(text: str) -> list[str]:
    return [f.text.lower().strip(",") for f in find_fillers(words(text))]


def test_hesitations_and_filler_phrases_are_found():
    assert filler_texts("So um I uh traced it, you know, to the retries and I mean it was basically broken") == [
        "um", "uh", "you know", "i mean", "basically",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I like this approach because it is simple.",
        "We built a kind of tool that nobody had before.",
        "What sort of queue did you pick?",
        "You know that feeling when a deploy fails?",
        "If you know your party's extension, you may dial it at any time.",
        "Do you know what the retry limit was?",
        "I would rather err on the side of caution.",
        "I said that that was fine and we had had enough.",
    ],
)
def test_no_false_positives(text):
    assert filler_texts(text) == []


def test_a_filler_phrase_set_off_by_a_comma_counts_whatever_follows():
    assert filler_texts("You know, the old system stored addresses oddly.") == ["you know"]


def test_like_as_a_filler_and_repeated_words():
    assert filler_texts("And he was like, no way. It was, like, the the worst queue.") == ["like", "like", "the"]


def test_overall_and_articulation_rate():
    spoken = words("one two three four five six seven eight nine ten", pace_wpm=120)  # 0.5 s a word
    late = [Word(w.text, w.start_s + 10.0, w.end_s + 10.0) for w in words("eleven twelve", pace_wpm=120)]
    all_words = spoken + late
    sentence = Sentence(0, tuple(all_words))
    spans = phase_spans([PhasedSentence(sentence, "action")])
    pauses = pauses_from_gaps(all_words, min_pause_s=2.0)
    assert [(p.start_s, p.end_s) for p in pauses] == [(5.0, 10.0)]
    delivery = measure_delivery(all_words, spans, pauses)
    assert delivery.duration_s == pytest.approx(11.0)
    assert delivery.speaking_s == pytest.approx(6.0)
    assert delivery.wpm == pytest.approx(12 / 11 * 60)
    assert delivery.articulation_wpm == pytest.approx(12 / 6 * 60)
    assert delivery.per_phase[0].name == "action" and delivery.per_phase[0].wpm == pytest.approx(delivery.wpm)


def test_filler_rate_and_share():
    spoken = words("um I fixed it uh then I shipped it")
    spans = phase_spans([PhasedSentence(Sentence(0, tuple(spoken)), "action")])
    delivery = measure_delivery(spoken, spans, [])
    assert len(delivery.fillers) == 2
    assert delivery.filler_share == pytest.approx(2 / 9)
    assert delivery.filler_rate_per_min == pytest.approx(2 / delivery.duration_s * 60)


@pytest.mark.slow
def test_pauses_come_from_the_audio():
    from rehearse.audio import decode_audio
    from rehearse.pauses import find_pauses

    speech = decode_audio(AUDIO_DIR / "weak-we-slack.flac")
    first, second = speech[: 16_000 * 8], speech[16_000 * 20 : 16_000 * 28]
    for silence_s in (1.0, 3.0):
        joined = np.concatenate([first, np.zeros(int(16_000 * silence_s), np.float32), second])
        pauses = find_pauses(joined, min_pause_s=2.0)
        if silence_s < 2.0:
            assert pauses == []
        else:
            assert len(pauses) == 1
            assert pauses[0].start_s == pytest.approx(8.0, abs=0.4)
            assert pauses[0].duration_s == pytest.approx(silence_s, abs=0.4)
