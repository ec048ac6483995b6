"""Real JSON reports for the history and report tests, made by the analysis core from fixture answers."""

from __future__ import annotations

import json
from typing import Any

from rehearse.analysis import analyze_words
from rehearse.checks import CheckSettings
from rehearse.report.json_report import report_to_dict
from rehearse.typed import estimate_words
from rehearse.types import InputInfo

from tests.conftest import ANSWERS_DIR


def answer_text(fixture_id: str) -> str:
    """A voiced fixture's answer as one text."""
    return " ".join(s["text"] for s in json.loads((ANSWERS_DIR / f"{fixture_id}.json").read_text())["segments"])


def report_dict(text: str, kind: str = "text", path: str = "answer.txt", situation_limit_s: float = 45.0,
                pace_wpm: float = 150.0) -> dict[str, Any]:
    """The JSON report of `text` with times at a steady pace.

    kind="audio" makes a spoken-answer report (with delivery) from the same words, for writers that
    show audio; the slow tests use real transcriptions.
    """
    words = estimate_words(text, pace_wpm)
    info = InputInfo(kind, path, words[-1].end_s, estimated_pace_wpm=pace_wpm if kind == "text" else None)
    report = analyze_words(words, info, CheckSettings(situation_limit_s=situation_limit_s),
                           model="tiny.en (test)" if kind == "audio" else None)
    return report_to_dict(report)
