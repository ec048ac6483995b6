"""Time to segment (and check) a 3-minute transcript, as live mode will every second.

    python bench/segment_speed.py

Prints the median over repeated runs of sentence splitting + STAR segmentation (from scratch, and
as live mode re-segments with earlier sentences cached), and of the whole analysis core, on the
longest labelled answer stretched to 3 minutes at 150 wpm. Target: segmentation under 20 ms.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from rehearse.analysis import analyze_words
from rehearse.labels import load_labelled
from rehearse.sentences import split_sentences
from rehearse.star import cue_evidence, segment
from rehearse.typed import estimate_words
from rehearse.types import InputInfo

ROOT = Path(__file__).resolve().parent.parent
TARGET_WORDS = 450  # 3 minutes at 150 wpm
RUNS = 50


def three_minute_words():
    answers = [load_labelled(p) for p in sorted((ROOT / "fixtures/devset").glob("*.json"))]
    longest = max(answers, key=lambda a: len(a.words))
    text = " ".join(w.text for w in longest.words)
    while len(text.split()) < TARGET_WORDS:
        text += " " + text
    return estimate_words(" ".join(text.split()[:TARGET_WORDS]))


def median_ms(fn, cold: bool) -> float:
    """Median wall time of `fn`; cold clears the per-sentence cue cache before each run."""
    fn()  # compile the patterns once, as any session would
    samples = []
    for _ in range(RUNS):
        if cold:
            cue_evidence.cache_clear()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    words = three_minute_words()
    info = InputInfo("text", "bench", words[-1].end_s)
    cold_ms = median_ms(lambda: segment(split_sentences(words)), cold=True)
    warm_ms = median_ms(lambda: segment(split_sentences(words)), cold=False)
    core_ms = median_ms(lambda: analyze_words(words, info), cold=True)
    print(f"words: {len(words)} ({words[-1].end_s:.0f} s at 150 wpm), median of {RUNS} runs")
    print(f"split + segment, from scratch:      {cold_ms:7.2f} ms  (target < 20 ms: ratio {cold_ms / 20:.2f})")
    print(f"split + segment, live re-segment:   {warm_ms:7.2f} ms  (sentences seen before are cached)")
    print(f"whole core, from scratch:           {core_ms:7.2f} ms  (segment + timing + every check)")


if __name__ == "__main__":
    main()
