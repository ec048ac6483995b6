"""The CSV report: one row per take, for spreadsheets."""

from __future__ import annotations

import csv
import io

from rehearse.report.inputs import TakeReport
from rehearse.report.summary import PHASE_NAMES, figures

COLUMNS = (
    "take", "recorded_at", "story", "question", "file", "kind", "total_s",
    *(f"{p}_s" for p in PHASE_NAMES),
    "situation_limit_s", "situation_over_limit", "findings", "warnings", "rules",
    "wpm", "articulation_wpm", "fillers", "pauses",
)
# A cell starting with one of these is run as a formula by spreadsheet programs; a story label or file
# name must never be, so such cells get a leading apostrophe (the usual guard, shown by no spreadsheet).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_csv(takes: list[TakeReport]) -> str:
    """A header row and one row per take; times in seconds, rules joined by ';'."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for take in takes:
        f = figures(take.report)
        row = {
            "take": take.take.ref if take.take else "",
            "recorded_at": take.take.recorded_at.isoformat() if take.take else "",
            "story": _safe(take.story or ""),
            "question": _safe(take.question or ""),
            "file": _safe(take.report["input"]["path"]),
            "kind": take.report["input"]["kind"],
            "total_s": _seconds(f.total_s),
            **{f"{p}_s": _seconds(f.phase_s[p]) for p in PHASE_NAMES},
            "situation_limit_s": _seconds(f.situation_limit_s),
            "situation_over_limit": "yes" if f.situation_over_limit else "no",
            "findings": f.findings,
            "warnings": f.warnings,
            "rules": ";".join(f.rules),
            "wpm": _optional(f.wpm),
            "articulation_wpm": _optional(f.articulation_wpm),
            "fillers": _optional(f.fillers),
            "pauses": _optional(f.pauses),
        }
        writer.writerow([row[c] for c in COLUMNS])
    return out.getvalue()


def _seconds(value: float) -> str:
    return f"{value:.1f}"


def _optional(value: float | int | None) -> str:
    return "" if value is None else str(value)


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value
