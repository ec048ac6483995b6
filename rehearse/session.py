"""One live take: capture to disk, stream the transcript, show the live view, stop, hand back the words.

Wires `record.Recorder` (microphone -> WAV), `streaming.StreamingTranscriber`
(on a worker thread) and the pure `live` view together, and decides when the
take stops: Enter or a line on stdin, Ctrl-C, SIGTERM, `max_seconds`, or
optional trailing silence. Whatever stops it, the recorder is stopped first,
so the WAV is final before anything else can fail.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

import numpy as np

from rehearse.audio import SAMPLE_RATE_HZ
from rehearse.delivery import Pause
from rehearse.errors import OutputError
from rehearse.live import CueTracker, current_phase, render_cue, render_status
from rehearse.pauses import PauseTracker
from rehearse.record import Recorder
from rehearse.streaming import StreamingTranscriber
from rehearse.transcribe import DecodeOptions, Transcriber
from rehearse.types import Phase, Word

# The live view refreshes this often; the segmenter is cached, so this is cheap.
VIEW_REFRESH_S = 1.0
# Without a terminal, the status is printed this often (cues are printed at once).
PLAIN_STATUS_EVERY_S = 30.0
# A streaming pass runs once at least this much new audio has arrived.
STREAM_STEP_S = 1.0
# A 100 ms block louder than this counts as voice for the silence auto-stop.
VOICE_DBFS = -40.0


@dataclass(frozen=True)
class TakeOptions:
    """How to record one take."""

    out_dir: Path
    question: str | None = None
    device: str | None = None
    max_seconds: float = 600.0
    silence_stop_s: float | None = None
    budgets_s: Mapping[Phase, float] = field(default_factory=lambda: {"situation": 45.0})
    decode: DecodeOptions = DecodeOptions()


@dataclass(frozen=True)
class Take:
    """A finished take: where its audio is and what was said."""

    path: Path
    duration_s: float
    words: tuple[Word, ...]
    stop_reason: str
    # Blocks the machine was too busy to fetch from the device (gaps in the take).
    overflows: int = 0
    # Silences found in the audio as it was recorded (voice activity, as `analyze` finds them).
    pauses: tuple[Pause, ...] = ()


class StopRequest:
    """Set once by whichever trigger fires first; remembers which."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    def request(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
            self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout_s: float) -> bool:
        return self._event.wait(timeout_s)


def take_path(out_dir: Path, question: str | None, now: datetime) -> Path:
    """`<out_dir>/<YYYYmmdd-HHMMSS>-<question slug>.wav`, e.g. 20250101-093000-tell-me-about-a-time-you.wav."""
    slug = "-".join(re.findall(r"[a-z0-9]+", (question or "take").lower()))[:48].rstrip("-") or "take"
    return out_dir / f"{now:%Y%m%d-%H%M%S}-{slug}.wav"


@contextmanager
def stop_triggers(stop: StopRequest, stdin: TextIO | None, enter_reason: str = "enter") -> Iterator[None]:
    """Route SIGINT, SIGTERM and a line on `stdin` to `stop` for the duration of the take.

    An empty or closed stdin does not stop the take (a script may start
    `rehearse record < /dev/null` and stop it with a signal).
    """
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, lambda *_: stop.request("ctrl-c"))
    signal.signal(signal.SIGTERM, lambda *_: stop.request("sigterm"))
    if stdin is not None:
        threading.Thread(target=_stop_on_line, args=(stdin, stop, enter_reason), daemon=True,
                         name="rehearse-stdin").start()
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_on_line(stdin: TextIO, stop: StopRequest, reason: str) -> None:
    try:
        line = stdin.readline()
    except (OSError, ValueError):
        return
    if line:  # "" is end of file: not a request to stop
        stop.request(reason)


class LiveView:
    """Writes the live view: one redrawn line on a terminal, occasional plain lines otherwise."""

    def __init__(self, stream: TextIO, enabled: bool = True):
        self._stream = stream
        self._enabled = enabled
        self._tty = stream.isatty()
        self._last_plain_s = -PLAIN_STATUS_EVERY_S

    def started(self, how_to_stop: str) -> None:
        if self._enabled:
            self._write(f"Recording... ({how_to_stop})\n")

    def show(self, line: str, elapsed_s: float, cue: str | None) -> None:
        if not self._enabled:
            return
        if cue:
            self._write(("\r\x1b[K" if self._tty else "") + render_cue(elapsed_s, cue) + "\n")
        if self._tty:
            self._write("\r\x1b[K" + line)
        elif elapsed_s - self._last_plain_s >= PLAIN_STATUS_EVERY_S:
            self._last_plain_s = elapsed_s
            self._write(line + "\n")

    def close(self) -> None:
        if self._enabled and self._tty:
            self._write("\r\x1b[K")

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


class _VoiceClock:
    """When voice was last heard, for the silence auto-stop (fed from the capture thread)."""

    def __init__(self) -> None:
        self.heard_s: float | None = None
        self._samples = 0

    def feed(self, samples: np.ndarray) -> None:
        self._samples += samples.size
        rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0.0
        if 20 * np.log10(max(rms, 1e-10)) > VOICE_DBFS:
            self.heard_s = self._samples / SAMPLE_RATE_HZ


def record_take(transcriber: Transcriber, options: TakeOptions, stop: StopRequest, view: LiveView,
                how_to_stop: str = "Enter or Ctrl-C stops") -> Take:
    """Record until `stop` fires (or a limit is reached) and return the take's words.

    Raises a RehearseError whose message names the take's path when the device
    or the disk fails; the audio recorded until then stays in that file.
    """
    options.out_dir.mkdir(parents=True, exist_ok=True)
    path = take_path(options.out_dir, options.question, datetime.now())
    streaming = StreamingTranscriber(transcriber, options.decode)
    # Voice activity runs on the streaming worker as the audio arrives, so the pauses
    # cost nothing at stop (over a whole 3-minute take it would take about a second).
    pause_tracker = PauseTracker()
    voice = _VoiceClock()

    def on_audio(samples: np.ndarray) -> None:
        streaming.insert_audio_chunk(samples)
        pause_tracker.feed(samples)
        voice.feed(samples)

    recorder = Recorder(path, options.device, on_audio, options.max_seconds)
    stopping = threading.Event()
    worker_errors: list[BaseException] = []
    worker = threading.Thread(target=_stream_loop, args=(streaming, pause_tracker, stopping, worker_errors, stop),
                              daemon=True, name="rehearse-streaming")
    cues = CueTracker(options.budgets_s)
    recorder.start()
    view.started(how_to_stop)
    try:
        worker.start()
        next_view_s = 0.0
        while not stop.wait(0.1):
            if recorder.failed.is_set():
                break
            elapsed_s = recorder.duration_s
            if recorder.full.is_set():
                stop.request("max-seconds")
            elif options.silence_stop_s and voice.heard_s is not None \
                    and elapsed_s - voice.heard_s >= options.silence_stop_s:
                stop.request("silence")
            elif elapsed_s >= next_view_s:
                next_view_s = elapsed_s + VIEW_REFRESH_S
                status = current_phase(streaming.committed, elapsed_s)
                view.show(render_status(status), elapsed_s, cues.cue(status))
    finally:
        duration_s = recorder.stop()
        stopping.set()
        view.close()
    worker.join()
    if recorder.error is not None:
        raise recorder.error
    if worker_errors:
        exc = worker_errors[0]
        raise OutputError(f"live transcription failed ({type(exc).__name__}: {exc}); the take is kept in {path}; "
                          f"analyse it with `rehearse analyze {path}`")
    words = tuple(streaming.finish())
    pauses = tuple(pause_tracker.pauses())
    return Take(path, duration_s, words, stop.reason or "stopped", recorder.overflows, pauses)


def _stream_loop(streaming: StreamingTranscriber, pause_tracker: PauseTracker, stopping: threading.Event,
                 errors: list[BaseException], stop: StopRequest) -> None:
    heard_s = 0.0
    try:
        while not stopping.is_set():
            if streaming.received_s - heard_s >= STREAM_STEP_S:
                heard_s = streaming.received_s
                pause_tracker.process()
                streaming.process_iter()
            else:
                stopping.wait(0.05)
    except Exception as exc:  # noqa: BLE001 - reported after the take is safely on disk
        errors.append(exc)
        stop.request("error")
