"""Shared test fixtures: fixture paths, a real-model analyzer, labelled answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AUDIO_DIR = ROOT / "fixtures" / "audio"
ANSWERS_DIR = ROOT / "fixtures" / "answers"


def voiced_fixture_ids() -> list[str]:
    """Ids of the voiced answers that have audio and labels."""
    return sorted(p.name.removesuffix(".labels.json") for p in AUDIO_DIR.glob("*.labels.json"))


def load_audio_labels(fixture_id: str) -> dict:
    return json.loads((AUDIO_DIR / f"{fixture_id}.labels.json").read_text())


def spoken_truth(labels: dict) -> tuple[int, float]:
    """(reference words, seconds from the first labelled word to the last) of a voiced answer."""
    words = sum(len(s["text"].split()) for s in labels["segments"])
    return words, labels["segments"][-1]["end_s"] - labels["segments"][0]["start_s"]


@pytest.fixture(scope="session")
def analyzer():
    """One AudioAnalyzer on the real default model, shared by the slow tests."""
    from rehearse.pipeline import AudioAnalyzer

    return AudioAnalyzer()


@pytest.fixture(scope="session")
def fixture_reports(analyzer):
    """Real-model reports of every voiced fixture, computed once per session."""
    return {fid: analyzer.analyze_file(AUDIO_DIR / f"{fid}.flac") for fid in voiced_fixture_ids()}


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory, monkeypatch) -> Path:
    """Every test keeps its history in a fresh temporary folder, never in the real home.

    Set in the environment, so `rehearse` processes started by a test use it too.
    """
    path = tmp_path_factory.mktemp("rehearse-data")
    monkeypatch.setenv("REHEARSE_DATA_DIR", str(path))
    return path
