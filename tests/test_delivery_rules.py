"""The delivery rules on built answers: pace, fillers, long pauses, length and phase budgets (pure)."""

from __future__ import annotations

import pytest

from rehearse.analysis import analyze_words
from rehearse.checks import CheckSettings, load_rulebook, run_checks
from rehearse.checks.delivery_checks import DELIVERY_RULES
from rehearse.delivery import Pause, measure_delivery
from rehearse.timing import phase_spans
from rehearse.typed import estimate_words
from rehearse.types import InputInfo, PhasedSentence, Sentence, Word

FILLER = "The queue kept the orders safe while I fixed the retries."  # 11 words


def spoken(parts, pace_wpm=150.0, pauses_after=None, fillers_kept=False):
    """Phased sentences said at `pace_wpm` (or a part's own third item), with a silence of
    `pauses_after[i]` s after sentence i."""
    pauses_after = pauses_after or {}
    phased, pauses, start_s = [], [], 0.0
    for phase, text, *pace in parts:
        words = tuple(Word(w.text, round(w.start_s + start_s, 3), round(w.end_s + start_s, 3))
                      for w in estimate_words(text, pace[0] if pace else pace_wpm))
        phased.append(PhasedSentence(Sentence(len(phased), words), phase))
        start_s = words[-1].end_s
        silence_s = pauses_after.get(len(phased) - 1, 0.0)
        if silence_s:
            pauses.append(Pause(start_s, round(start_s + silence_s, 3)))
            start_s = round(start_s + silence_s, 3)
    spans = phase_spans(phased)
    words = [w for p in phased for w in p.sentence.words]
    return phased, spans, measure_delivery(words, spans, pauses, fillers_kept=fillers_kept)


def story(situation=2, task=1, action=6, result=2, reflection=1, text=FILLER):
    """A well-balanced answer: that many sentences per phase."""
    counts = {"situation": situation, "task": task, "action": action, "result": result, "reflection": reflection}
    return [(phase, text) for phase, n in counts.items() for _ in range(n)]


def fired(phased, spans, delivery, settings=CheckSettings()):
    return [f for f in run_checks(phased, spans, settings, delivery=delivery) if f.rule in DELIVERY_RULES]


def rules(findings):
    return {f.rule for f in findings}


def test_a_balanced_answer_at_a_good_pace_has_no_delivery_findings():
    phased, spans, delivery = spoken(story(situation=4, task=2, action=12, result=4, reflection=2), pace_wpm=145)
    assert 90 <= delivery.duration_s <= 180
    assert fired(phased, spans, delivery) == []


def test_without_delivery_or_an_estimated_pace_no_delivery_rule_runs():
    phased, spans, _ = spoken(story(action=30), pace_wpm=220)
    assert rules(run_checks(phased, spans)) & set(DELIVERY_RULES) == set()


def test_pace_too_fast_on_the_whole_answer_and_on_one_rushed_phase():
    phased, spans, delivery = spoken(story(situation=4, task=2, action=12, result=4, reflection=2), pace_wpm=190)
    finding = next(f for f in fired(phased, spans, delivery) if f.rule == "pace-too-fast")
    assert "190 words a minute" in finding.message and finding.phase is None
    # Overall within the band, but the Action (over 20 s) rushed well past it.
    parts = [(phase, text, 200 if phase == "action" else 130)
             for phase, text in story(situation=4, task=2, action=12, result=4, reflection=2)]
    phased, spans, delivery = spoken(parts)
    assert delivery.wpm <= 170
    finding = next(f for f in fired(phased, spans, delivery) if f.rule == "pace-too-fast")
    assert finding.phase == "action"
    action_span = next(s for s in spans if s.name == "action")
    assert (finding.start_s, finding.end_s) == (action_span.start_s, action_span.end_s)


def test_pace_too_slow_uses_speaking_time_so_long_pauses_do_not_trip_it():
    phased, spans, delivery = spoken(story(situation=4, task=2, action=10, result=4, reflection=2), pace_wpm=95)
    assert "pace-too-slow" in rules(fired(phased, spans, delivery))
    # A good pace with long silences: slow overall, but the silences are long-pause's to report.
    phased, spans, delivery = spoken(story(situation=4, task=2, action=10, result=4, reflection=2), pace_wpm=140,
                                     pauses_after={i: 4.0 for i in range(0, 20, 2)})
    assert delivery.wpm < 110 < delivery.articulation_wpm
    assert "pace-too-slow" not in rules(fired(phased, spans, delivery))


def test_filler_heavy_counts_share_and_says_when_the_count_is_a_floor():
    heavy = "So um I traced it, you know, to the uh retries and um basically fixed them."
    parts = [("situation", FILLER), ("action", heavy), ("action", heavy), ("result", FILLER)]
    for kept in (False, True):
        phased, spans, delivery = spoken(parts, fillers_kept=kept)
        assert delivery.filler_share > 0.05
        finding = next(f for f in fired(phased, spans, delivery) if f.rule == "filler-heavy")
        assert finding.phase == "action" and "um" in finding.quote
        assert ('"um" x4' in finding.message) and ("real count is higher" in finding.message) is (not kept)
    light = [("situation", FILLER), ("action", "So um I traced it to the retries."), ("action", FILLER * 2)]
    phased, spans, delivery = spoken(light)
    assert "filler-heavy" not in rules(fired(phased, spans, delivery))


def test_long_pause_gives_the_pause_its_time_and_the_words_around_it():
    parts = story(situation=4, task=2, action=10, result=4, reflection=2)
    phased, spans, delivery = spoken(parts, pauses_after={3: 2.5, 8: 4.2})
    findings = [f for f in fired(phased, spans, delivery) if f.rule == "long-pause"]
    assert len(findings) == 1
    pause = delivery.pauses[1]
    assert (findings[0].start_s, findings[0].end_s) == (pause.start_s, pause.end_s)
    assert findings[0].phase == "action"
    assert "4.2 s" in findings[0].message
    assert findings[0].quote.startswith(phased[8].sentence.words[-6].text) and " ... " in findings[0].quote
    # Many long pauses: only the longest few are reported, in time order.
    phased, spans, delivery = spoken(parts, pauses_after={i: 3.0 + i / 10 for i in range(0, 20, 3)})
    findings = [f for f in fired(phased, spans, delivery) if f.rule == "long-pause"]
    assert len(findings) == 3
    assert [f.start_s for f in findings] == sorted(f.start_s for f in findings)
    assert min(f.end_s - f.start_s for f in findings) >= 4.2 - 1e-6


def test_answer_too_long_marks_where_the_target_runs_out():
    phased, spans, delivery = spoken(story(situation=6, task=3, action=24, result=6, reflection=3), pace_wpm=140)
    assert delivery.duration_s > 180
    finding = next(f for f in fired(phased, spans, delivery) if f.rule == "answer-too-long")
    assert finding.start_s == pytest.approx(180.0) and finding.end_s == spans[-1].end_s
    assert "3:00" in finding.message


def test_answer_too_short_only_when_it_says_little():
    phased, spans, delivery = spoken(story(situation=2, task=1, action=4, result=2, reflection=1), pace_wpm=140)
    assert delivery.duration_s < 90
    finding = next(f for f in fired(phased, spans, delivery) if f.rule == "answer-too-short")
    assert f"({delivery.words} words)" in finding.message
    # The same length said fast with enough words is a pace problem, not a thin answer.
    phased, spans, delivery = spoken(story(situation=4, task=2, action=10, result=4, reflection=2), pace_wpm=200)
    assert delivery.duration_s < 90
    assert rules(fired(phased, spans, delivery)) & {"answer-too-short", "pace-too-fast"} == {"pace-too-fast"}


def test_phase_over_budget_names_the_phase_and_its_span():
    phased, spans, delivery = spoken(story(situation=2, task=5, action=8, result=3, reflection=1), pace_wpm=145)
    findings = [f for f in fired(phased, spans, delivery) if f.rule == "phase-over-budget"]
    assert [f.phase for f in findings] == ["task"]
    task = next(s for s in spans if s.name == "task")
    assert (findings[0].start_s, findings[0].end_s) == (task.start_s, task.end_s)
    assert "budget of about 10%" in findings[0].message
    assert findings[0].suggestion.startswith("Say the Task in one sentence")


def test_a_long_situation_is_left_to_situation_over_45s():
    phased, spans, delivery = spoken(story(situation=12, task=1, action=8, result=2, reflection=1), pace_wpm=150)
    found = fired(phased, spans, delivery)
    assert "situation" not in {f.phase for f in found if f.rule == "phase-over-budget"}
    disabled = CheckSettings(disabled={"situation-over-45s"})
    assert "situation" in {f.phase for f in fired(phased, spans, delivery, disabled) if f.rule == "phase-over-budget"}


def test_a_missing_reflection_lends_its_budget_to_the_result():
    lesson_in_result = story(situation=3, task=1, action=8, result=7, reflection=0)
    phased, spans, delivery = spoken(lesson_in_result, pace_wpm=145)
    assert 0.30 < next(s for s in spans if s.name == "result").duration_s / delivery.duration_s < 0.40
    assert "phase-over-budget" not in rules(fired(phased, spans, delivery))
    phased, spans, delivery = spoken(story(situation=3, task=1, action=8, result=7, reflection=1), pace_wpm=145)
    assert "result" in {f.phase for f in fired(phased, spans, delivery) if f.rule == "phase-over-budget"}


def test_an_outcome_first_headline_is_not_counted_against_the_result():
    parts = [("result", FILLER), ("result", FILLER), *story(situation=3, task=1, action=9, result=2, reflection=1)]
    phased, spans, delivery = spoken(parts, pace_wpm=145)
    assert "result" not in {f.phase for f in fired(phased, spans, delivery) if f.rule == "phase-over-budget"}


def test_thresholds_come_from_the_rulebook(tmp_path):
    coach = tmp_path / "coach.toml"
    coach.write_text("[rules.pace-too-fast.thresholds]\nmax_wpm = 140\n[rules.answer-too-long.thresholds]\nmax_s = 60\n")
    phased, spans, delivery = spoken(story(situation=4, task=2, action=12, result=4, reflection=2), pace_wpm=150)
    settings = CheckSettings(rulebook=load_rulebook(coach))
    assert {"pace-too-fast", "answer-too-long"} <= rules(fired(phased, spans, delivery, settings))
    assert not {"pace-too-fast", "answer-too-long"} & rules(fired(phased, spans, delivery))


def test_typed_answers_get_the_length_rules_only_with_their_times_marked_as_estimates():
    text = " ".join(f"{FILLER} Um, basically I mean it." for _ in range(45))  # ~720 words
    words = estimate_words(text, 150)
    report = analyze_words(words, InputInfo("text", "answer.txt", words[-1].end_s, estimated_pace_wpm=150))
    found = {f.rule: f for f in report.findings if f.rule in DELIVERY_RULES}
    assert "answer-too-long" in found
    assert "(times estimated at 150 wpm)" in found["answer-too-long"].message
    assert not {"pace-too-fast", "pace-too-slow", "filler-heavy", "long-pause"} & set(found)
    assert report.delivery is None
