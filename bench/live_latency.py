"""Stop-to-report latency of `rehearse record`, through a paced virtual microphone.

Plays voiced answers (fixtures/audio, joined and cut to each length) in real
time into a private PulseAudio null sink, runs `rehearse record` on its
monitor as a user would, sends Enter one second after the answer ends, and
times how long the report takes to appear on stdout.

    python bench/live_latency.py            # 60 s and 180 s takes, 3 of each (needs pulseaudio, pulseaudio-utils)
    python bench/live_latency.py 30 60      # other lengths, in seconds
    python bench/live_latency.py --keep-fillers 180   # with the filler-keeping transcription
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rehearse.audio import decode_audio  # noqa: E402

ANSWERS = ("architecture-opening", "webhook-dlq-strong", "weak-we-slack", "nurse-handover")
PAUSE_BEFORE_STOP_S = 1.0


def speaker_audio(seconds: float) -> np.ndarray:
    """Voiced answers joined until `seconds` long, as 16 kHz s16le."""
    parts, total = [], 0
    for name in ANSWERS * 4:
        samples = decode_audio(ROOT / "fixtures" / "audio" / f"{name}.flac")
        parts.append(samples)
        total += samples.size
        if total >= seconds * 16_000:
            break
    joined = np.concatenate(parts)[: int(seconds * 16_000)]
    return (np.clip(joined, -1, 1) * 32767).astype("<i2")


def start_pulse(folder: Path) -> tuple[subprocess.Popen, dict[str, str]]:
    env = {"XDG_RUNTIME_DIR": str(folder), "PULSE_RUNTIME_PATH": str(folder / "pulse"), "HOME": str(folder),
           "PULSE_SERVER": f"unix:{folder}/pulse/native"}
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit=no",
         "--load=module-native-protocol-unix auth-anonymous=1",
         "--load=module-null-sink sink_name=vmic rate=16000 channels=1", "--load=module-always-sink"],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["pactl", "info"], env={**os.environ, **env}, capture_output=True).returncode == 0:
            return server, env
        time.sleep(0.1)
    server.kill()
    raise SystemExit("PulseAudio did not start")


def measure(seconds: float, folder: Path, env: dict[str, str], extra: tuple[str, ...] = ()) -> float:
    """Seconds from Enter to the report's last line, for one take of `seconds`."""
    raw = folder / f"speaker-{seconds:.0f}.raw"
    speaker_audio(seconds).tofile(raw)
    record = subprocess.Popen(
        [sys.executable, "-m", "rehearse", "record", "--out", str(folder / "takes"), "--max-seconds", "900", *extra],
        cwd=ROOT, env={**os.environ, "NO_COLOR": "1", **env}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    assert record.stderr is not None and record.stdout is not None and record.stdin is not None
    while not (line := record.stderr.readline()).startswith("Recording..."):
        if not line:
            raise SystemExit(f"rehearse record failed to start (exit {record.wait()})")
    stderr_lines: list[str] = []
    threading.Thread(target=lambda: stderr_lines.extend(record.stderr), daemon=True).start()
    stdout_times: list[float] = []

    def read_stdout() -> None:
        for _line in record.stdout:
            stdout_times.append(time.monotonic())

    reader = threading.Thread(target=read_stdout, daemon=True)
    reader.start()
    subprocess.run(["pacat", "--playback", "--raw", "--format=s16le", "--rate=16000", "--channels=1",
                    "--device=vmic", "--latency-msec=20", str(raw)], env={**os.environ, **env}, check=True)
    time.sleep(PAUSE_BEFORE_STOP_S)
    stopped_at = time.monotonic()
    record.stdin.write("\n")
    record.stdin.flush()
    record.wait()
    reader.join()
    if record.returncode != 0 or not stdout_times:
        raise SystemExit(f"rehearse record failed: {''.join(stderr_lines)}")
    return stdout_times[-1] - stopped_at


REPEATS = 3


def main(lengths_s: list[float], extra: tuple[str, ...] = ()) -> None:
    print(f"{'take':>6}  {'stop -> report printed (each run)':>34}  {'median':>7}  {'max':>6}"
          f"   ({os.cpu_count()} cores, tiny.en)")
    with tempfile.TemporaryDirectory() as tmp:
        server, env = start_pulse(Path(tmp))
        try:
            for seconds in lengths_s:
                # Where the stop falls relative to a streaming pass varies, so each length runs several times.
                runs = sorted(measure(seconds, Path(tmp), env, extra) for _ in range(REPEATS))
                each = "  ".join(f"{r:.2f}s" for r in runs)
                print(f"{seconds:>5.0f}s  {each:>34}  {runs[len(runs) // 2]:>6.2f}s  {runs[-1]:>5.2f}s", flush=True)
        finally:
            server.kill()


if __name__ == "__main__":
    options = tuple(a for a in sys.argv[1:] if a.startswith("--"))
    main([float(a) for a in sys.argv[1:] if not a.startswith("--")] or [60.0, 180.0], options)
