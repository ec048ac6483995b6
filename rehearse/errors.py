"""Errors the CLI turns into a one-line message and a non-zero exit.

Every message names the thing that went wrong and what to do about it.
"""


class RehearseError(Exception):
    """Base class for errors that are the user's input, not a bug."""


class InputFileError(RehearseError):
    """An input file is missing, empty, a directory, or not decodable audio."""


class NoSpeechError(RehearseError):
    """The audio decoded fine but holds no speech to analyse."""


class ModelError(RehearseError):
    """The Whisper model cannot be found, verified or loaded."""


class OutputError(RehearseError):
    """A report cannot be written where the user asked."""


class DeviceError(RehearseError):
    """The microphone cannot be opened or stopped delivering audio (PortAudio missing, no input, busy, unplugged)."""


class HistoryError(RehearseError):
    """The history database cannot be opened, written or read, or holds no such take."""
