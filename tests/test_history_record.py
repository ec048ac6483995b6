"""A recorded take lands in the history with its question, story and WAV, ready for `rehearse report`."""

from __future__ import annotations

import pytest

from rehearse.history import History
from tests.test_record_devices import file_mic, rehearse_env  # noqa: F401  (file_mic is a fixture)

pytestmark = pytest.mark.slow

QUESTION = "Tell me about a time you fixed something"


def test_record_keeps_the_take_with_its_question_story_and_wav(file_mic, tmp_path):  # noqa: F811
    result = rehearse_env("record", "--max-seconds", "12", "--out", str(tmp_path / "takes"), "--question", QUESTION,
                          "--story", "webhooks", env=file_mic["env"])
    assert result.returncode == 0, result.stderr
    assert "Saved as take:1 in the history" in result.stderr
    (wav,) = (tmp_path / "takes").glob("*.wav")
    (take,) = History().takes("webhooks")
    assert (take.command, take.question, take.story, take.path, take.kind) == (
        "record", QUESTION, "webhooks", str(wav.resolve()), "audio")
    listing = rehearse_env("history", env={})
    assert "take:1" in listing.stdout and QUESTION[:30] in listing.stdout
    report = rehearse_env("report", "take:1", "-f", "md", env={})
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[4] == f"## 1. {QUESTION}"
