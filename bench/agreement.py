"""How far two independent labellers agree on the same answers, and how the segmenter compares with each.

    python bench/agreement.py                 # every set in fixtures/relabelled
    python bench/agreement.py heldout5 ...    # chosen sets

fixtures/relabelled/<set>/ holds a second labelling of the answers in fixtures/<set>/, made by someone who
saw only each answer's text and the labelling rules (fixtures/relabel-brief.md), not the writer's labels.
For each set this prints the word-level agreement of the two labellings (mean over answers and the worst
answer) and the segmenter's word accuracy against each: the agreement is the ceiling a segmenter can be
expected to reach on that set.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from rehearse.labels import load_labelled
from rehearse.sentences import split_sentences
from rehearse.star import segment

ROOT = Path(__file__).resolve().parent.parent
RELABELLED = ROOT / "fixtures" / "relabelled"


def _share_equal(a, b) -> float:
    return sum(x == y for x, y in zip(a, b)) / len(a)


def compare_set(name: str) -> str:
    """One line of figures for fixtures/<name> against its second labelling."""
    agreement, against_writer, against_second = [], [], []
    worst = (1.0, "")
    for second_path in sorted((RELABELLED / name).glob("*.json")):
        writer = load_labelled(ROOT / "fixtures" / name / second_path.name)
        second = load_labelled(second_path)
        if [w.text for w in writer.words] != [w.text for w in second.words]:
            raise SystemExit(f"{second_path}: its words differ from fixtures/{name}/{second_path.name}; relabel it from that text")
        predicted = [ps.phase for ps in segment(split_sentences(writer.words)) for _ in ps.sentence.words]
        agreement.append(_share_equal(writer.phases, second.phases))
        worst = min(worst, (agreement[-1], writer.id))
        against_writer.append(_share_equal(predicted, writer.phases))
        against_second.append(_share_equal(predicted, second.phases))
    if not agreement:
        raise SystemExit(f"no second labelling in {RELABELLED / name}")
    return (f"{name:10} {len(agreement):3} answers  labellers agree {statistics.mean(agreement):.3f} "
            f"(worst {worst[0]:.3f}, {worst[1]})  segmenter vs writer {statistics.mean(against_writer):.3f}, "
            f"vs second labeller {statistics.mean(against_second):.3f}")


def main(names: list[str]) -> None:
    names = names or sorted(p.name for p in RELABELLED.iterdir() if p.is_dir())
    for name in names:
        print(compare_set(name), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
