"""Model resolution: default package with checksum, paths, models/<name>, explicit download names."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehearse import models
from rehearse.errors import ModelError
from tests.conftest import AUDIO_DIR
from tests.test_cli import assert_one_line_error, rehearse


def linked_copy_of_default(target: Path) -> Path:
    """A models/<name>/ directory whose files link to the bundled tiny.en."""
    target.mkdir(parents=True)
    for f in models.default_model_dir().iterdir():
        (target / f.name).symlink_to(f)
    return target


def test_default_model_is_the_verified_bundled_tiny_en():
    choice = models.resolve_model(None)
    assert Path(choice.source).name == "model"
    assert "tiny.en" in choice.label
    assert not choice.is_download


def test_checksum_mismatch_is_refused(monkeypatch):
    monkeypatch.setattr(models, "DEFAULT_MODEL_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="fails its checksum"):
        models.resolve_model(None)


def test_a_directory_path_is_used_as_given(tmp_path):
    model_dir = linked_copy_of_default(tmp_path / "anywhere" / "my-model")
    assert models.resolve_model(str(model_dir)).source == str(model_dir)


def test_a_name_under_models_dir(tmp_path, monkeypatch):
    linked_copy_of_default(tmp_path / "tiny-copy")
    monkeypatch.setenv("REHEARSE_MODELS_DIR", str(tmp_path))
    choice = models.resolve_model("tiny-copy")
    assert choice.source == str(tmp_path / "tiny-copy")
    assert not choice.is_download


def test_a_faster_whisper_name_is_downloaded_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REHEARSE_MODELS_DIR", str(tmp_path))
    choice = models.resolve_model("base.en")
    assert choice.is_download and choice.source == "base.en"


def test_a_local_directory_wins_over_a_download_name(tmp_path, monkeypatch):
    linked_copy_of_default(tmp_path / "tiny.en")
    monkeypatch.setenv("REHEARSE_MODELS_DIR", str(tmp_path))
    assert not models.resolve_model("tiny.en").is_download


@pytest.mark.slow
def test_analyze_with_a_model_from_models_dir(tmp_path):
    linked_copy_of_default(tmp_path / "models" / "tiny-copy")
    result = rehearse("analyze", "--model", "tiny-copy", str(AUDIO_DIR / "weak-we-slack.flac"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "tiny-copy" in result.stdout


@pytest.mark.slow
def test_download_without_network_says_what_to_do(tmp_path, monkeypatch):
    # HF_HUB_OFFLINE makes the hub refuse at once, as a machine without network would.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-cache"))
    result = rehearse("analyze", "--model", "small.en", str(AUDIO_DIR / "weak-we-slack.flac"), cwd=tmp_path)
    assert_one_line_error(result, "could not download model 'small.en'", "models/small.en")
