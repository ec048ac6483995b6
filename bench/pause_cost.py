"""What finding a live take's pauses from the audio costs, and when it is paid.

`rehearse record` feeds each 100 ms block to rehearse.pauses.PauseTracker and runs the voice
activity model on the streaming worker about once a second, so at stop only the last moment of
audio is left to process. This prints, for a take of each length (voiced fixtures joined):

- whole take at stop: one voice-activity pass over the whole take (what stopping would cost
  if the pauses were found only then);
- per pass: the worker's cost for each second of audio (median and max);
- left at stop: what remains after the last pass (up to one second of audio).

    python bench/pause_cost.py              # 60 s and 180 s takes
    python bench/pause_cost.py 30 300       # other lengths, in seconds
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rehearse.audio import SAMPLE_RATE_HZ, decode_audio  # noqa: E402
from rehearse.pauses import PauseTracker, find_pauses  # noqa: E402

BLOCK = SAMPLE_RATE_HZ // 10  # the recorder's 100 ms blocks
PASS_EVERY_BLOCKS = 10  # the streaming worker's step, about a second
REPEATS = 3


def take_audio(seconds: float) -> np.ndarray:
    """Voiced fixtures joined, with a 3 s silence every 40 s, cut to `seconds`."""
    parts, total = [], 0
    for path in sorted((ROOT / "fixtures" / "audio").glob("*.flac")) * 4:
        speech = decode_audio(path)
        for start in range(0, speech.size, 40 * SAMPLE_RATE_HZ):
            parts += [speech[start:start + 40 * SAMPLE_RATE_HZ], np.zeros(3 * SAMPLE_RATE_HZ, np.float32)]
        total += speech.size
        if total >= seconds * SAMPLE_RATE_HZ:
            break
    return np.concatenate(parts)[: int(seconds * SAMPLE_RATE_HZ)]


def live(samples: np.ndarray) -> tuple[list[float], float, int]:
    """Per-pass seconds, seconds left at stop, and pauses found, feeding blocks as a take does."""
    tracker = PauseTracker()
    passes = []
    for i, start in enumerate(range(0, samples.size, BLOCK), 1):
        tracker.feed(samples[start:start + BLOCK])
        if i % PASS_EVERY_BLOCKS == 0 and start + BLOCK < samples.size:
            began = time.perf_counter()
            tracker.process()
            passes.append(time.perf_counter() - began)
    began = time.perf_counter()
    found = tracker.pauses()
    return passes, time.perf_counter() - began, len(found)


def main(lengths_s: list[float]) -> None:
    PauseTracker()  # load the model once, as `record` does before the take
    print(f"{'take':>6}  {'whole take at stop':>18}  {'per pass: median':>16}  {'max':>6}  {'left at stop':>12}  pauses")
    for seconds in lengths_s:
        samples = take_audio(seconds)
        whole = min(_timed(find_pauses, samples) for _ in range(REPEATS))
        runs = [live(samples) for _ in range(REPEATS)]
        passes = [p for run in runs for p in run[0]]
        left = statistics.median(run[1] for run in runs)
        print(f"{seconds:>5.0f}s  {whole * 1000:>16.0f}ms  {statistics.median(passes) * 1000:>14.1f}ms  "
              f"{max(passes) * 1000:>4.0f}ms  {left * 1000:>10.1f}ms  {runs[0][2]}", flush=True)


def _timed(function, *args) -> float:
    began = time.perf_counter()
    function(*args)
    return time.perf_counter() - began


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [60.0, 180.0])
