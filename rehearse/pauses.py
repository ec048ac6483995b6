"""Pauses found in the audio itself, with Silero voice activity detection.

Whisper's word timestamps drift after a silence (a word may "start" well
before it is spoken), so gaps between words understate pauses; the audio says
where the speaker was silent. Silero VAD ships inside faster-whisper and runs
offline.
"""

from __future__ import annotations

import numpy as np

from rehearse.audio import SAMPLE_RATE_HZ
from rehearse.delivery import DEFAULT_MIN_PAUSE_S, Pause

# No padding around speech, so a pause is measured from the end of one stretch of speech to the next.
SPEECH_PAD_MS = 0


def find_pauses(samples: np.ndarray, min_pause_s: float = DEFAULT_MIN_PAUSE_S) -> list[Pause]:
    """Silences of at least `min_pause_s` between stretches of speech."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=int(min_pause_s * 1000), speech_pad_ms=SPEECH_PAD_MS)
    chunks = get_speech_timestamps(samples, options)
    return [
        Pause(round(a["end"] / SAMPLE_RATE_HZ, 3), round(b["start"] / SAMPLE_RATE_HZ, 3))
        for a, b in zip(chunks, chunks[1:])
        if (b["start"] - a["end"]) / SAMPLE_RATE_HZ >= min_pause_s
    ]
