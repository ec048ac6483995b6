"""LocalAgreement-2 commit logic and buffer trimming (pure); the real model streams in test_record_paced."""

from __future__ import annotations

import pytest

from rehearse.streaming import LocalAgreement, trim_point_s
from rehearse.types import Word


def hyp(*items: tuple[str, float]) -> list[Word]:
    """Words at the given start times, each 0.3 s long."""
    return [Word(text, start_s, start_s + 0.3) for text, start_s in items]


def texts(words) -> list[str]:
    return [w.text for w in words]


def test_nothing_is_committed_until_two_passes_agree():
    agreement = LocalAgreement()
    assert agreement.insert(hyp(("So", 0.0), ("the", 0.4))) == []
    committed = agreement.insert(hyp(("So", 0.0), ("the", 0.4), ("service", 0.8)))
    assert texts(committed) == ["So", "the"]
    assert texts(agreement.pending) == ["service"]


def test_commits_stop_at_the_first_disagreement_and_ignore_case_and_punctuation():
    agreement = LocalAgreement()
    agreement.insert(hyp(("We", 0.0), ("had", 0.4), ("a", 0.8), ("cue", 1.0)))
    committed = agreement.insert(hyp(("we,", 0.0), ("had", 0.4), ("a", 0.8), ("queue", 1.0)))
    assert texts(committed) == ["we,", "had", "a"]  # the newer pass's spelling is kept
    assert texts(agreement.pending) == ["queue"]


def test_words_already_committed_are_not_committed_twice():
    agreement = LocalAgreement()
    agreement.insert(hyp(("I", 0.0), ("fixed", 0.4), ("it.", 0.8)))
    agreement.insert(hyp(("I", 0.0), ("fixed", 0.4), ("it.", 0.8)))
    # The next pass re-hears the committed tail with slightly later times.
    agreement.insert(hyp(("fixed", 0.9), ("it.", 1.15), ("Then", 1.6)))
    committed = agreement.insert(hyp(("it.", 1.15), ("Then", 1.6), ("I", 2.0)))
    assert texts(agreement.committed) == ["I", "fixed", "it.", "Then"]
    assert texts(committed) == ["Then"]


def test_trim_point_is_the_last_committed_sentence_end_inside_the_buffer():
    committed = hyp(("It", 1.0), ("failed.", 1.4), ("I", 5.0), ("fixed", 5.4), ("it.", 5.8), ("Then", 7.0))
    assert trim_point_s(committed, buffer_start_s=0.0) == pytest.approx(6.1)
    assert trim_point_s(committed, buffer_start_s=6.5) is None
    assert trim_point_s(committed, buffer_start_s=6.5, force=True) == pytest.approx(7.3)


def test_a_long_disagreement_is_committed_once_enough_audio_follows_it():
    agreement = LocalAgreement()
    agreement.insert(hyp(("Retries", 0.0), ("failed", 0.4), ("then", 9.0)))
    assert texts(agreement.commit_until(8.0)) == ["Retries", "failed"]
    assert texts(agreement.pending) == ["then"]
    assert agreement.committed_end_s == pytest.approx(0.7)
