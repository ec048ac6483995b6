"""Commands that need no audio never import the heavy libraries (they cost most of a second)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from rehearse.cli import app
from tests.conftest import ANSWERS_DIR

# Speech recognition, audio and array libraries, and pydantic (pulled in by typer >= 0.29).
HEAVY = ("faster_whisper", "ctranslate2", "onnxruntime", "tokenizers", "huggingface_hub", "av", "numpy",
         "sounddevice", "pydantic", "rich")
TYPED_ANSWER = ANSWERS_DIR / "webhook-dlq-strong.json"
COMMANDS = [["--help"], ["analyze", "--help"], ["record", "--help"], ["check", str(TYPED_ANSWER)],
            ["check", str(TYPED_ANSWER), "--json", "-", "--explain", "--focus", "ownership"]]
if any((c.name or c.callback.__name__) == "history" for c in app.registered_commands):
    COMMANDS.append(["history"])


def imported_modules(args: list[str], cwd) -> set[str]:
    """Top-level names of every module `python -m rehearse ARGS` imports, from -X importtime."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "rehearse", *args], capture_output=True,
                            text=True, cwd=cwd, env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    lines = [line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert len(lines) > 50, result.stderr  # importtime output was seen
    return {name.split(".")[0] for name in lines}


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_command_without_audio_imports_nothing_heavy(args, tmp_path):
    modules = imported_modules(args, tmp_path)
    assert "rehearse" in modules
    assert not modules & set(HEAVY)


def test_the_check_detects_a_heavy_import(tmp_path):
    # `analyze` needs the audio libraries even to refuse a missing file: the measurement above can see them.
    assert "numpy" in imported_modules(["analyze", "missing.wav"], tmp_path)
