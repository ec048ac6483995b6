"""`rehearse analyze` over many files: folders, worker processes, bad files, crashes and Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rehearse.audio import decode_audio
from rehearse.batch import default_workers, expand_inputs, threads_per_worker
from rehearse.pipeline import AudioAnalyzer
from rehearse.report.json_report import report_to_dict
from tests.audio_tools import write_audio
from tests.conftest import AUDIO_DIR
from tests.test_cli import assert_one_line_error, rehearse

CLIP_S = 20


def test_a_folder_stands_for_its_audio_files_sorted_by_name(tmp_path):
    for name in ("b.flac", "a.WAV", "c.m4a", "notes.txt", ".hidden.wav"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deeper.wav").write_bytes(b"x")
    empty = tmp_path / "empty"
    empty.mkdir()
    single = tmp_path / "single.mp3"
    assert expand_inputs([single, tmp_path, empty]) == [
        single, tmp_path / "a.WAV", tmp_path / "b.flac", tmp_path / "c.m4a", empty]


def test_workers_default_to_the_cores_and_share_them_out():
    assert default_workers(10, cpu_count=2) == 2
    assert default_workers(1, cpu_count=2) == 1
    assert default_workers(50, cpu_count=32) == 4
    assert threads_per_worker(2, cpu_count=2) == 1
    assert threads_per_worker(1, cpu_count=2) == 2
    assert threads_per_worker(3, cpu_count=8) == 2
    assert threads_per_worker(4, cpu_count=2) == 1


def test_an_empty_folder_is_one_bad_input(tmp_path):
    assert_one_line_error(rehearse("analyze", str(tmp_path)), str(tmp_path), "no audio files")


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    """A folder of four 20 s clips of voiced fixtures with a broken file in the middle (by name)."""
    folder = tmp_path_factory.mktemp("batch")
    for i, fixture in enumerate(("weak-we-slack", "nurse-handover", "outcome-first", "retail-markers")):
        samples = decode_audio(AUDIO_DIR / f"{fixture}.flac")[: CLIP_S * 16_000]
        write_audio(folder / f"{i + 1 if i < 2 else i + 2}-{fixture}.wav", samples)
    (folder / "3-broken.mp3").write_bytes(b"\x00garbage" * 100)
    return folder


@pytest.mark.slow
def test_two_workers_report_every_file_and_skip_the_bad_one(clips, tmp_path):
    out = tmp_path / "reports.json"
    result = rehearse("analyze", str(clips), "--workers", "2", "--json", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("rehearse: error:")]
    assert len(errors) == 1 and "3-broken.mp3" in errors[0] and "not readable as audio" in errors[0]
    assert "Analysing 5 files with 2 workers (1 thread each)" in result.stderr
    assert result.stderr.count(": analysed in ") == 4
    # Each report is printed as its file finishes: one header per good file on stdout.
    assert sum(line.startswith(str(clips)) for line in result.stdout.splitlines()) == 4
    reports = json.loads(out.read_text())["reports"]
    names = [Path(r["input"]["path"]).name for r in reports]
    assert names == ["1-weak-we-slack.wav", "2-nurse-handover.wav", "4-outcome-first.wav", "5-retail-markers.wav"]
    # A worker gives the same report as this process with the same model and thread count (CTranslate2's
    # int8 arithmetic, and so a word here and there, can change with the number of threads).
    one_thread = AudioAnalyzer(cpu_threads=1)
    for report, name in zip(reports, names):
        alone = report_to_dict(one_thread.analyze_file(clips / name))
        assert [(w["text"], w["phase"]) for w in report["words"]] == [(w["text"], w["phase"]) for w in alone["words"]]
        assert [f["rule"] for f in report["findings"]] == [f["rule"] for f in alone["findings"]]


def _worker_pids(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _start_batch(*args: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "rehearse", "analyze", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"},
                               start_new_session=True)
    assert process.stderr is not None
    assert process.stderr.readline().startswith("Analysing")
    return process


def _wait_for_workers(process: subprocess.Popen, count: int) -> list[int]:
    for _ in range(200):
        # multiprocessing's resource tracker is a child too; workers are the ones running rehearse.batch.
        pids = [p for p in _worker_pids(process.pid) if b"multiprocessing" in Path(f"/proc/{p}/cmdline").read_bytes()
                and b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()]
        if len(pids) >= count:
            return pids
        time.sleep(0.05)
    raise AssertionError("the workers did not start")


@pytest.mark.slow
def test_a_crashed_worker_fails_only_its_file(clips):
    good = sorted(p for p in clips.iterdir() if p.suffix == ".wav")
    process = _start_batch(*map(str, good), "--workers", "2", "--json", "-")
    victim = _wait_for_workers(process, 2)[0]
    time.sleep(0.5)
    os.kill(victim, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 1, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("rehearse: error:")]
    assert len(errors) == 1 and "stopped the worker analysing it" in errors[0], stderr
    reports = json.loads(stdout)["reports"]
    assert len(reports) == 3 and all(r["words"] for r in reports)


@pytest.mark.slow
def test_ctrl_c_stops_the_batch_and_its_workers(clips):
    process = _start_batch(str(clips), "--workers", "2")
    workers = _wait_for_workers(process, 2)
    time.sleep(0.5)
    # The terminal sends Ctrl-C to the whole foreground process group.
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert "rehearse: error: interrupted" in stderr
    time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"]


def test_a_model_that_cannot_load_stops_the_batch_in_one_line(tmp_path):
    model = tmp_path / "broken-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (model / "model.bin").write_bytes(b"not a model")
    (model / "tokenizer.json").write_text("{}")
    files = [str(AUDIO_DIR / "weak-we-slack.flac"), str(AUDIO_DIR / "nurse-handover.flac")]
    result = rehearse("analyze", "--model", str(model), "--workers", "2", *files)
    assert_one_line_error(result, "could not load the model", str(model))
    assert result.stdout == ""
