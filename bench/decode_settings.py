"""Word error rate and time of each decode setting on real human speech (see bench/realspeech.py).

    python bench/decode_settings.py              # every setting over the whole real-speech set
    python bench/decode_settings.py --takes 3    # the first 3 takes only (quicker, noisier)
    python bench/decode_settings.py --json out.json

Each row transcribes every take with a loaded tiny.en model (the default, int8 unless the row says
otherwise) and reports the corpus word error rate and the transcription time over the audio length
(real-time factor, model loading excluded), and the CPU seconds the process used, which other work on
a shared machine disturbs less than wall time. The first row is rehearse's own DecodeOptions through its
Transcriber; the others call faster-whisper with the same model and change one thing at a time. Rows
run interleaved in rounds, so load from other work on the machine falls on all of them alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from realspeech import load_takes, word_error_rate  # noqa: E402


@dataclass(frozen=True)
class Setting:
    """One way of decoding: faster-whisper keyword arguments, threads and compute type."""

    name: str
    kwargs: dict = field(default_factory=dict)
    cpu_threads: int = 0  # 0: every core
    compute_type: str = "int8"
    batched: bool = False  # through faster-whisper's BatchedInferencePipeline


BASE = {"language": "en", "beam_size": 1, "vad_filter": True, "word_timestamps": True}
SETTINGS = (
    Setting("batched, beam 1, batch 2 (rehearse default)"),
    Setting("sequential windows, beam 1 (before)", BASE),
    Setting("sequential, beam 2", {**BASE, "beam_size": 2}),
    Setting("sequential, beam 5", {**BASE, "beam_size": 5}),
    Setting("sequential, beam 1, no VAD", {**BASE, "vad_filter": False}),
    Setting("sequential, beam 5, no VAD", {**BASE, "beam_size": 5, "vad_filter": False}),
    Setting("sequential, beam 1, no word timestamps", {**BASE, "word_timestamps": False}),
    Setting("sequential, beam 1, 1 thread", BASE, cpu_threads=1),
    Setting("sequential, beam 1, float32", BASE, compute_type="float32"),
    Setting("batched, beam 5", {**BASE, "beam_size": 5}, batched=True),
    Setting("batched, batch 4", {**BASE, "batch_size": 4}, batched=True),
    Setting("batched, batch 8", {**BASE, "batch_size": 8}, batched=True),
    Setting("batched, batch 16", {**BASE, "batch_size": 16}, batched=True),
    Setting("batched, 1 thread", BASE, cpu_threads=1, batched=True),
    Setting("batched, no word timestamps", {**BASE, "word_timestamps": False}, batched=True),
)


def run_setting(setting: Setting, takes, models: dict) -> tuple[list[str], float, float]:
    """Transcripts of every take, and the wall and CPU seconds spent transcribing them."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from rehearse.models import resolve_model
    from rehearse.transcribe import Transcriber

    key = "rehearse" if not setting.kwargs else (setting.cpu_threads, setting.compute_type)
    if key not in models:
        source = resolve_model(None)
        models[key] = Transcriber(source) if key == "rehearse" else WhisperModel(
            source.source, device="cpu", compute_type=setting.compute_type,
            cpu_threads=setting.cpu_threads or os.cpu_count() or 1)
    model = BatchedInferencePipeline(models[key]) if setting.batched else models[key]
    texts, spent, cpu = [], 0.0, 0.0
    for take in takes:
        started, cpu_started = time.perf_counter(), time.process_time()
        if key == "rehearse":
            text = " ".join(w.text for w in model.transcribe(take.samples))
        else:
            segments, _ = model.transcribe(take.samples, **setting.kwargs)
            text = " ".join(s.text.strip() for s in segments)
        spent += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        texts.append(text)
    return texts, spent, cpu


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--takes", type=int, help="use only the first N takes")
    parser.add_argument("--rounds", type=int, default=1, help="repeat every setting N times (time: median)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    parser.add_argument("--settings", help="only the settings whose names contain one of these comma-separated "
                        "words, e.g. 'default,beam 2' (the default row always runs)")
    args = parser.parse_args(argv)
    chosen = [s for s in SETTINGS if s is SETTINGS[0] or not args.settings
              or any(word.strip() in s.name for word in args.settings.split(","))]
    takes = load_takes()[: args.takes]
    audio_s = sum(t.duration_s for t in takes)
    print(f"{len(takes)} takes, {audio_s / 60:.1f} min of real speech; {os.cpu_count()} cores; "
          f"load average at start {os.getloadavg()[0]:.2f}", flush=True)
    models: dict = {}
    times: dict[str, list[float]] = {s.name: [] for s in chosen}
    cpus: dict[str, list[float]] = {s.name: [] for s in chosen}
    wers: dict[str, float] = {}
    per_take: dict[str, list[float]] = {}
    for _round in range(args.rounds):
        for setting in chosen:
            texts, spent, cpu = run_setting(setting, takes, models)
            times[setting.name].append(spent)
            cpus[setting.name].append(cpu)
            wers[setting.name] = word_error_rate([t.reference for t in takes], texts)
            per_take[setting.name] = [round(word_error_rate([t.reference], [x]), 4) for t, x in zip(takes, texts)]
            print(f"  {setting.name:<40} WER {wers[setting.name]:6.2%}  {spent:6.1f} s  CPU {cpu:6.1f} s",
                  file=sys.stderr, flush=True)
    default_time = statistics.median(times[SETTINGS[0].name])
    default_cpu = statistics.median(cpus[SETTINGS[0].name])
    rows = []
    print(f"\n{'setting':<40} {'WER':>7} {'wall s':>7} {'RTF':>6} {'CPU s':>7} {'wall / default':>15} "
          f"{'CPU / default':>14}")
    for setting in chosen:
        spent, cpu = statistics.median(times[setting.name]), statistics.median(cpus[setting.name])
        rows.append({"setting": setting.name, "wer": round(wers[setting.name], 4), "time_s": round(spent, 2),
                     "rtf": round(spent / audio_s, 4), "cpu_s": round(cpu, 2),
                     "time_ratio_to_default": round(spent / default_time, 3),
                     "cpu_ratio_to_default": round(cpu / default_cpu, 3), "wer_per_take": per_take[setting.name]})
        print(f"{setting.name:<40} {wers[setting.name]:7.2%} {spent:7.1f} {spent / audio_s:6.3f} {cpu:7.1f} "
              f"{spent / default_time:15.2f} {cpu / default_cpu:14.2f}")
    print(f"\nWER per take (%), to tell a systematic difference from a few words changing in one take:\n"
          f"{'setting':<40} " + " ".join(f"{t.id[-7:]:>7}" for t in takes))
    for setting in chosen:
        print(f"{setting.name:<40} " + " ".join(f"{100 * w:7.1f}" for w in per_take[setting.name]))
    if args.json:
        args.json.write_text(json.dumps({"audio_s": round(audio_s, 1), "takes": [t.id for t in takes],
                                         "load_average_start": os.getloadavg()[0], "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
