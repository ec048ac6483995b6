"""The command line as a user runs it: a real process, its exit code, stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.audio_tools import write_audio
from tests.conftest import ANSWERS_DIR

STRONG_ANSWER = " ".join(s["text"] for s in json.loads((ANSWERS_DIR / "webhook-dlq-strong.json").read_text())["segments"])


def rehearse(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "rehearse", *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=env,
        timeout=600,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("rehearse: error:")]
    assert len(errors) == 1, result.stderr
    for needle in needles:
        assert needle in errors[0]


def test_help_explains_the_commands():
    result = rehearse("--help")
    assert result.returncode == 0
    assert "analyze" in result.stdout and "check" in result.stdout
    analyze_help = rehearse("analyze", "--help").stdout
    for option in ("--model", "--json", "--situation-limit", "--explain"):
        assert option in analyze_help


def test_check_prints_phase_table_and_findings(tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text(STRONG_ANSWER)
    result = rehearse("check", str(answer))
    assert result.returncode == 0, result.stderr
    assert "times estimated at 150 wpm" in result.stdout
    for phase in ("Situation", "Task", "Action", "Result", "Reflection"):
        assert phase in result.stdout


def test_check_json_to_stdout_is_pure_json_following_the_contract():
    result = rehearse("check", "-", "--json", "-", stdin=STRONG_ANSWER)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == "rehearse.report/1"
    assert report["input"]["kind"] == "text"
    assert report["input"]["path"] == "-"
    assert report["input"]["duration_s"] > 0
    words = report["words"]
    assert [w["text"] for w in words] == STRONG_ANSWER.split()
    assert all(w["phase"] in ("situation", "task", "action", "result", "reflection") for w in words)
    assert all(a["start_s"] <= b["start_s"] for a, b in zip(words, words[1:]))
    phases = report["phases"]
    assert [p["name"] for p in phases] == ["situation", "task", "action", "result", "reflection"]
    assert sum(p["words"] for p in phases) == len(words)
    for p in phases:
        assert set(p) >= {"name", "start_s", "end_s", "duration_s", "words"}
        assert p["duration_s"] == pytest.approx(p["end_s"] - p["start_s"], abs=0.002)
    for f in report["findings"]:
        assert set(f) >= {"rule", "severity", "phase", "start_s", "end_s", "quote", "message", "suggestion"}
    # Typed answers have no delivery: their times are estimates.
    assert report["delivery"] is None
    # The human report went to stderr, leaving stdout to the JSON.
    assert "Phase" in result.stderr


def test_check_json_to_a_file(tmp_path):
    out = tmp_path / "report.json"
    result = rehearse("check", "-", "--json", str(out), stdin="We had an outage. I fixed it. It went from 5% to 0%.")
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["schema"] == "rehearse.report/1"


def test_check_flags_a_long_situation_at_a_slow_pace():
    situation = (
        "At the time I was a charge nurse on a busy medical ward with twenty eight beds. "
        "We worked twelve hour shifts and there were usually six nurses on each shift. "
        "The handover between shifts was verbal and every nurse did it a little differently. "
        "There was no checklist and nothing was written down apart from the drug chart. "
        "Our incident reports showed about twelve handover errors a month. "
        "Most of them were missed medication times or allergies that nobody had mentioned. "
    )
    result = rehearse("check", "-", "--json", "-", "--pace", "100", stdin=situation + "My task was to fix the "
                      "handover. I wrote a checklist and trained the team. Errors fell from 12 to 2 a month.")
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert "situation-over-45s" in rules


@pytest.mark.parametrize(
    "make, needles",
    [
        (lambda d: d / "nope.txt", ("nope.txt", "no such file")),
        (lambda d: d, ("is a directory",)),
        (lambda d: (d / "empty.txt").write_text("") and d / "empty.txt" or d / "empty.txt", ("no words",)),
        (lambda d: (d / "bin.txt").write_bytes(b"\xff\xfe\x00\x81" * 10) and d / "bin.txt", ("not UTF-8",)),
    ],
    ids=["missing", "directory", "empty", "binary"],
)
def test_check_bad_input(tmp_path, make, needles):
    assert_one_line_error(rehearse("check", str(make(tmp_path))), *needles)


def test_unwritable_json_path_is_refused_before_work(tmp_path):
    result = rehearse("check", "-", "--json", str(tmp_path / "missing-dir" / "r.json"), stdin="I fixed it.")
    assert_one_line_error(result, "does not exist")


@pytest.fixture
def bad_audio(tmp_path):
    (tmp_path / "folder.wav").mkdir()
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "text.m4a").write_bytes(b"this is not audio at all\n" * 50)
    write_audio(tmp_path / "silence.wav", np.zeros(16_000 * 5, dtype=np.float32))
    noise = 0.05 * np.random.default_rng(0).standard_normal(16_000 * 6)
    write_audio(tmp_path / "noise.wav", noise.astype(np.float32))
    return tmp_path


@pytest.mark.parametrize(
    "name, needle",
    [
        ("missing.wav", "no such file"),
        ("folder.wav", "is a directory"),
        ("empty.wav", "empty"),
        ("text.m4a", "not readable as audio"),
        ("silence.wav", "silent"),
        ("noise.wav", "no speech found"),
    ],
)
def test_analyze_bad_input_gives_one_line_and_no_traceback(bad_audio, name, needle):
    assert_one_line_error(rehearse("analyze", str(bad_audio / name)), name, needle)


def test_broken_model_directory(tmp_path, bad_audio):
    model = tmp_path / "broken-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (model / "model.bin").write_bytes(b"not a model")
    (model / "tokenizer.json").write_text("{}")
    write_audio(tmp_path / "tone.wav", 0.3 * np.sin(np.linspace(0, 2000, 16_000 * 2)).astype(np.float32))
    result = rehearse("analyze", "--model", str(model), str(tmp_path / "tone.wav"))
    assert_one_line_error(result, "could not load the model", str(model))


def test_incomplete_model_directory(tmp_path):
    model = tmp_path / "half-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    result = rehearse("analyze", "--model", str(model), "whatever.wav")
    assert_one_line_error(result, "missing model.bin")


def test_unknown_model_name_lists_what_to_do(tmp_path):
    result = rehearse("analyze", "--model", "no-such-model", "whatever.wav", cwd=tmp_path)
    assert_one_line_error(result, "'no-such-model' not found", "models/")


def test_focus_disable_and_a_coach_rulebook(tmp_path):
    answer = "We had an outage on the payments service. I fixed it myself. Errors went from 5% to 0%."
    plain = json.loads(rehearse("check", "-", "--json", "-", stdin=answer).stdout)
    plain_rules = {f["rule"] for f in plain["findings"]}
    assert "no-investigation" not in plain_rules and "missing-phase" in plain_rules

    focused = rehearse("check", "-", "--json", "-", "--focus", "dive-deep", "--disable", "missing-phase", stdin=answer)
    rules = {f["rule"] for f in json.loads(focused.stdout)["findings"]}
    assert "no-investigation" in rules and "missing-phase" not in rules

    coach = tmp_path / "coach.toml"
    coach.write_text('disable = ["no-business-impact"]\n')
    coached = rehearse("check", "-", "--json", "-", "--rules", str(coach), stdin=answer)
    assert "no-business-impact" not in {f["rule"] for f in json.loads(coached.stdout)["findings"]}


def test_unknown_focus_is_a_usage_error_and_a_broken_rulebook_one_line():
    result = rehearse("check", "-", "--focus", "nope", stdin="I fixed it.")
    assert result.returncode == 2 and "unknown focus 'nope'" in result.stderr and "Traceback" not in result.stderr


def test_broken_rulebook_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[rules.bad\n")
    assert_one_line_error(rehearse("check", "-", "--rules", str(bad), stdin="I fixed it."), "not valid TOML")
