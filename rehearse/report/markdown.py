"""The Markdown report, to paste into notes: a summary across takes, then each take's phases, findings and transcript."""

from __future__ import annotations

import re
from datetime import datetime

from rehearse import __version__
from rehearse.report.clock import clock
from rehearse.report.inputs import TakeReport
from rehearse.report.summary import PHASE_NAMES, delivery_text, figures, phase_runs, rule_counts

# Characters Markdown (CommonMark, GitHub) reads as formatting, links, HTML or table cells anywhere in a
# line; escaped with a backslash so a transcript or quote is shown as typed. Line-start markers (#, -, 1.)
# need no escape: every text here follows a label on its line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def text(value: str) -> str:
    """Plain text made safe for Markdown: no formatting, links or HTML from what the speaker said."""
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))


def render_markdown(takes: list[TakeReport], now: datetime | None = None) -> str:
    """The whole report as Markdown."""
    now = now or datetime.now().astimezone()
    count = f"{len(takes)} take{'s' if len(takes) != 1 else ''}"
    lines = [f"# Timing report: {count}", "", f"Made by rehearse {__version__} on {now:%Y-%m-%d %H:%M}.", ""]
    if len(takes) > 1:
        lines += _summary(takes)
    for number, take in enumerate(takes, 1):
        lines += _take(number, take)
    return "\n".join(lines).rstrip() + "\n"


def _summary(takes: list[TakeReport]) -> list[str]:
    header = ["#", "Take", "Total", *[p.capitalize() for p in PHASE_NAMES], "Findings", "Pace"]
    lines = ["## Summary", "", _row(header), _row(["---"] * len(header))]
    for number, take in enumerate(takes, 1):
        f = figures(take.report)
        phases = [clock(f.phase_s[p]) if f.phase_s[p] else "-" for p in PHASE_NAMES]
        if f.situation_over_limit:
            phases[0] = f"**{phases[0]}** (over {f.situation_limit_s:.0f} s)"
        pace = f"{f.wpm:.0f} wpm" if f.wpm is not None else "-"
        lines.append(_row([str(number), text(take.title), clock(f.total_s), *phases,
                           f"{f.findings} ({f.warnings} warnings)", pace]))
    common = rule_counts([t.report for t in takes])
    if common:
        lines += ["", "Findings across takes: " + ", ".join(f"`{rule}` in {n} of {len(takes)}" for rule, n in common)
                  + "."]
    return lines + [""]


def _take(number: int, take: TakeReport) -> list[str]:
    report = take.report
    f = figures(report)
    lines = [f"## {number}. {text(take.title)}", "", "; ".join(text(part) for part in take.byline()) + ".", ""]
    lines += _phase_table(report, f.situation_limit_s)
    state = "over" if f.situation_over_limit else "within"
    lines += ["", f"The Situation takes {clock(f.situation_s)}: {state} the {f.situation_limit_s:.0f} s limit."]
    delivery = delivery_text(report)
    if delivery:
        lines += ["", delivery + "."]
    lines += ["", *_findings(report), "", "### Transcript", ""]
    for run in phase_runs(report):
        lines += [f"**{run.phase.capitalize()}** ({clock(run.start_s)}) {text(run.text)}", ""]
    return lines


def _phase_table(report: dict, limit_s: float) -> list[str]:
    pace = {p["name"]: p["wpm"] for p in (report.get("delivery") or {}).get("phases", [])}
    header = ["Phase", "Start", "End", "Length", "Share", "Words"] + (["Pace"] if pace else [])
    lines = [_row(header), _row(["---"] * len(header))]
    for span in report["phases"]:
        length = f"{span['duration_s']:.0f} s"
        if span["name"] == "situation" and span["duration_s"] > limit_s:
            length = f"**{length}**"
        cells = [span["name"].capitalize(), clock(span["start_s"]), clock(span["end_s"]), length,
                 f"{span['share']:.0%}", str(span["words"])]
        if pace:
            cells.append(f"{pace[span['name']]:.0f} wpm" if span["name"] in pace else "-")
        lines.append(_row(cells))
    return lines


def _findings(report: dict) -> list[str]:
    findings = report["findings"]
    if not findings:
        return ["### Findings", "", "None: the timing and phrasing checks all pass."]
    lines = [f"### Findings ({len(findings)})", ""]
    for item in findings:
        phase = f" ({item['phase']})" if item.get("phase") else ""
        mark = "Warning" if item["severity"] == "warning" else "Note"
        lines.append(f"- **{mark} at {clock(item['start_s'])}** `{item['rule']}`{phase}: {text(item['message'])}")
        if item.get("quote"):
            lines.append(f"  > \"{text(item['quote'])}\"")
            lines.append("")
        lines.append(f"  Try: {text(item['suggestion'])}")
    return lines


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
