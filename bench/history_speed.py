"""How fast `rehearse history` and `rehearse report` answer on a history of many takes.

    python bench/history_speed.py [--takes 500]

Fills a temporary history (REHEARSE_DATA_DIR) with typed fixture answers under a few story labels, then
prints the median wall time of `rehearse history` as a process against `rehearse --help` (the floor: Python
and the command-line parser), of `rehearse history --story NAME`, and of HTML and CSV reports of the 20
latest takes. Target: `history` within 0.2 s of `--help`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rehearse.analysis import analyze_words
from rehearse.history import History
from rehearse.labels import load_labelled
from rehearse.report.json_report import report_to_dict
from rehearse.typed import estimate_words
from rehearse.types import InputInfo

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
STORIES = ("conflict", "failure", "ownership", "deadline", None)


def fill(history: History, takes: int) -> None:
    answers = [load_labelled(p) for p in sorted((ROOT / "fixtures/devset").glob("*.json"))]
    reports = []
    for answer in answers:
        words = estimate_words(" ".join(w.text for w in answer.words))
        info = InputInfo("text", f"{answer.id}.txt", words[-1].end_s, estimated_pace_wpm=150.0)
        reports.append(report_to_dict(analyze_words(words, info)))
    for i in range(takes):
        history.add(reports[i % len(reports)], "check", story=STORIES[i % len(STORIES)])


def median_s(*args: str) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rehearse", *args], check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--takes", type=int, default=500)
    takes = parser.parse_args().takes
    with tempfile.TemporaryDirectory() as folder:
        os.environ["REHEARSE_DATA_DIR"] = folder
        history = History()
        start = time.perf_counter()
        fill(history, takes)
        print(f"{takes} takes stored in {time.perf_counter() - start:.1f} s "
              f"({history.path.stat().st_size / 1e6:.1f} MB)")
        floor = median_s("--help")
        listing = median_s("history")
        story = median_s("history", "--story", "conflict")
        latest = [f"take:{n}" for n in range(takes - 19, takes + 1)]
        html = median_s("report", *latest, "-o", str(Path(folder) / "r.html"), "-q")
        table = median_s("report", *latest, "-o", str(Path(folder) / "r.csv"), "-q")
    print(f"rehearse --help                  {floor:.3f} s (the floor)")
    print(f"rehearse history                 {listing:.3f} s (+{listing - floor:.3f} s, x{listing / floor:.2f})")
    print(f"rehearse history --story NAME    {story:.3f} s (+{story - floor:.3f} s)")
    print(f"rehearse report 20 takes -> html {html:.3f} s")
    print(f"rehearse report 20 takes -> csv  {table:.3f} s")


if __name__ == "__main__":
    main()
