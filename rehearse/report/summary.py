"""Figures of one take read from its JSON report (schema rehearse.report/1), for tables and trends.

Works on the plain JSON data, not the Report dataclass, so a JSON file, a fresh analysis and a take from
the history all give the same figures. Pure and stdlib-only: `rehearse history` imports it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

PHASE_NAMES = ("situation", "task", "action", "result", "reflection")
DEFAULT_SITUATION_LIMIT_S = 45.0


@dataclass(frozen=True)
class TakeFigures:
    """The numbers a coach compares across takes."""

    total_s: float
    # Seconds per phase name; a phase told twice (an outcome-first headline) is summed.
    phase_s: dict[str, float]
    situation_limit_s: float
    findings: int
    warnings: int
    rules: tuple[str, ...]
    times_estimated: bool
    wpm: float | None
    articulation_wpm: float | None
    fillers: int | None
    pauses: int | None

    @property
    def situation_s(self) -> float:
        return self.phase_s["situation"]

    @property
    def situation_over_limit(self) -> bool:
        return self.situation_s > self.situation_limit_s


def situation_limit_s(report: dict[str, Any]) -> float:
    """The limit the report was checked against (45 s unless --situation-limit changed it)."""
    return float((report.get("settings") or {}).get("situation_limit_s", DEFAULT_SITUATION_LIMIT_S))


def figures(report: dict[str, Any]) -> TakeFigures:
    """Total and per-phase time, finding counts and delivery of one JSON report."""
    phases = report.get("phases") or []
    phase_s = {name: 0.0 for name in PHASE_NAMES}
    for span in phases:
        phase_s[span["name"]] = phase_s.get(span["name"], 0.0) + float(span["duration_s"])
    total_s = float(phases[-1]["end_s"]) - float(phases[0]["start_s"]) if phases else 0.0
    findings = report.get("findings") or []
    delivery = report.get("delivery")
    return TakeFigures(
        total_s=total_s,
        phase_s=phase_s,
        situation_limit_s=situation_limit_s(report),
        findings=len(findings),
        warnings=sum(1 for f in findings if f.get("severity") == "warning"),
        rules=tuple(f["rule"] for f in findings),
        times_estimated=bool((report.get("input") or {}).get("times_estimated")),
        wpm=delivery["wpm"] if delivery else None,
        articulation_wpm=delivery["articulation_wpm"] if delivery else None,
        fillers=delivery["fillers"]["count"] if delivery else None,
        pauses=len(delivery["pauses"]) if delivery else None,
    )


def rule_counts(reports: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """How many takes each rule fired in (once per take), most frequent first, then by rule id."""
    counts = Counter(rule for report in reports for rule in set(figures(report).rules))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class PhaseRun:
    """Consecutive transcript words in one phase."""

    phase: str
    words: tuple[dict[str, Any], ...]

    @property
    def start_s(self) -> float:
        return float(self.words[0]["start_s"])

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


def phase_runs(report: dict[str, Any]) -> list[PhaseRun]:
    """The transcript cut where the phase changes, in time order."""
    runs: list[PhaseRun] = []
    current: list[dict[str, Any]] = []
    for word in report.get("words") or []:
        if current and word["phase"] != current[0]["phase"]:
            runs.append(PhaseRun(current[0]["phase"], tuple(current)))
            current = []
        current.append(word)
    if current:
        runs.append(PhaseRun(current[0]["phase"], tuple(current)))
    return runs


def delivery_text(report: dict[str, Any]) -> str | None:
    """Pace, pauses and fillers in one sentence, as the terminal report words them; None for typed answers."""
    d = report.get("delivery")
    if not d:
        return None
    pauses = len(d["pauses"])
    fillers = d["fillers"]
    return (
        f"Pace {d['wpm']:.0f} wpm overall, {d['articulation_wpm']:.0f} wpm while speaking; "
        f"{pauses} pause{'s' if pauses != 1 else ''} of 2 s or more; "
        f"fillers {fillers['count']} ({fillers['per_minute']:.1f}/min, {fillers['share_of_words']:.1%} of words)"
    )


def source_text(report: dict[str, Any]) -> str:
    """How the times were obtained: the model, or the pace typed answers were estimated at."""
    source = report["input"]
    if source.get("times_estimated"):
        return f"typed answer, times estimated at {source.get('estimated_pace_wpm') or 150:.0f} wpm"
    return f"model {report['model']}" if report.get("model") else "spoken answer"
