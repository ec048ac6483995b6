"""What a user would write instead of rehearse: faster-whisper with its defaults plus word timestamps.

    python bench/baseline_whisper.py MODEL_DIR FILE... [--batched]

Loads the model once with the library's defaults (device and compute type chosen by the library),
transcribes each file with the defaults plus word_timestamps=True, and prints one JSON object:
{file: transcript}. With --batched it uses faster-whisper's BatchedInferencePipeline the same way.
bench/speed.py times this script against `rehearse analyze`.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    batched = "--batched" in argv
    model_dir, *files = [a for a in argv if a != "--batched"]
    model = WhisperModel(model_dir)
    engine = BatchedInferencePipeline(model) if batched else model
    texts = {}
    for path in files:
        segments, _info = engine.transcribe(path, word_timestamps=True)
        texts[path] = " ".join(s.text.strip() for s in segments)
    print(json.dumps(texts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
