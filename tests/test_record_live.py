"""The pure parts of a live take: live view text, sparse cues, budgets, take names, the question bank."""

from __future__ import annotations

import io
import random
from datetime import datetime
from pathlib import Path

import pytest

from rehearse.live import CueTracker, LiveStatus, current_phase, parse_budgets, render_cue, render_status
from rehearse.questions import QUESTIONS, random_question
from rehearse.session import LiveView, take_path
from tests.helpers import words


def test_status_line_shows_elapsed_time_and_the_current_phase():
    assert render_status(LiveStatus(72.4, "action", 31.0)) == "REC 1:12  Action 0:31"
    assert render_status(LiveStatus(3.0, None, 0.0)) == "REC 0:03  listening..."
    assert render_cue(46.0, "Situation past 45 s: say what your task was") == \
        "! 0:46  Situation past 45 s: say what your task was"


def test_current_phase_follows_the_committed_words():
    opening = words("So at my last job we ran the payments platform for about forty shops in the region.")
    assert current_phase(opening, 10.0).phase == "situation"
    story = opening + words("I decided to rewrite the retry logic myself and I added a dead letter queue.",
                            start_s=opening[-1].end_s + 0.5)
    status = current_phase(story, 20.0)
    assert status.phase == "action"
    assert status.phase_elapsed_s == pytest.approx(20.0 - story[len(opening)].start_s)
    assert current_phase([], 2.0) == LiveStatus(2.0, None, 0.0)


def test_one_cue_per_phase_when_it_passes_its_budget():
    tracker = CueTracker({"situation": 45.0, "action": 90.0})
    assert tracker.cue(LiveStatus(44.0, "situation", 44.0)) is None
    assert tracker.cue(LiveStatus(46.0, "situation", 46.0)) == "Situation past 45 s: say what your task was"
    assert tracker.cue(LiveStatus(60.0, "situation", 60.0)) is None  # sparse: said once
    assert tracker.cue(LiveStatus(80.0, "task", 300.0)) is None  # no budget for the task
    assert tracker.cue(LiveStatus(200.0, "action", 95.0)) == "Action past 90 s: get to the result"


def test_budgets_parse_and_bad_ones_say_why():
    assert parse_budgets(["action=90", "Result=20"], 40.0) == {"situation": 40.0, "action": 90.0, "result": 20.0}
    for bad, why in (("actoin=90", "phase must be one of"), ("action=soon", "give seconds"), ("task=0", "positive")):
        with pytest.raises(ValueError, match=why):
            parse_budgets([bad], 45.0)


def test_live_view_redraws_one_line_on_a_terminal_and_prints_sparse_lines_otherwise():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    view = LiveView(tty)
    view.show("REC 0:01  listening...", 1.0, None)
    view.show("REC 0:46  Situation 0:46", 46.0, "Situation past 45 s: say what your task was")
    assert tty.getvalue() == ("\r\x1b[KREC 0:01  listening...\r\x1b[K! 0:46  Situation past 45 s: say what your "
                              "task was\n\r\x1b[KREC 0:46  Situation 0:46")
    plain = io.StringIO()
    view = LiveView(plain)
    for second in range(0, 61):
        view.show(f"REC {second}", float(second), "cue" if second == 50 else None)
    assert plain.getvalue().splitlines() == ["REC 0", "REC 30", "! 0:50  cue", "REC 60"]


def test_takes_are_named_by_time_and_question():
    when = datetime(2025, 3, 4, 9, 30, 5)
    assert take_path(Path("takes"), "Tell me about a time you failed?", when) == \
        Path("takes/20250304-093005-tell-me-about-a-time-you-failed.wav")
    assert take_path(Path("t"), None, when).name == "20250304-093005-take.wav"
    assert len(take_path(Path("t"), "word " * 40, when).stem) <= 16 + 48


def test_the_question_bank_is_small_and_behavioural():
    assert 8 <= len(QUESTIONS) <= 20 and len(set(QUESTIONS)) == len(QUESTIONS)
    assert random_question(random.Random(1)) in QUESTIONS
