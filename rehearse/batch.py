"""Many recorded answers at once: worker processes with one model each, results as files finish.

CTranslate2 spreads one transcription over several threads, but a small model like tiny.en keeps
them only partly busy; separate processes, each with its own model and a share of the cores, keep
every core busy (bench/speed.py measures the gain). A file that cannot be analysed is reported and
the batch goes on, even when it crashes the worker analysing it (a fresh worker takes its place).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TextIO

from rehearse.audio import SUPPORTED_SUFFIXES
from rehearse.checks import CheckSettings
from rehearse.errors import InputFileError, ModelError, NoSpeechError, RehearseError
from rehearse.models import ModelChoice
from rehearse.transcribe import DecodeOptions
from rehearse.types import Report

# Each worker holds its own copy of the model and its buffers, so the default stops at a few.
MAX_DEFAULT_WORKERS = 4


@dataclass(frozen=True)
class FileResult:
    """One input's outcome: a report, or the one-line reason it has none."""

    index: int  # position in the expanded input list
    path: Path
    report: Report | None
    error: str | None
    seconds: float  # wall time spent on this file


# Called with (finished results so far, number of files, fraction done of each file in progress).
BatchProgress = Callable[[list[FileResult], int, list[float]], None]


def expand_inputs(paths: list[Path]) -> list[Path]:
    """The files to analyse: each file as given; a folder becomes its audio files, sorted by name.

    Only the folder's own files count (not subfolders), and hidden files are skipped. A folder with
    no audio file in it stays in the list, so it is reported as a bad input like any other.
    """
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                            and p.suffix.lower() in SUPPORTED_SUFFIXES)
            expanded.extend(inside or [path])
        else:
            expanded.append(path)
    return expanded


def default_workers(file_count: int, cpu_count: int | None = None) -> int:
    """One worker per core, no more than there are files, and at most MAX_DEFAULT_WORKERS."""
    cores = cpu_count or os.cpu_count() or 1
    return max(1, min(file_count, cores, MAX_DEFAULT_WORKERS))


def threads_per_worker(workers: int, cpu_count: int | None = None) -> int:
    """CTranslate2 threads for each worker so that, together, the workers use each core once."""
    cores = cpu_count or os.cpu_count() or 1
    return max(1, cores // workers)


def _worker_main(conn: Connection, choice: ModelChoice, settings: CheckSettings, cpu_threads: int,
                 decode_options: DecodeOptions) -> None:
    """A worker process: load the model, then analyse one file per message until told to stop.

    It starts with SIGINT ignored (see _Worker): on Ctrl-C the parent alone decides what happens.
    """
    from rehearse.pipeline import AudioAnalyzer

    analyzer = AudioAnalyzer(choice, settings, decode_options, cpu_threads=cpu_threads)
    try:
        analyzer.transcriber  # noqa: B018 (loads the model before the first file)
    except ModelError as exc:
        conn.send(("fatal", str(exc)))
        return
    while (task := conn.recv()) is not None:
        index, path = task
        last_sent = [0.0]

        def progress(done_s: float, total_s: float, index: int = index) -> None:
            now = time.monotonic()
            if now - last_sent[0] >= 0.2:
                last_sent[0] = now
                conn.send(("progress", index, done_s / total_s if total_s else 1.0))

        try:
            conn.send(("done", index, analyzer.analyze_file(path, on_progress=progress), None))
        except (InputFileError, NoSpeechError) as exc:
            conn.send(("done", index, None, str(exc)))
        except RehearseError as exc:
            conn.send(("fatal", str(exc)))
            return
        except Exception as exc:  # a decoder or model failure on one file must not end the batch
            conn.send(("done", index, None, f"{path}: could not be analysed ({type(exc).__name__}: {exc})"))


class _Worker:
    """The parent's handle on one worker process and the file it is analysing."""

    def __init__(self, context, choice: ModelChoice, settings: CheckSettings, cpu_threads: int,
                 decode_options: DecodeOptions):
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(target=_worker_main,
                                       args=(child_conn, choice, settings, cpu_threads, decode_options),
                                       daemon=True)
        # Ctrl-C reaches the whole process group, workers included, and one arriving while a worker still
        # imports would print its traceback; a new process keeps an ignored SIGINT, so start it so.
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
        try:
            self.process.start()
        finally:
            if in_main_thread:
                signal.signal(signal.SIGINT, previous)
        child_conn.close()
        self.task: tuple[int, Path, float] | None = None  # (index, path, started at)
        self.fraction = 0.0

    def give(self, index: int, path: Path) -> None:
        self.task = (index, path, time.monotonic())
        self.fraction = 0.0
        self.conn.send((index, path))

    def stop(self) -> None:
        if self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.conn.close()


def analyze_in_workers(
    paths: list[Path],
    choice: ModelChoice,
    settings: CheckSettings,
    workers: int,
    on_progress: BatchProgress | None = None,
    decode_options: DecodeOptions = DecodeOptions(),
) -> Iterator[FileResult]:
    """Analyse `paths` in `workers` processes and yield each result as its file finishes.

    Results come in the order files finish, each tagged with its input index. A model that cannot be
    loaded raises ModelError (no file can succeed then); every other failure is one FileResult with
    an error. Worker processes are stopped when the generator is closed, also on Ctrl-C.
    """
    context = multiprocessing.get_context("spawn")  # forking a process that has threads running is unsafe
    cpu_threads = threads_per_worker(workers)
    pending = deque(enumerate(paths))
    finished: list[FileResult] = []
    pool = [_Worker(context, choice, settings, cpu_threads, decode_options) for _ in range(min(workers, len(paths)))]

    def report_progress() -> None:
        if on_progress:
            on_progress(finished, len(paths), [w.fraction for w in pool if w.task])

    def finish(worker: _Worker, report: Report | None, error: str | None) -> FileResult:
        assert worker.task is not None
        index, path, started = worker.task
        worker.task = None
        result = FileResult(index, path, report, error, time.monotonic() - started)
        finished.append(result)
        return result

    try:
        while pending or any(w.task for w in pool):
            for worker in pool:
                if worker.task is None and pending:
                    worker.give(*pending.popleft())
            report_progress()
            ready = wait([w.conn for w in pool] + [w.process.sentinel for w in pool])
            for worker in [w for w in pool if w.conn in ready or w.process.sentinel in ready]:
                result = _receive(worker, finish)
                if result is not _DIED:
                    if result is not None:
                        yield result
                    continue
                pool.remove(worker)
                if worker.task:
                    yield finish(worker, None, f"{worker.task[1]}: stopped the worker analysing it (exit code "
                                 f"{worker.process.exitcode}); check that the file plays, or analyse it alone")
                worker.stop()
                if pending:
                    pool.append(_Worker(context, choice, settings, cpu_threads, decode_options))
    finally:
        for worker in pool:
            worker.stop()


_DIED = object()


def _receive(worker: _Worker, finish: Callable[[_Worker, Report | None, str | None], FileResult]):
    """Read what the worker sent: a FileResult when a file finished, _DIED when the process ended."""
    while worker.conn.poll():
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            return _DIED
        if message[0] == "fatal":
            raise ModelError(message[1])
        if message[0] == "progress":
            worker.fraction = message[2]
        elif message[0] == "done":
            return finish(worker, message[2], message[3])
    if not worker.process.is_alive():
        return _DIED
    return None


class BatchProgressLine:
    """Overall progress of a batch on stderr: a bar redrawn in place on a terminal, else a line per file."""

    def __init__(self, total: int, workers: int, stream: TextIO | None = None):
        self._stream = stream or sys.stderr
        self._tty = self._stream.isatty()
        self._total = total
        self._done = 0
        self._failed = 0
        self._drawn = False
        threads = threads_per_worker(workers)
        self._write(f"Analysing {total} files with {workers} workers ({threads} thread{'s' * (threads > 1)} each)\n")

    def __call__(self, finished: list[FileResult], total: int, fractions: list[float]) -> None:
        """Redraw the bar (terminal only): files done plus the part done of those in progress."""
        if not self._tty:
            return
        percent = int(100 * (len(finished) + sum(fractions)) / total) if total else 100
        bar = "#" * (percent // 5)
        failed = f", {self._failed} failed" if self._failed else ""
        self._write(f"\r[{bar:<20}] {percent:3d}%  {len(finished)}/{total} files{failed}\x1b[K")
        self._drawn = True

    def file_done(self, result: FileResult) -> None:
        """Note a finished file; off a terminal, say so on a line of its own."""
        self._done += 1
        self._failed += result.error is not None
        self.clear()
        if not self._tty:
            outcome = "not analysed" if result.error else f"analysed in {result.seconds:.1f} s"
            self._write(f"[{self._done}/{self._total}] {result.path}: {outcome}\n")

    def clear(self) -> None:
        """Remove the bar so a report can be printed in its place."""
        if self._drawn:
            self._write("\r\x1b[K")
            self._drawn = False

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()
