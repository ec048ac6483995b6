"""A WebVTT transcript of one take, each cue labelled with its STAR phase, for video players."""

from __future__ import annotations

from rehearse.report.inputs import TakeReport
from rehearse.report.summary import phase_runs

# Caption-sized cues: a new cue after a sentence end, or when one would grow past either limit.
CUE_MAX_WORDS = 14
CUE_MAX_S = 6.0
_SENTENCE_END = (".", "?", "!")


def render_vtt(take: TakeReport) -> str:
    """The transcript as WebVTT; every cue's text starts with its phase, e.g. "[Situation] So at my last job"."""
    name = take.title.replace("-->", "->").replace("\n", " ")
    lines = ["WEBVTT", "", f"NOTE Transcript of {name} with its STAR phases, made by rehearse.", ""]
    number = 0
    for run in phase_runs(take.report):
        label = run.phase.capitalize()
        for cue in _cues(list(run.words)):
            number += 1
            start, end = float(cue[0]["start_s"]), float(cue[-1]["end_s"])
            text = _escape(" ".join(w["text"] for w in cue))
            lines += [f"{number} {run.phase}", f"{_timestamp(start)} --> {_timestamp(max(end, start + 0.01))}",
                      f"[{label}] {text}", ""]
    return "\n".join(lines)


def _cues(words: list[dict]) -> list[list[dict]]:
    cues: list[list[dict]] = []
    current: list[dict] = []
    for word in words:
        if current and (len(current) >= CUE_MAX_WORDS or float(word["end_s"]) - float(current[0]["start_s"]) > CUE_MAX_S):
            cues.append(current)
            current = []
        current.append(word)
        if word["text"].endswith(_SENTENCE_END):
            cues.append(current)
            current = []
    if current:
        cues.append(current)
    return cues


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _escape(text: str) -> str:
    """Cue text is markup in WebVTT: '&', '<' and '>' must be escaped to show as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
