"""The human report: phase table, timeline bar, findings with time and quote."""

from __future__ import annotations

import os
import shutil
import textwrap
from typing import TextIO

from rehearse.report.clock import clock
from rehearse.types import Phase, Report

_PHASE_COLOUR: dict[Phase, str] = {
    "situation": "44", "task": "45", "action": "42", "result": "43", "reflection": "46",
}
_PHASE_LETTER: dict[Phase, str] = {"situation": "S", "task": "T", "action": "A", "result": "R", "reflection": "F"}
_SEVERITY_MARK = {"warning": "!", "info": "i"}
TIMELINE_WIDTH = 60


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return stream.isatty() and "NO_COLOR" not in os.environ


def render_terminal(report: Report, colour: bool = False, width: int | None = None) -> str:
    """The full human-readable report for one answer."""
    width = width or min(shutil.get_terminal_size((100, 24)).columns, 100)
    lines = [_header(report), "", *_phase_table(report), "", *_timeline(report, colour), ""]
    if report.delivery is not None:
        lines += [*_delivery_lines(report), ""]
    lines.extend(_findings(report, width))
    return "\n".join(lines) + "\n"


def _header(report: Report) -> str:
    source = report.input
    what = f"{clock(report.speech_duration_s)} of speech"
    if source.kind == "text":
        what += f" (times estimated at {source.estimated_pace_wpm:.0f} wpm)"
    model = f" - model {report.model}" if report.model else ""
    return f"{source.path}: {what}{model}"


def _phase_table(report: Report) -> list[str]:
    total = report.speech_duration_s or 1.0
    limit = report.settings.get("situation_limit_s", 45.0)
    rows = [f"{'Phase':<12}{'Start':>7}{'End':>7}{'Length':>9}{'Share':>7}  Words"]
    for span in report.phases:
        note = "  over the limit" if span.name == "situation" and span.duration_s > limit else ""
        rows.append(
            f"{span.name.capitalize():<12}{clock(span.start_s):>7}{clock(span.end_s):>7}"
            f"{span.duration_s:>8.0f}s{span.duration_s / total:>7.0%}  {span.word_count}{note}"
        )
    return rows


def _timeline(report: Report, colour: bool) -> list[str]:
    """One character per slice of the answer, lettered (or coloured) by phase."""
    if not report.phases:
        return []
    start, end = report.phases[0].start_s, report.phases[-1].end_s
    step = (end - start) / TIMELINE_WIDTH or 1.0
    cells = []
    for i in range(TIMELINE_WIDTH):
        t = start + (i + 0.5) * step
        span = next((s for s in report.phases if s.start_s <= t < s.end_s), report.phases[-1])
        letter = _PHASE_LETTER[span.name]
        cells.append(f"\x1b[{_PHASE_COLOUR[span.name]};30m{letter}\x1b[0m" if colour else letter)
    limit = report.settings.get("situation_limit_s", 45.0)
    mark = int((limit) / step) if limit < end - start else None
    ruler = [" "] * TIMELINE_WIDTH
    if mark is not None:
        ruler[mark] = "^"
    legend = "S situation  T task  A action  R result  F reflection"
    lines = [f"{clock(start)} |{''.join(cells)}| {clock(end)}"]
    if mark is not None:
        lines.append(f"{'':>{len(clock(start))}}  {''.join(ruler).rstrip()} {limit:.0f} s")
    lines.append(legend)
    return lines


def _delivery_lines(report: Report) -> list[str]:
    d = report.delivery
    pauses = f"{len(d.pauses)} pause{'s' if len(d.pauses) != 1 else ''} of 2 s or more"
    lines = [
        f"Pace {d.wpm:.0f} wpm overall, {d.articulation_wpm:.0f} wpm while speaking; {pauses}; "
        f"fillers {len(d.fillers)} ({d.filler_rate_per_min:.1f}/min, {d.filler_share:.1%} of words)"
    ]
    if not d.fillers_kept:
        lines.append("Fillers may be undercounted: Whisper leaves most \"um\"s out; --keep-fillers counts them.")
    return lines


def _findings(report: Report, width: int) -> list[str]:
    if not report.findings:
        return ["No findings: the timing and phrasing checks all pass."]
    lines = [f"Findings ({len(report.findings)})"]
    wrap = textwrap.TextWrapper(width=width, initial_indent="        ", subsequent_indent="        ")
    for f in report.findings:
        phase = f" [{f.phase}]" if f.phase else ""
        lines.append(f"{_SEVERITY_MARK[f.severity]} {clock(f.start_s):>5} {f.rule}{phase}")
        lines.extend(wrap.wrap(f.message))
        if f.quote:
            lines.extend(wrap.wrap(f'"{f.quote}"'))
        lines.extend(wrap.wrap(f"Try: {f.suggestion}"))
    return lines
