"""Segmentation accuracy on labelled answers, for typed text and for voiced audio.

    python bench/segmentation.py                      # text: fixtures/answers, fixtures/devset
    python bench/segmentation.py fixtures/heldout     # text: any folder of labelled answers
    python bench/segmentation.py --audio fixtures/audio fixtures/devset-audio
    python bench/segmentation.py --audio --keep-fillers ...   # transcribed as `analyze --keep-fillers` does
    python bench/segmentation.py --verbose ...        # per-answer phase runs, true and predicted
    python bench/segmentation.py --naive ...          # the naive position split, for calibration
    python bench/segmentation.py --strip ...          # text lower-cased and unpunctuated, like raw ASR
    python bench/segmentation.py --audio --strip ...  # transcripts unpunctuated, word timings (pauses) kept

Prints word-level phase accuracy per answer (worst first), the mean and the worst, and the median
absolute error in seconds of each phase's duration. Text answers are timed at 150 wpm; audio answers
are transcribed with the default model and each word takes the labelled phase at its midpoint.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

from rehearse.evaluation import AnswerScore, phase_at, score_answer, summarise
from rehearse.labels import load_labelled
from rehearse.sentences import split_sentences
from rehearse.star import segment
from rehearse.types import PHASES, Word

ROOT = Path(__file__).resolve().parent.parent
LETTER = {"situation": "S", "task": "T", "action": "A", "result": "R", "reflection": "F"}


def runs(phases) -> str:
    out: list[list] = []
    for p in phases:
        if not out or out[-1][0] != LETTER[p]:
            out.append([LETTER[p], 0])
        out[-1][1] += 1
    return " ".join(f"{letter}{n}" for letter, n in out)


def naive_split(word_count: int) -> list[str]:
    """The calibration baseline: first 20% situation, next 10% task, then action, last 25% result."""
    phases = []
    for i in range(word_count):
        position = (i + 0.5) / word_count
        phases.append("situation" if position < 0.2 else "task" if position < 0.3 else
                      "action" if position < 0.75 else "result")
    return phases


def unpunctuated(words: tuple[Word, ...]) -> list[Word]:
    """The words as raw speech recognition might give them: lower case, no punctuation."""
    return [Word(re.sub(r"[^\w'$%]", "", w.text.lower()) or w.text, w.start_s, w.end_s) for w in words]


def text_scores(dirs: list[Path], verbose: bool, naive: bool = False, strip: bool = False) -> list[AnswerScore]:
    scores = []
    for path in sorted(p for d in dirs for p in d.glob("*.json") if not p.name.endswith(".labels.json")):
        answer = load_labelled(path)
        if strip:
            answer = replace(answer, words=tuple(unpunctuated(answer.words)))
        if naive:
            predicted = naive_split(len(answer.words))
        else:
            predicted = [ps.phase for ps in segment(split_sentences(answer.words)) for _ in ps.sentence.words]
        scores.append(score_answer(answer.id, answer.words, answer.phases, predicted))
        if verbose:
            print(f"{answer.id}\n  truth {runs(answer.phases)}\n  pred  {runs(predicted)}")
    return scores


def audio_scores(dirs: list[Path], verbose: bool, strip: bool = False, keep_fillers: bool = False) -> list[AnswerScore]:
    from rehearse.pipeline import AudioAnalyzer
    from rehearse.transcribe import DecodeOptions

    analyzer = AudioAnalyzer(decode_options=DecodeOptions().keeping_fillers() if keep_fillers else DecodeOptions())
    scores = []
    for labels_path in sorted(p for d in dirs for p in d.glob("*.labels.json")):
        labels = json.loads(labels_path.read_text())
        segments = [(s["phase"], s["start_s"], s["end_s"]) for s in labels["segments"]]
        report = analyzer.analyze_file(labels_path.parent / labels["audio"])
        words = [w for w, _ in report.words]
        predicted = [p for _, p in report.words]
        if strip:
            words = unpunctuated(tuple(words))
            predicted = [ps.phase for ps in segment(split_sentences(words)) for _ in ps.sentence.words]
        truth = [phase_at((w.start_s + w.end_s) / 2, segments) for w in words]
        scores.append(score_answer(labels["id"], words, truth, predicted))
        if verbose:
            print(f"{labels['id']}\n  truth {runs(truth)}\n  pred  {runs(predicted)}")
    return scores


def print_summary(kind: str, scores: list[AnswerScore]) -> None:
    for s in sorted(scores, key=lambda s: s.word_accuracy):
        errors = " ".join(f"{LETTER[p]}{s.duration_error_s[p]:+6.1f}" for p in PHASES)
        print(f"{s.word_accuracy:6.3f}  {s.answer_id:<50} duration error s: {errors}")
    summary = summarise(scores)
    medians = ", ".join(f"{p} {summary.median_abs_error_s[p]:.1f}" for p in PHASES)
    print(f"\n{kind}: {summary.count} answers, mean word accuracy {summary.mean_accuracy:.3f}, "
          f"worst {summary.worst.word_accuracy:.3f} ({summary.worst.answer_id})")
    print(f"{kind}: median |duration error| s: {medians}\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--audio", action="store_true", help="the folders hold *.labels.json and audio")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--naive", action="store_true", help="score the naive position split instead (text only)")
    parser.add_argument("--strip", action="store_true",
                        help="lower-case and unpunctuate the text (or transcript) first, like raw ASR")
    parser.add_argument("--keep-fillers", action="store_true", help="audio: transcribe with the filler-keeping prompt")
    args = parser.parse_args(argv)
    if args.audio:
        kind = "unpunctuated audio" if args.strip else "audio"
        print_summary(kind, audio_scores(args.dirs or [ROOT / "fixtures/audio"], args.verbose, args.strip,
                                                 args.keep_fillers))
    else:
        dirs = args.dirs or [ROOT / "fixtures/answers", ROOT / "fixtures/devset"]
        kind = "naive split" if args.naive else "unpunctuated text" if args.strip else "text"
        print_summary(kind, text_scores(dirs, args.verbose, args.naive, args.strip))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
