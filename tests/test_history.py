"""The history of takes: where it lives, what it keeps, and that it never costs an analysis."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from rehearse.errors import HistoryError
from rehearse.history import DB_NAME, History, TakeLog, data_dir
from rehearse.report.summary import figures
from rehearse.report.trend import ASCII_BARS, render_history

from tests.report_tools import answer_text, report_dict


def rehearse(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rehearse", *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})}, timeout=300)


def test_data_dir_follows_the_override_then_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv("REHEARSE_DATA_DIR", str(tmp_path / "mine"))
    assert data_dir() == tmp_path / "mine"
    monkeypatch.delenv("REHEARSE_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "rehearse"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # invalid by the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_dir() == tmp_path / "home" / ".local" / "share" / "rehearse"


def test_a_take_keeps_its_report_and_indexed_figures(data_dir):
    report = report_dict(answer_text("architecture-opening"), path="-")
    history = History()
    take = history.add(report, "check", story="Platform story", question="Tell me about a time you failed")
    assert history.path == data_dir / DB_NAME and history.path.exists()
    assert take.ref == f"take:{take.id}"
    f = figures(report)
    assert (take.total_s, take.situation_s, take.findings, take.warnings) == (
        f.total_s, f.situation_s, f.findings, f.warnings)
    assert take.situation_s > take.situation_limit_s == 45.0
    assert (take.story, take.question, take.kind, take.path, take.command) == (
        "Platform story", "Tell me about a time you failed", "text", "-", "check")
    loaded, stored = history.load(take.ref)
    assert stored == report and loaded == take


def test_takes_filter_by_story_ignoring_case_and_resolve_take_last():
    history = History()
    first = history.add(report_dict(answer_text("weak-we-slack")), "check", story="Webhooks")
    history.add(report_dict(answer_text("nurse-handover")), "check")
    last = history.add(report_dict(answer_text("webhook-dlq-strong")), "check", story="webhooks")
    assert [t.id for t in history.takes("WEBHOOKS")] == [first.id, last.id]
    assert len(history.takes()) == 3
    assert history.load("take:last")[0].id == last.id
    assert history.load(f"TAKE:{first.id}")[0].id == first.id


def test_an_audio_take_remembers_its_file_as_an_absolute_path(tmp_path, monkeypatch):
    audio = tmp_path / "take.wav"
    audio.write_bytes(b"RIFF")
    monkeypatch.chdir(tmp_path)
    take = History().add(report_dict(answer_text("weak-we-slack"), kind="audio", path="take.wav"), "analyze")
    assert take.path == str(audio)


@pytest.mark.parametrize("ref, needle", [("take:99", "no such take"), ("take:abc", "not a take id")])
def test_unknown_or_malformed_take_ids_name_the_fix(ref, needle):
    History().add(report_dict(answer_text("weak-we-slack")), "check")
    with pytest.raises(HistoryError, match=needle) as error:
        History().load(ref)
    assert "rehearse history" in str(error.value) or "take:12" in str(error.value)


def test_reading_an_empty_history_creates_nothing(data_dir):
    history = History()
    assert history.takes() == []
    with pytest.raises(HistoryError, match="no such take"):
        history.load("take:1")
    assert not history.path.exists()


def test_a_history_from_a_newer_rehearse_is_refused_not_damaged(data_dir):
    path = data_dir / DB_NAME
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError, match="newer rehearse"):
        History().takes()
    with pytest.raises(HistoryError, match="newer rehearse"):
        History().add(report_dict(answer_text("weak-we-slack")), "check")


def test_an_unwritable_history_warns_once_and_the_log_carries_on(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    warnings: list[str] = []
    log = TakeLog(True, "analyze", None, warn=warnings.append, history=History(blocker / "data" / DB_NAME))
    report = report_dict(answer_text("weak-we-slack"))
    assert log.save(report) is None and log.save(report) is None
    assert len(warnings) == 1 and "--no-history" in warnings[0] and "REHEARSE_DATA_DIR" in warnings[0]


def test_trend_shows_first_to_latest_for_each_story():
    history = History()
    for fixture in ("architecture-opening", "weak-we-slack", "webhook-dlq-strong"):
        history.add(report_dict(answer_text(fixture)), "check", story="payments")
    history.add(report_dict(answer_text("nurse-handover")), "check")
    takes = history.takes()
    text = render_history(takes, None, history.path, last=20, bars=ASCII_BARS)
    situations = [t.situation_s for t in takes[:3]]
    assert 'Trend of "payments" over 3 attempts' in text
    situation_line = next(line for line in text.splitlines() if line.strip().startswith("Situation"))
    assert f"{round(situations[0] - situations[2])} s shorter" in situation_line
    assert "within the 45 s limit" in situation_line
    # One bar per attempt: the longest Situation (the first) is the highest bar.
    assert situation_line.split()[4][0] == ASCII_BARS[-1]
    assert "Takes without a story have no trend" in text
    assert "take:4" in text


def test_check_keeps_labelled_takes_and_history_shows_their_trend():
    weak, strong = answer_text("weak-we-slack"), answer_text("webhook-dlq-strong")
    first = rehearse("check", "-", "--story", "webhooks", stdin=weak)
    assert first.returncode == 0, first.stderr
    assert "Saved as take:1 in the history" in first.stderr
    assert rehearse("check", "-", "--story", "Webhooks", "-q", stdin=strong).returncode == 0
    assert rehearse("check", "-", "--no-history", stdin=strong).returncode == 0
    result = rehearse("history", "--story", "webhooks")
    assert result.returncode == 0, result.stderr
    assert "take:1" in result.stdout and "take:2" in result.stdout and "take:3" not in result.stdout
    assert 'Trend of "webhooks" over 2 attempts' in result.stdout
    for row in ("Situation", "Total", "Findings"):
        assert any(line.strip().startswith(row) and "->" in line for line in result.stdout.splitlines()), row


def test_history_with_no_takes_says_how_to_make_one():
    result = rehearse("history")
    assert result.returncode == 0 and "No takes in the history yet" in result.stdout and "--story" in result.stdout


def test_an_unwritable_data_folder_costs_one_warning_not_the_analysis(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # a folder cannot be made under a file, even by root
    result = rehearse("check", "-", env={"REHEARSE_DATA_DIR": str(blocker / "data")},
                      stdin=answer_text("weak-we-slack"))
    assert result.returncode == 0, result.stderr
    assert "Phase" in result.stdout and "Findings" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("rehearse: warning:")]
    assert len(warnings) == 1 and "--no-history" in warnings[0], result.stderr
    assert "Traceback" not in result.stderr


def test_history_imports_no_heavy_module():
    """`rehearse history` must start fast: none of the audio or model stack is imported."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "rehearse", "history"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "rehearse" in imported
    assert not imported & {"numpy", "faster_whisper", "ctranslate2", "av", "sounddevice", "onnxruntime"}
