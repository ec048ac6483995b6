"""`rehearse report` as a user runs it: a real process, its files, exit code and stderr."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import AUDIO_DIR
from tests.report_tools import answer_text, report_dict


def rehearse(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rehearse", *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=600)


def one_error(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("rehearse: error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.fixture
def report_json(tmp_path):
    path = tmp_path / "weak.json"
    path.write_text(json.dumps(report_dict(answer_text("weak-we-slack"))))
    return path


def test_the_format_follows_the_output_suffix(report_json, tmp_path):
    for suffix, start in ((".md", "# Timing report"), (".csv", "take,recorded_at"), (".vtt", "WEBVTT"),
                          (".html", "<!DOCTYPE html>")):
        out = tmp_path / f"r{suffix}"
        result = rehearse("report", str(report_json), "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_text().startswith(start)
        assert f"written to {out}" in result.stderr


def test_text_formats_go_to_stdout_without_an_output_file(report_json):
    result = rehearse("report", str(report_json), "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 1


@pytest.mark.parametrize("args, needle", [
    (["-o", "notes.txt"], "--format"),
    (["-f", "html"], "-o report.html"),
])
def test_a_format_that_cannot_be_told_or_written_is_a_usage_error(report_json, args, needle):
    result = rehearse("report", str(report_json), *args)
    assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr


def test_a_bad_input_is_reported_and_skipped_and_the_rest_still_written(report_json, tmp_path):
    out = tmp_path / "r.md"
    result = rehearse("report", str(tmp_path / "missing.json"), str(report_json), "take:7", "-o", str(out))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("rehearse: error:")]
    assert len(errors) == 2 and "missing.json: no such file" in errors[0] and "take:7: no such take" in errors[1]
    assert out.read_text().startswith("# Timing report: 1 take\n")


def test_nothing_to_report_writes_nothing(tmp_path):
    out = tmp_path / "r.html"
    result = rehearse("report", str(tmp_path / "missing.json"), "-o", str(out))
    assert result.returncode == 1 and "no such file" in one_error(result) and not out.exists()


def test_a_vtt_of_several_takes_is_refused(report_json, tmp_path):
    result = rehearse("report", str(report_json), str(report_json), "-o", str(tmp_path / "t.vtt"))
    assert result.returncode == 1 and "one take" in one_error(result)


def test_an_unwritable_output_is_refused_before_any_work(report_json, tmp_path):
    result = rehearse("report", str(report_json), "-o", str(tmp_path / "no-such-folder" / "r.html"))
    assert result.returncode == 1 and "does not exist" in one_error(result)


@pytest.mark.slow
def test_an_audio_input_is_analysed_with_progress_kept_in_the_history_and_reported(tmp_path):
    audio = AUDIO_DIR / "weak-we-slack.flac"
    result = rehearse("report", str(audio), "--story", "webhooks", "-o", str(tmp_path / "r.md"))
    assert result.returncode == 0, result.stderr
    assert "Transcribing weak-we-slack.flac" in result.stderr and "Saved as take:1" in result.stderr
    md = (tmp_path / "r.md").read_text()
    assert "## 1. weak-we-slack.flac" in md and "model tiny.en" in md and "`we-not-i`" in md
    again = rehearse("report", "take:1", "-f", "csv")
    row = next(csv.DictReader(io.StringIO(again.stdout)))
    assert row["take"] == "take:1" and row["story"] == "webhooks" and row["kind"] == "audio"
    assert float(row["wpm"]) > 100
