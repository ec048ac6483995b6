"""What a filler-keeping prompt gains and what it costs, measured with the real model.

Gain: filler recall and precision on fixtures/fillers (answers voiced with fillers at labelled
times), counted by the tool itself (rehearse.delivery.find_fillers on the transcript's words).
Cost, on speech without fillers (fixtures/audio, fixtures/devset-audio and real human speech, the
Debian asterisk-core-sounds-en prompts): word error rate of the content words (hesitations the
prompt makes Whisper write are left out), stretches of 5+ reference words lost in a row, loops
(a 1-4 word run repeated 3+ times that the reference does not repeat), fillers invented per minute,
and transcription time.

    python bench/fillers.py                         # every set, no prompt vs the candidate prompts
    python bench/fillers.py --sets fillers audio    # some sets only
    python bench/fillers.py --prompt "Um, uh."      # other prompts (repeatable)
    python bench/fillers.py --verbose               # every missed and invented filler
    python bench/fillers.py --prompt-only           # the prompts without --keep-fillers' guards
    python bench/fillers.py --timing --sets audio   # transcription time without and with --keep-fillers
    python bench/fillers.py --batch-size 1          # decoded window after window, as before batching

The asterisk set needs `apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en`
(CC-BY-SA-3.0, 8 kHz studio prompts); it is skipped with a note when they are missing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "fixtures"))

from rehearse.delivery import Filler, find_fillers  # noqa: E402
from rehearse.text import FILLER_WORDS  # noqa: E402
from voice import normalise  # noqa: E402  (fixtures/voice.py: lower case, numbers spelled out)

FILLER_DIR = ROOT / "fixtures" / "fillers"
ASTERISK_SOUNDS = Path("/usr/share/asterisk/sounds/en")
ASTERISK_TEXT = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
# Prompts shorter than this say too little to measure a word error rate on.
ASTERISK_MIN_WORDS = 4
# A detected filler matches a labelled one whose span, widened by this much, holds its middle.
MATCH_TOLERANCE_S = 0.6
LOST_RUN_WORDS = 5
LOOP_REPEATS = 3

# Shortest first; the last is the prompt suggested in the issue.
CANDIDATE_PROMPTS = (
    "Um, uh.",
    "Um, uh, er, like, you know.",
    "Umm, let me think, uh, so, like, hmm.",
)


# --- scoring (pure) ---------------------------------------------------------------------------------


@dataclass
class FillerScore:
    """Detected fillers against labelled ones."""

    hits: int = 0
    invented: list[Filler] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.hits / (self.hits + len(self.missed)) if self.hits + len(self.missed) else 1.0

    @property
    def precision(self) -> float:
        return self.hits / (self.hits + len(self.invented)) if self.hits + len(self.invented) else 1.0

    def add(self, other: FillerScore) -> None:
        self.hits += other.hits
        self.invented += other.invented
        self.missed += other.missed


def match_fillers(detected: Sequence[Filler], labelled: Sequence[dict],
                  tolerance_s: float = MATCH_TOLERANCE_S) -> FillerScore:
    """Pair each detected filler with at most one labelled filler near it in time."""
    score = FillerScore()
    free = list(labelled)
    for filler in detected:
        middle_s = (filler.start_s + filler.end_s) / 2
        near = [f for f in free if f["start_s"] - tolerance_s <= middle_s <= f["end_s"] + tolerance_s]
        if near:
            best = min(near, key=lambda f: abs((f["start_s"] + f["end_s"]) / 2 - middle_s))
            free.remove(best)
            score.hits += 1
        else:
            score.invented.append(filler)
    score.missed = free
    return score


def content_tokens(text: str) -> list[str]:
    """Normalised words without hesitations ("um", "uh"): what the content WER is measured on."""
    return [t for t in normalise(text) if t not in FILLER_WORDS]


def align(ref: Sequence[str], hyp: Sequence[str]) -> list[str]:
    """Edit operations turning `ref` into `hyp`: "=", "S", "D" (ref word lost) or "I"."""
    rows, cols = len(ref) + 1, len(hyp) + 1
    cost = [[0] * cols for _ in range(rows)]
    for i in range(rows):
        cost[i][0] = i
    for j in range(cols):
        cost[0][j] = j
    for i in range(1, rows):
        for j in range(1, cols):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1,
                             cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    ops, i, j = [], len(ref), len(hyp)
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            ops.append("=" if ref[i - 1] == hyp[j - 1] else "S")
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            ops.append("D")
            i -= 1
        else:
            ops.append("I")
            j -= 1
    return ops[::-1]


def lost_runs(ops: Sequence[str], min_words: int = LOST_RUN_WORDS) -> int:
    """Stretches of at least `min_words` reference words deleted in a row (a sentence dropped)."""
    runs, current = 0, 0
    for op in [*ops, "="]:
        if op == "D":
            current += 1
            continue
        if op != "I":
            runs += current >= min_words
            current = 0
    return runs


def loops(tokens: Sequence[str], reference: Sequence[str]) -> int:
    """Runs of 1-4 words said 3+ times in a row in `tokens` but never so in `reference`."""
    def repeated(seq: Sequence[str]) -> set[tuple[str, ...]]:
        found = set()
        for n in range(1, 5):
            for i in range(len(seq) - LOOP_REPEATS * n + 1):
                gram = tuple(seq[i:i + n])
                if all(tuple(seq[i + k * n:i + (k + 1) * n]) == gram for k in range(1, LOOP_REPEATS)):
                    found.add(gram)
        return found
    return len(repeated(tokens) - repeated(reference))


# --- data sets ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clip:
    """One recording with its reference text (and labelled fillers, if it has any)."""

    name: str
    path: Path
    reference: str
    fillers: tuple[dict, ...] | None = None


def filler_clips() -> list[Clip]:
    clips = []
    for labels_path in sorted(FILLER_DIR.glob("*.labels.json")):
        labels = json.loads(labels_path.read_text())
        clips.append(Clip(labels["id"], FILLER_DIR / labels["audio"], labels["text"], tuple(labels["fillers"])))
    return clips


def voiced_clips(folder: Path) -> list[Clip]:
    clips = []
    for labels_path in sorted(folder.glob("*.labels.json")):
        labels = json.loads(labels_path.read_text())
        audio = labels.get("audio", labels_path.name.replace(".labels.json", ".flac"))
        clips.append(Clip(labels["id"], folder / audio, " ".join(s["text"] for s in labels["segments"])))
    return clips


def asterisk_clips() -> list[Clip]:
    if not ASTERISK_TEXT.exists() or not ASTERISK_SOUNDS.is_dir():
        return []
    clips = []
    with gzip.open(ASTERISK_TEXT, "rt", encoding="utf-8", errors="replace") as listing:
        for line in listing:
            name, sep, text = line.partition(":")
            text = text.strip()
            path = ASTERISK_SOUNDS / f"{name.strip()}.wav"
            if not sep or line.startswith(";") or "[" in text or not path.exists():
                continue
            if len(normalise(text)) >= ASTERISK_MIN_WORDS:
                clips.append(Clip(name.strip(), path, text))
    return clips


SETS = {
    "fillers": filler_clips,
    "audio": lambda: voiced_clips(ROOT / "fixtures" / "audio"),
    "devset-audio": lambda: voiced_clips(ROOT / "fixtures" / "devset-audio"),
    "asterisk": asterisk_clips,
}


# --- measuring ----------------------------------------------------------------------------------------


@dataclass
class SetResult:
    clips: int = 0
    audio_s: float = 0.0
    transcribe_s: float = 0.0
    ref_words: int = 0
    errors: int = 0
    lost: int = 0
    loops: int = 0
    fillers: FillerScore = field(default_factory=FillerScore)
    fillers_found: int = 0

    @property
    def wer(self) -> float:
        return self.errors / self.ref_words if self.ref_words else 0.0


def measure(transcriber, clips: Sequence[Clip], prompt: str | None, verbose: bool = False,
            prompt_only: bool = False, batch_size: int | None = None) -> SetResult:
    """Transcribe every clip with `prompt` and score it.

    A prompt is tried as --keep-fillers uses it, with its guards (DecodeOptions.keeping_fillers),
    unless `prompt_only`.
    """
    from rehearse.audio import SAMPLE_RATE_HZ, decode_audio
    from rehearse.transcribe import DecodeOptions

    options = DecodeOptions(initial_prompt=prompt)
    if prompt is not None and not prompt_only:
        options = replace(DecodeOptions().keeping_fillers(), initial_prompt=prompt)
    if batch_size is not None:
        options = replace(options, batch_size=batch_size)
    result = SetResult()
    for clip in clips:
        samples = decode_audio(clip.path)
        started = time.perf_counter()
        words = transcriber.transcribe(samples, options)
        result.transcribe_s += time.perf_counter() - started
        result.audio_s += samples.size / SAMPLE_RATE_HZ
        result.clips += 1
        found = find_fillers(words)
        result.fillers_found += len(found)
        if clip.fillers is not None:
            score = match_fillers(found, clip.fillers)
            result.fillers.add(score)
            if verbose:
                for miss in score.missed:
                    print(f"    {clip.name}: missed {miss['text']!r} at {miss['start_s']:.1f} s")
                for extra in score.invented:
                    print(f"    {clip.name}: invented {extra.text!r} at {extra.start_s:.1f} s")
        elif verbose:
            for extra in found:
                print(f"    {clip.name}: filler {extra.text!r} at {extra.start_s:.1f} s")
        # Phrase fillers ("you know") are words the speaker said, so they stay in both texts.
        hyp_text = " ".join(w.text for w in words)
        ref, hyp = content_tokens(clip.reference), content_tokens(hyp_text)
        ops = align(ref, hyp)
        result.ref_words += len(ref)
        result.errors += sum(op != "=" for op in ops)
        result.lost += lost_runs(ops)
        result.loops += loops(hyp, ref)
        if verbose and (lost_runs(ops) or loops(hyp, ref)):
            print(f"    {clip.name}: lost {lost_runs(ops)}, loops {loops(hyp, ref)}: {hyp_text[:200]}")
    return result


def time_keep_fillers(transcriber, clips: Sequence[Clip], repeats: int = 2) -> None:
    """Transcription time without and with --keep-fillers, interleaved clip by clip (the machine's
    load drifts, so the two are timed side by side rather than one set after the other)."""
    from rehearse.audio import SAMPLE_RATE_HZ, decode_audio
    from rehearse.transcribe import DecodeOptions

    plain, keeping = DecodeOptions(), DecodeOptions().keeping_fillers()
    seconds = {plain: 0.0, keeping: 0.0}
    audio_s = 0.0
    for clip in clips:
        samples = decode_audio(clip.path)
        audio_s += samples.size / SAMPLE_RATE_HZ * repeats
        for _ in range(repeats):
            for options in (plain, keeping):
                started = time.perf_counter()
                transcriber.transcribe(samples, options)
                seconds[options] += time.perf_counter() - started
    print(f"time over {audio_s / 60:.1f} min of audio: no prompt {seconds[plain]:.1f} s "
          f"({seconds[plain] / audio_s:.3f} of real time), --keep-fillers {seconds[keeping]:.1f} s "
          f"({seconds[keeping] / audio_s:.3f}); ratio {seconds[keeping] / seconds[plain]:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", choices=tuple(SETS), default=list(SETS))
    parser.add_argument("--prompt", action="append", help="a prompt to try (repeatable; default: the candidates)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--timing", action="store_true",
                        help="only time transcription without and with --keep-fillers, interleaved")
    parser.add_argument("--prompt-only", action="store_true",
                        help="the prompt without --keep-fillers' guards (shows the sentences and loops they prevent)")
    parser.add_argument("--batch-size", type=int,
                        help="decode this many pieces at once (1: window after window; default: rehearse's)")
    args = parser.parse_args(argv)

    from rehearse.models import resolve_model
    from rehearse.transcribe import Transcriber

    transcriber = Transcriber(resolve_model(None))
    if args.timing:
        time_keep_fillers(transcriber, [clip for name in args.sets for clip in SETS[name]()])
        return 0
    prompts: list[str | None] = [None, *(args.prompt or CANDIDATE_PROMPTS)]
    clips = {name: SETS[name]() for name in args.sets}
    for name, found in clips.items():
        if not found:
            print(f"{name}: no clips (for asterisk: apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en)")
    print("prompt | set | clips | minutes | filler recall | filler precision | fillers/min | content WER | "
          "lost stretches | loops | time/audio")
    baseline_time: dict[str, float] = {}
    for prompt in prompts:
        for name, set_clips in clips.items():
            if not set_clips:
                continue
            result = measure(transcriber, set_clips, prompt, args.verbose, args.prompt_only, args.batch_size)
            minutes = result.audio_s / 60
            labelled = set_clips[0].fillers is not None
            recall = f"{result.fillers.recall:.2f}" if labelled else "-"
            precision = f"{result.fillers.precision:.2f}" if labelled else "-"
            ratio = result.transcribe_s / result.audio_s
            baseline_time.setdefault(name, ratio)
            print(f"{prompt or '(none)'} | {name} | {result.clips} | {minutes:.1f} | {recall} | {precision} | "
                  f"{result.fillers_found / minutes:.1f} | {result.wer:.1%} | {result.lost} | {result.loops} | "
                  f"{ratio:.3f} ({ratio / baseline_time[name]:.2f}x)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
