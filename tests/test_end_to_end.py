"""The real default model on the voiced fixtures: timing, phases, findings, formats, CLI."""

from __future__ import annotations

import json

import pytest

from rehearse.audio import decode_audio
from rehearse.report.json_report import report_to_dict
from tests.audio_tools import FORMATS, write_audio
from tests.conftest import ANSWERS_DIR, AUDIO_DIR, load_audio_labels, spoken_truth, voiced_fixture_ids
from tests.test_cli import rehearse

pytestmark = pytest.mark.slow

BOUNDARY_TOLERANCE_S = 3.0


def true_phase_runs(labels: dict) -> list[tuple[str, float]]:
    """(phase, start_s) for each run of same-phase segments in a labels file."""
    runs: list[tuple[str, float]] = []
    for segment in labels["segments"]:
        if not runs or runs[-1][0] != segment["phase"]:
            runs.append((segment["phase"], segment["start_s"]))
    return runs


def test_every_fixture_is_checked():
    assert len(voiced_fixture_ids()) >= 6


@pytest.mark.parametrize("fixture_id", voiced_fixture_ids())
def test_phase_boundaries_within_3_s_of_the_labels(fixture_reports, fixture_id):
    truth = true_phase_runs(load_audio_labels(fixture_id))
    predicted = [(span.name, span.start_s) for span in fixture_reports[fixture_id].phases]
    assert [p for p, _ in predicted] == [p for p, _ in truth]
    for (phase, true_start_s), (_, start_s) in zip(truth[1:], predicted[1:]):
        assert abs(start_s - true_start_s) <= BOUNDARY_TOLERANCE_S, (phase, start_s, true_start_s)


@pytest.mark.parametrize("fixture_id", voiced_fixture_ids())
def test_expected_findings_fire_and_forbidden_ones_stay_quiet(fixture_reports, fixture_id):
    expect = json.loads((ANSWERS_DIR / f"{fixture_id}.json").read_text()).get("expect", {})
    fired = {f.rule for f in fixture_reports[fixture_id].findings}
    assert set(expect.get("fire", [])) <= fired
    assert not set(expect.get("quiet", [])) & fired


@pytest.mark.parametrize("fixture_id", voiced_fixture_ids())
def test_report_invariants(fixture_reports, fixture_id):
    report = fixture_reports[fixture_id]
    data = report_to_dict(report)
    words = data["words"]
    assert data["input"]["kind"] == "audio"
    assert data["input"]["duration_s"] == pytest.approx(load_audio_labels(fixture_id)["duration_s"], abs=0.1)
    assert all(0 <= w["start_s"] <= w["end_s"] <= data["input"]["duration_s"] + 0.5 for w in words)
    assert all(a["start_s"] <= b["start_s"] for a, b in zip(words, words[1:]))
    phases = data["phases"]
    assert sum(p["words"] for p in phases) == len(words)
    assert all(a["end_s"] == b["start_s"] for a, b in zip(phases, phases[1:]))
    assert sum(p["share"] for p in phases) == pytest.approx(1.0, abs=0.01)
    for f in data["findings"]:
        assert phases[0]["start_s"] <= f["start_s"] <= f["end_s"] <= phases[-1]["end_s"] + 0.01


def test_architecture_opening_is_flagged_with_time_and_quote(fixture_reports):
    report = fixture_reports["architecture-opening"]
    by_rule = {f.rule: f for f in report.findings}
    situation_end_s = next(s.end_s for s in report.phases if s.name == "situation")
    over = by_rule["situation-over-45s"]
    assert over.start_s == pytest.approx(45.0, abs=0.5)
    assert over.end_s == pytest.approx(situation_end_s)
    heavy = by_rule["architecture-heavy-opening"]
    assert heavy.start_s < 5 and heavy.quote


@pytest.fixture(scope="module")
def short_clip():
    """The first 20 s of a voiced fixture."""
    return decode_audio(AUDIO_DIR / "webhook-dlq-strong.flac")[: 16_000 * 20]


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_every_supported_format_decodes_and_transcribes(analyzer, tmp_path, short_clip, suffix):
    path = write_audio(tmp_path / f"answer{suffix}", short_clip)
    report = analyzer.analyze_file(path)
    text = " ".join(w.text for w, _ in report.words).lower()
    assert len(report.words) > 30
    assert "webhook" in text or "payment" in text
    assert report.input.duration_s == pytest.approx(20.0, abs=0.2)


def test_analyze_cli_json_stdout_and_a_bad_file_in_the_batch(tmp_path):
    bad = tmp_path / "broken.mp3"
    bad.write_bytes(b"\x00garbage" * 100)
    result = rehearse("analyze", str(bad), str(AUDIO_DIR / "weak-we-slack.flac"), "--json", "-")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "broken.mp3" in result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == "rehearse.report/1"
    assert report["input"]["path"].endswith("weak-we-slack.flac")
    assert {"we-not-i", "routing-not-ownership"} <= {f["rule"] for f in report["findings"]}


def test_analyze_cli_prints_the_human_report():
    result = rehearse("analyze", str(AUDIO_DIR / "outcome-first.flac"))
    assert result.returncode == 0, result.stderr
    assert "Phase" in result.stdout and "Result" in result.stdout
    assert "tiny.en" in result.stdout


def test_ctrl_c_during_transcription_is_a_clean_stop():
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "rehearse", "analyze", str(AUDIO_DIR / "architecture-opening.flac")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    first_line = process.stderr.readline()
    assert first_line.startswith("Transcribing")
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert "rehearse: error: interrupted" in stderr
    assert stdout == ""


@pytest.mark.parametrize("fixture_id", voiced_fixture_ids())
def test_overall_pace_within_5_percent_of_the_truth(fixture_reports, fixture_id):
    labels = load_audio_labels(fixture_id)
    reference_words, spoken_s = spoken_truth(labels)
    true_wpm = reference_words / spoken_s * 60
    delivery = fixture_reports[fixture_id].delivery
    assert delivery.wpm == pytest.approx(true_wpm, rel=0.05)
    assert delivery.articulation_wpm >= delivery.wpm
    assert sum(p.words for p in delivery.per_phase) == delivery.words


def test_delivery_in_the_json_and_the_terminal(fixture_reports):
    from rehearse.report.terminal import render_terminal

    report = fixture_reports["weak-we-slack"]
    data = report_to_dict(report)["delivery"]
    assert set(data) >= {"wpm", "articulation_wpm", "pauses", "fillers", "phases"}
    assert data["wpm"] == pytest.approx(report.delivery.wpm, abs=0.1)
    assert "wpm overall" in render_terminal(report)
