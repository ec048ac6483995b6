"""A crash-safe WAV writer (16-bit PCM) and the repair of a file a killed process left behind.

The header's RIFF and data sizes are rewritten after every flush, so whatever
has been flushed is a complete, playable file at any moment. Only `kill -9`
(or a power cut) between an append and the next header rewrite can leave the
sizes short of the data; `recover_wav` fixes them from the file length.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from rehearse.errors import InputFileError, OutputError

HEADER_BYTES = 44
SAMPLE_WIDTH_BYTES = 2  # 16-bit PCM
_RIFF_SIZE_OFFSET = 4
_DATA_SIZE_OFFSET = 40


def wav_header(data_bytes: int, sample_rate_hz: int, channels: int = 1) -> bytes:
    """The canonical 44-byte header of a 16-bit PCM WAV holding `data_bytes` of samples."""
    block_align = channels * SAMPLE_WIDTH_BYTES
    return (
        b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
        + b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, sample_rate_hz, sample_rate_hz * block_align,
                                block_align, 8 * SAMPLE_WIDTH_BYTES)
        + b"data" + struct.pack("<I", data_bytes)
    )


class WavWriter:
    """Appends 16-bit PCM to a new WAV file; `flush` makes everything so far durable and playable.

    The file is created exclusively: an existing take is never overwritten.
    """

    def __init__(self, path: Path, sample_rate_hz: int, channels: int = 1):
        self.path = path
        self._sample_rate_hz = sample_rate_hz
        self._channels = channels
        try:
            # Unbuffered: a failed write leaves no pending bytes behind to fail again at close.
            self._fh = open(path, "xb", buffering=0)  # noqa: SIM115 - kept open for the whole take
        except FileExistsError:
            raise OutputError(f"{path}: already exists; takes are never overwritten, choose another --out") from None
        except OSError as exc:
            raise OutputError(f"{path}: cannot create ({exc.strerror}); choose a writable --out folder") from None
        self._data_bytes = 0
        self._durable_bytes = 0
        self._write_all(wav_header(0, sample_rate_hz, channels))

    @property
    def durable_duration_s(self) -> float:
        """Seconds of audio that the last successful flush put on disk."""
        return self._durable_bytes / (self._sample_rate_hz * self._channels * SAMPLE_WIDTH_BYTES)

    def append(self, pcm: bytes) -> None:
        """Append little-endian 16-bit samples (not yet durable until `flush`)."""
        self._fh.seek(HEADER_BYTES + self._data_bytes)
        try:
            self._write_all(pcm)
        except OSError:
            self._cut_at(HEADER_BYTES + self._data_bytes)
            raise
        self._data_bytes += len(pcm)

    def flush(self) -> None:
        """Rewrite the sizes in the header and fsync, so the file is playable up to here.

        On an error (a full disk) the file is cut back to the last durable
        size, so it stays a valid WAV, and the OSError is raised.
        """
        try:
            self._write_sizes(self._data_bytes)
            os.fsync(self._fh.fileno())
            self._durable_bytes = self._data_bytes
        except OSError:
            self._roll_back()
            raise

    def close(self) -> None:
        """Flush and close; safe to call twice and after a failed flush."""
        if self._fh.closed:
            return
        try:
            self.flush()
        finally:
            self._fh.close()

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[self._fh.write(view):]

    def _write_sizes(self, data_bytes: int) -> None:
        self._fh.seek(_RIFF_SIZE_OFFSET)
        self._write_all(struct.pack("<I", 36 + data_bytes))
        self._fh.seek(_DATA_SIZE_OFFSET)
        self._write_all(struct.pack("<I", data_bytes))

    def _roll_back(self) -> None:
        self._data_bytes = self._durable_bytes
        self._cut_at(HEADER_BYTES + self._durable_bytes)

    def _cut_at(self, size: int) -> None:
        """Drop a partly written block, so the file is exactly what the header describes."""
        try:
            self._fh.truncate(size)
        except OSError:
            pass  # players ignore bytes past the header's data size anyway


@dataclass(frozen=True)
class Recovery:
    """What `recover_wav` found and did."""

    path: Path
    duration_s: float
    header_duration_s: float  # what the header claimed before the repair

    @property
    def repaired(self) -> bool:
        return self.duration_s != self.header_duration_s


def recover_wav(path: Path) -> Recovery:
    """Fix the RIFF and data sizes of a WAV that a killed recording left unfinished."""
    try:
        with open(path, "r+b") as fh:
            header = fh.read(HEADER_BYTES)
            if len(header) < HEADER_BYTES or header[:4] != b"RIFF" or header[8:12] != b"WAVE" \
                    or header[36:40] != b"data":
                raise InputFileError(f"{path}: not a WAV take written by `rehearse record`; nothing to recover")
            channels, sample_rate_hz = struct.unpack("<HI", header[22:28])
            frame_bytes = channels * SAMPLE_WIDTH_BYTES
            claimed = struct.unpack("<I", header[40:44])[0]
            size = os.fstat(fh.fileno()).st_size
            # A kill can land mid-sample: keep whole frames only.
            data_bytes = (size - HEADER_BYTES) // frame_bytes * frame_bytes
            if size != HEADER_BYTES + data_bytes:
                fh.truncate(HEADER_BYTES + data_bytes)
            fh.seek(_RIFF_SIZE_OFFSET)
            fh.write(struct.pack("<I", 36 + data_bytes))
            fh.seek(_DATA_SIZE_OFFSET)
            fh.write(struct.pack("<I", data_bytes))
            fh.flush()
            os.fsync(fh.fileno())
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file; pass the .wav take that was being recorded") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a directory; pass the .wav take inside it") from None
    except PermissionError:
        raise InputFileError(f"{path}: not writable; copy it somewhere you can write and recover the copy") from None
    bytes_per_s = sample_rate_hz * frame_bytes
    return Recovery(path, data_bytes / bytes_per_s, claimed / bytes_per_s)
