import pytest

from rehearse.evaluation import phase_at, phase_seconds, score_answer, summarise
from rehearse.types import Word


def timed(n, step_s=1.0):
    return [Word(f"w{i}", i * step_s, i * step_s + 0.8) for i in range(n)]


def test_perfect_prediction_scores_one_with_no_duration_error():
    words = timed(6)
    phases = ["situation", "situation", "action", "action", "result", "result"]
    score = score_answer("a", words, phases, phases)
    assert score.word_accuracy == 1.0
    assert all(e == 0.0 for e in score.duration_error_s.values())


def test_one_word_late_boundary_costs_one_word_and_one_second():
    words = timed(6)
    truth = ["situation", "situation", "action", "action", "result", "result"]
    predicted = ["situation", "situation", "situation", "action", "result", "result"]
    score = score_answer("a", words, truth, predicted)
    assert score.word_accuracy == pytest.approx(5 / 6)
    assert score.duration_error_s["situation"] == pytest.approx(1.0)
    assert score.duration_error_s["action"] == pytest.approx(-1.0)


def test_phase_seconds_adds_repeated_runs():
    words = timed(4)
    seconds = phase_seconds(words, ["result", "situation", "result", "result"])
    assert seconds["result"] == pytest.approx(1.0 + 1.8)
    assert seconds["situation"] == pytest.approx(1.0)


def test_summary_reports_mean_worst_and_median_errors():
    words = timed(4)
    truth = ["situation", "situation", "action", "action"]
    good = score_answer("good", words, truth, truth)
    bad = score_answer("bad", words, truth, ["situation", "action", "action", "action"])
    summary = summarise([good, bad])
    assert summary.mean_accuracy == pytest.approx((1 + 0.75) / 2)
    assert summary.worst.answer_id == "bad"
    assert summary.median_abs_error_s["situation"] == pytest.approx(0.5)


def test_phase_at_uses_the_segment_last_started():
    segments = [("situation", 0.0, 10.0), ("task", 10.6, 15.0)]
    assert phase_at(5.0, segments) == "situation"
    assert phase_at(10.3, segments) == "situation"  # in the pause: still the earlier phase
    assert phase_at(12.0, segments) == "task"


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError):
        score_answer("a", timed(2), ["situation"], ["situation"])
