"""`--explain`: each sentence with its time, phase and the cues behind it."""

from __future__ import annotations

from rehearse.report.clock import clock
from rehearse.types import Report

EXPLAIN_TEXT_CHARS = 72


def render_explain(report: Report) -> str:
    """One line per sentence: time, phase, the cues that supported it, the text."""
    lines = ["Why each sentence got its phase (cues found; '-' marks evidence against):"]
    for item in report.sentences:
        text = item.sentence.text
        if len(text) > EXPLAIN_TEXT_CHARS:
            text = text[: EXPLAIN_TEXT_CHARS - 3] + "..."
        cues = ", ".join(item.why) if item.why else "position and neighbours only"
        lines.append(f"{clock(item.sentence.start_s):>5} {item.phase:<10} {text}")
        lines.append(f"{'':16} because: {cues}")
    return "\n".join(lines) + "\n"
