"""Real human speech with reference transcripts, as answer-length takes, and word error rate.

Two Debian packages hold recorded speech with its text (install them once):

    sudo apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en pocketsphinx-testdata

- asterisk-core-sounds-en(-wav): about 21 minutes of telephone prompts read by one speaker
  (CC-BY-SA-3.0, 8 kHz), their text in core-sounds-en.txt.gz;
- pocketsphinx-testdata: five LibriVox sentences (BSD-2) with a `transcription` file.

Single prompts are a few seconds long, but rehearse transcribes answers of minutes, where Whisper
decodes 30 s windows conditioned on the previous text; so the prompts are joined, in name order and
with a short silence between them, into takes of about two minutes. Word error rate uses the
Whisper English normaliser (case, punctuation, spelling and numbers: "press 1" = "press one") from
the `whisper-normalizer` package and jiwer, both in the `bench` extra.
"""

from __future__ import annotations

import gzip
import re
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE_HZ = 16_000
ASTERISK_SOUNDS = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
ASTERISK_TEXT = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
INSTALL_HINT = ("real speech is missing; install it with: "
                "sudo apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en pocketsphinx-testdata")
# Folders of one-word prompts (digits, letters, the phonetic alphabet) and silences: not running speech.
SKIPPED_FOLDERS = ("digits", "letters", "phonetic", "silence")
GAP_S = 0.7
TAKE_S = 120.0


@dataclass(frozen=True)
class Take:
    """A stretch of real speech and what was said in it."""

    id: str
    samples: np.ndarray  # 16 kHz mono float32
    reference: str

    @property
    def duration_s(self) -> float:
        return self.samples.size / SAMPLE_RATE_HZ


def _read_wav(path: Path) -> np.ndarray:
    """A 16-bit mono WAV as 16 kHz float32 (8 kHz prompts are upsampled by linear interpolation)."""
    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float32) / 32768
    if rate == SAMPLE_RATE_HZ:
        return pcm
    times = np.arange(int(pcm.size * SAMPLE_RATE_HZ / rate)) / SAMPLE_RATE_HZ
    return np.interp(times, np.arange(pcm.size) / rate, pcm).astype(np.float32)


def _asterisk_prompts() -> list[tuple[str, np.ndarray, str]]:
    prompts = []
    for line in gzip.open(ASTERISK_TEXT, "rt", encoding="utf-8"):
        match = re.match(r"^([\w/.-]+):\s*(.+)$", line.strip())
        if not match:
            continue
        name, text = match.groups()
        wav = ASTERISK_SOUNDS / f"{name}.wav"
        # Bracketed texts describe tones and symbols rather than say words.
        if name.split("/")[0] in SKIPPED_FOLDERS or any(c in text for c in "[(<") or not wav.is_file():
            continue
        # The prompts say the telephone keys' names.
        text = text.replace("*", " star ").replace("#", " pound ")
        prompts.append((name, _read_wav(wav), text))
    return sorted(prompts, key=lambda p: p[0])


def _librivox_take() -> Take:
    parts, texts = [], []
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        match = re.match(r"<s>(.*)</s>\s*\((.+)\)", line)
        if match:
            parts.append(_read_wav(LIBRIVOX / f"{match.group(2)}.wav"))
            texts.append(match.group(1).strip())
    return Take("librivox", _join(parts), " ".join(texts))


def _join(parts: list[np.ndarray]) -> np.ndarray:
    gap = np.zeros(int(GAP_S * SAMPLE_RATE_HZ), dtype=np.float32)
    return np.concatenate([x for part in parts for x in (part, gap)][:-1])


def available() -> bool:
    """True when the Debian speech packages are installed."""
    return ASTERISK_TEXT.is_file() and ASTERISK_SOUNDS.is_dir() and (LIBRIVOX / "transcription").is_file()


def load_takes(take_s: float = TAKE_S) -> list[Take]:
    """The real-speech set: asterisk prompts joined into takes of about `take_s`, then the LibriVox take."""
    if not available():
        raise SystemExit(INSTALL_HINT)
    takes, parts, texts, length = [], [], [], 0
    for _name, samples, text in _asterisk_prompts():
        parts.append(samples)
        texts.append(text)
        length += samples.size + GAP_S * SAMPLE_RATE_HZ
        if length >= take_s * SAMPLE_RATE_HZ:
            takes.append(Take(f"asterisk-{len(takes) + 1:02d}", _join(parts), " ".join(texts)))
            parts, texts, length = [], [], 0
    if parts:
        takes.append(Take(f"asterisk-{len(takes) + 1:02d}", _join(parts), " ".join(texts)))
    return takes + [_librivox_take()]


def joined_take(takes: list[Take], seconds: float, take_id: str) -> Take:
    """One take of exactly `seconds` cut from the set joined end to end (the reference is not cut:
    use it for timing and memory only)."""
    samples = np.concatenate([t.samples for t in takes])
    while samples.size < seconds * SAMPLE_RATE_HZ:
        samples = np.concatenate([samples, samples])
    return Take(take_id, samples[: int(seconds * SAMPLE_RATE_HZ)], "")


def first_takes(takes: list[Take], seconds: float, take_id: str) -> Take:
    """The set's first takes joined until at least `seconds` long, with their whole reference."""
    chosen: list[Take] = []
    while sum(t.duration_s for t in chosen) < seconds:
        chosen.append(takes[len(chosen)])
    return Take(take_id, _join([t.samples for t in chosen]), " ".join(t.reference for t in chosen))


def write_wav(take: Take, path: Path) -> Path:
    """Save the take as 16 kHz 16-bit mono WAV."""
    pcm = (np.clip(take.samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE_HZ)
        wav.writeframes(pcm.tobytes())
    return path


def word_error_rate(references: list[str], hypotheses: list[str]) -> float:
    """Corpus word error rate (all errors / all reference words) after Whisper's English normalisation."""
    import jiwer
    from whisper_normalizer.english import EnglishTextNormalizer

    normalise = EnglishTextNormalizer()
    pairs = [(normalise(r), normalise(h)) for r, h in zip(references, hypotheses, strict=True)]
    return jiwer.wer([r for r, _ in pairs], [h if h.strip() else "<empty>" for _, h in pairs])
