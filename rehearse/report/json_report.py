"""The JSON report, schema `rehearse.report/1` (documented in the README).

Later versions may add fields; none of these is removed or renamed.
"""

from __future__ import annotations

import json
from typing import Any

from rehearse import __version__
from rehearse.types import Report

SCHEMA = "rehearse.report/1"


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    duration = report.speech_duration_s or 1.0
    return {
        "schema": SCHEMA,
        "tool": {"name": "rehearse", "version": __version__},
        "input": {
            "kind": report.input.kind,
            "path": report.input.path,
            "duration_s": round(report.input.duration_s, 3),
            "times_estimated": report.input.kind == "text",
            "estimated_pace_wpm": report.input.estimated_pace_wpm,
        },
        "model": report.model,
        "settings": report.settings,
        "words": [
            {"text": w.text, "start_s": w.start_s, "end_s": w.end_s, "phase": phase}
            for w, phase in report.words
        ],
        "sentences": [
            {"text": ps.sentence.text, "start_s": ps.sentence.start_s, "end_s": ps.sentence.end_s, "phase": ps.phase}
            for ps in report.sentences
        ],
        "phases": [
            {
                "name": span.name,
                "start_s": span.start_s,
                "end_s": span.end_s,
                "duration_s": round(span.duration_s, 3),
                "share": round(span.duration_s / duration, 4),
                "words": span.word_count,
            }
            for span in report.phases
        ],
        "delivery": _delivery_to_dict(report),
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "phase": f.phase,
                "start_s": f.start_s,
                "end_s": f.end_s,
                "quote": f.quote,
                "message": f.message,
                "suggestion": f.suggestion,
            }
            for f in report.findings
        ],
    }


def _delivery_to_dict(report: Report) -> dict[str, Any] | None:
    """Pace, pauses and fillers; null for typed answers (their times are estimates)."""
    d = report.delivery
    if d is None:
        return None
    return {
        "duration_s": round(d.duration_s, 3),
        "speaking_s": round(d.speaking_s, 3),
        "words": d.words,
        "wpm": round(d.wpm, 1),
        "articulation_wpm": round(d.articulation_wpm, 1),
        "phases": [
            {"name": p.name, "words": p.words, "duration_s": round(p.duration_s, 3), "wpm": round(p.wpm, 1)}
            for p in d.per_phase
        ],
        "pauses": [
            {"start_s": p.start_s, "end_s": p.end_s, "duration_s": round(p.duration_s, 3)} for p in d.pauses
        ],
        "fillers": {
            "count": len(d.fillers),
            "per_minute": round(d.filler_rate_per_min, 2),
            "share_of_words": round(d.filler_share, 4),
            # Without --keep-fillers Whisper leaves most hesitations out of the transcript.
            "may_be_undercounted": not d.fillers_kept,
            "items": [
                {"text": f.text, "kind": f.kind, "start_s": f.start_s, "end_s": f.end_s} for f in d.fillers
            ],
        },
    }


def render_json(reports: list[Report]) -> str:
    """One report as an object; several as {"schema", "reports": [...]}."""
    if len(reports) == 1:
        return json.dumps(report_to_dict(reports[0]), indent=2, ensure_ascii=False)
    return json.dumps(
        {"schema": SCHEMA + "-list", "reports": [report_to_dict(r) for r in reports]}, indent=2, ensure_ascii=False
    )
