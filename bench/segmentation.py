"""Word-level STAR phase accuracy on labelled answers (text path).

Usage: python bench/segmentation.py [DIR ...]   (default: fixtures/answers fixtures/devset)
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from rehearse.labels import load_labelled
from rehearse.sentences import split_sentences
from rehearse.star import segment

ROOT = Path(__file__).resolve().parent.parent


def evaluate(paths: list[Path]) -> None:
    rows = []
    for path in paths:
        answer = load_labelled(path)
        phased = segment(split_sentences(answer.words))
        predicted = [ps.phase for ps in phased for _ in ps.sentence.words]
        correct = sum(p == t for p, t in zip(predicted, answer.phases))
        truth_seq = _runs(answer.phases)
        pred_seq = _runs(predicted)
        rows.append((correct / len(answer.phases), answer.id, truth_seq, pred_seq))
    rows.sort()
    for accuracy, answer_id, truth, pred in rows:
        print(f"{accuracy:6.3f}  {answer_id:<50} truth {truth}\n{'':58}pred  {pred}")
    scores = [r[0] for r in rows]
    print(f"\n{len(rows)} answers: mean word accuracy {statistics.mean(scores):.3f}, worst {min(scores):.3f}")


def _runs(phases) -> str:
    out = []
    for p in phases:
        letter = {"situation": "S", "task": "T", "action": "A", "result": "R", "reflection": "F"}[p]
        if not out or out[-1][0] != letter:
            out.append([letter, 0])
        out[-1][1] += 1
    return " ".join(f"{l}{n}" for l, n in out)


if __name__ == "__main__":
    dirs = [Path(a) for a in sys.argv[1:]] or [ROOT / "fixtures/answers", ROOT / "fixtures/devset"]
    evaluate(sorted(p for d in dirs for p in d.glob("*.json") if not p.name.endswith(".labels.json")))
