"""The only module that touches the microphone: list input devices, capture a take to a WAV file.

The PortAudio callback runs at real-time priority, so it only queues a copy
of each block. A writer thread drains the queue into a `WavWriter`, flushes
(header sizes + fsync) at least every `flush_interval_s`, and hands each block
to an optional consumer (the streaming transcriber). Whatever goes wrong,
`stop` closes the file, so the take holds everything up to the last flush.
"""

from __future__ import annotations

import errno
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rehearse.audio import SAMPLE_RATE_HZ
from rehearse.errors import DeviceError, OutputError, RehearseError
from rehearse.wav import WavWriter

BLOCK_S = 0.1
FLUSH_INTERVAL_S = 0.5
# No block for this long while recording means the device went away (unplugged,
# sound server gone); PortAudio does not always report it. On a machine under
# heavy load a live device can pause for 2 s, so the bar is higher than that.
DEVICE_SILENT_TIMEOUT_S = 5.0
# At stop, wait at most this long for blocks the device had already captured:
# under CPU load PortAudio's callbacks lag behind the sound card.
DRAIN_TIMEOUT_S = 2.0
# start() returns once audio flows, so "Recording..." is only shown when the
# speaker's first words will be captured; a sound server under load can take
# a second or more to deliver the first block after the stream starts.
FIRST_BLOCK_TIMEOUT_S = 5.0

PORTAUDIO_FIX = (
    "install the PortAudio library (Debian/Ubuntu: `sudo apt-get install libportaudio2`, "
    "macOS: `brew install portaudio`); `rehearse analyze` and `check` work without it"
)

_NO_BLOCK = np.empty((0, 1), np.int16)

NO_INPUT_DEVICE = ("no input device found; plug in a microphone or check the sound system (PulseAudio/PipeWire) "
                   "runs, then see `rehearse devices`")

AudioConsumer = Callable[[np.ndarray], None]


@dataclass(frozen=True)
class InputDevice:
    """One capture device as PortAudio sees it."""

    index: int
    name: str
    host_api: str
    channels: int
    default_samplerate_hz: float
    is_default: bool


def _sounddevice() -> Any:
    """Import sounddevice, turning a missing PortAudio into a DeviceError that says how to fix it."""
    try:
        import sounddevice
    except OSError:
        raise DeviceError(f"the PortAudio library is not installed; {PORTAUDIO_FIX}") from None
    return sounddevice


def list_input_devices() -> list[InputDevice]:
    """Every device that can capture audio, the default one marked."""
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        host_apis = sd.query_hostapis()
        default_in = sd.default.device[0]
    except sd.PortAudioError as exc:
        raise DeviceError(f"cannot list audio devices ({exc}); check the sound system is running") from None
    return [
        InputDevice(d["index"], d["name"], host_apis[d["hostapi"]]["name"], d["max_input_channels"],
                    float(d["default_samplerate"]), d["index"] == default_in)
        for d in devices
        if d["max_input_channels"] > 0
    ]


def _resolve_device(device: str | None) -> int | str | None:
    """A device index given as text becomes an int; names are matched by PortAudio (substring)."""
    if device is None:
        return None
    return int(device) if device.isdigit() else device


class Recorder:
    """Captures 16 kHz mono from one input device into a new WAV file.

    Use `start`, then poll `error` / `duration_s`, then `stop` (always, e.g. in
    a `finally`); `stop` is what makes the file final.
    """

    def __init__(self, path: Path, device: str | None = None, on_audio: AudioConsumer | None = None,
                 max_seconds: float | None = None, flush_interval_s: float = FLUSH_INTERVAL_S):
        self.path = path
        self._max_samples = int(max_seconds * SAMPLE_RATE_HZ) if max_seconds else None
        self.full = threading.Event()  # set once max_seconds of audio are on their way to disk
        self._device = device
        self._on_audio = on_audio
        self._flush_interval_s = flush_interval_s
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._writer: WavWriter | None = None
        self._stream: Any = None
        self._thread: threading.Thread | None = None
        self._error: RehearseError | None = None
        self._failed = threading.Event()
        self._disk_failed = False
        self._overflows = 0
        self._captured_samples = 0
        self._last_adc_s = 0.0  # capture time of the newest block, on the stream's clock
        self._audio_flowing = threading.Event()

    @property
    def error(self) -> RehearseError | None:
        """Set by the writer thread when the take had to stop (disk full, device gone, consumer failed)."""
        return self._error

    @property
    def failed(self) -> threading.Event:
        """Set together with `error`, so a waiting caller can wake up."""
        return self._failed

    @property
    def duration_s(self) -> float:
        """Seconds of audio captured so far (the take's own clock)."""
        return self._captured_samples / SAMPLE_RATE_HZ

    @property
    def overflows(self) -> int:
        """Blocks PortAudio reported as overflowed (audio the machine was too busy to fetch)."""
        return self._overflows

    def start(self) -> None:
        """Create the file (never overwriting), open and start the input stream; returns once audio flows."""
        sd = _sounddevice()
        if self._device is None and not list_input_devices():
            raise DeviceError(NO_INPUT_DEVICE)
        self._writer = WavWriter(self.path, SAMPLE_RATE_HZ)
        try:
            self._stream = sd.InputStream(
                samplerate=SAMPLE_RATE_HZ, channels=1, dtype="int16", blocksize=int(BLOCK_S * SAMPLE_RATE_HZ),
                # Low latency keeps little audio in the sound server's buffers, where a stop cannot reach it.
                latency="low", device=_resolve_device(self._device), callback=self._callback,
            )
        except ValueError as exc:  # sounddevice: no such device name / no input device
            self._abandon()
            raise DeviceError(f"{_device_problem(self._device, str(exc))}; list the inputs with `rehearse devices` "
                              "and pass one with --device") from None
        except sd.PortAudioError as exc:
            self._abandon()
            raise DeviceError(f"cannot open the input device ({_first_line(exc)}); it may be busy in another "
                              "program or unplugged: close that program, or pick another with --device "
                              "(see `rehearse devices`)") from None
        self._thread = threading.Thread(target=self._write_loop, name="rehearse-wav-writer", daemon=True)
        self._thread.start()
        self._stream.start()
        # A device that never delivers is reported by the writer's silence timeout.
        self._audio_flowing.wait(FIRST_BLOCK_TIMEOUT_S)

    def stop(self) -> float:
        """Stop capturing, write what is queued, close the file; returns the take's duration in seconds."""
        if self._stream is not None:
            self._drain()
            try:
                self._stream.abort()  # drop PortAudio's internal buffer wait: we stop now
                self._stream.close()
            except Exception:  # noqa: BLE001 - a vanished device may fail to close; the file matters more
                pass
            self._stream = None
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._writer is not None:
            try:
                self._writer.close()
            except OSError as exc:
                self._set_error(_disk_error(self.path, self._writer.durable_duration_s, exc))
            duration_s = self._writer.durable_duration_s
            self._writer = None
            return duration_s
        return 0.0

    def _drain(self) -> None:
        """Keep capturing until the blocks captured before the stop request have arrived."""
        try:
            target_s = self._stream.time
        except Exception:  # noqa: BLE001 - a vanished device has no clock; nothing more will come
            return
        deadline = time.monotonic() + DRAIN_TIMEOUT_S
        # Some host APIs report no capture times (0): then there is nothing to wait for.
        while (self._last_adc_s and self._last_adc_s + BLOCK_S < target_s and time.monotonic() < deadline
               and not self._failed.is_set()):
            time.sleep(0.02)

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # Real-time thread: no I/O, no locks that may block, only queue a copy.
        if status.input_overflow:
            self._overflows += 1
        self._last_adc_s = time_info.inputBufferAdcTime
        self._queue.put(indata.copy())
        self._audio_flowing.set()

    def _write_loop(self) -> None:
        assert self._writer is not None
        last_flush = last_block = time.monotonic()
        while True:
            try:
                block = self._queue.get(timeout=0.2)
            except queue.Empty:
                block = _NO_BLOCK
                if time.monotonic() - last_block > DEVICE_SILENT_TIMEOUT_S and not self._failed.is_set():
                    self._set_error(DeviceError(
                        "the input device stopped delivering audio (unplugged, or the sound server stopped); "
                        f"the take so far is kept in {self.path}; reconnect it and record again"))
            if block is None:  # stop() was called
                return
            now = time.monotonic()
            if block.size:
                last_block = now
                if not self._disk_failed:
                    self._write_block(block)
            if now - last_flush >= self._flush_interval_s and not self._disk_failed:
                last_flush = now
                self._flush()

    def _write_block(self, block: np.ndarray) -> None:
        assert self._writer is not None
        if self._max_samples is not None:
            # A source faster than real time (a file device) must not overshoot the limit.
            block = block[: self._max_samples - self._captured_samples]
            if self._captured_samples + block.shape[0] >= self._max_samples:
                self.full.set()
            if not block.size:
                return
        try:
            self._writer.append(block.tobytes())
        except OSError as exc:
            self._disk_failed = True
            self._set_error(_disk_error(self.path, self._writer.durable_duration_s, exc))
            return
        self._captured_samples += block.shape[0]
        if self._on_audio is not None:
            try:
                self._on_audio(block[:, 0].astype(np.float32) / 32768.0)
            except Exception as exc:  # noqa: BLE001 - the take must survive a failing consumer
                self._on_audio = None
                self._set_error(OutputError(
                    f"live transcription failed ({type(exc).__name__}: {exc}); the take is kept in {self.path}; "
                    f"analyse it with `rehearse analyze {self.path}`"))

    def _flush(self) -> None:
        assert self._writer is not None
        try:
            self._writer.flush()
        except OSError as exc:
            self._disk_failed = True
            self._set_error(_disk_error(self.path, self._writer.durable_duration_s, exc))

    def _set_error(self, error: RehearseError) -> None:
        if self._error is None:
            self._error = error
        self._failed.set()

    def _abandon(self) -> None:
        """The stream never opened: remove the empty file rather than leave a 0-second take."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            self.path.unlink(missing_ok=True)


def _disk_error(path: Path, kept_s: float, exc: OSError) -> OutputError:
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        what = "the disk is full"
    else:
        what = f"cannot write ({exc.strerror})"
    return OutputError(f"{path}: {what}; the first {kept_s:.1f} s of the take are kept there; "
                       "free some space or record to another --out folder")


def _device_problem(device: str | None, reason: str) -> str:
    if device is None:
        return f"no input device found ({reason}); plug in a microphone or check the sound system"
    return f"input device {device!r} not usable ({reason})"


def _first_line(exc: Exception) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
