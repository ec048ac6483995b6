"""Timing flags and phrasing checks, from the source's rules (pure).

`run_checks` is the single entry point; each rule lives in `timing_flags` or
`phrasing` under a stable id used in the JSON report.
"""

from __future__ import annotations

from collections.abc import Sequence

from rehearse.checks.context import AnswerView, CheckSettings
from rehearse.checks.phrasing import PHRASING_RULES
from rehearse.checks.timing_flags import TIMING_RULES
from rehearse.types import Finding, PhasedSentence, PhaseSpan

RULE_IDS: tuple[str, ...] = tuple(TIMING_RULES) + tuple(PHRASING_RULES)


def run_checks(
    phased: Sequence[PhasedSentence],
    spans: Sequence[PhaseSpan],
    settings: CheckSettings = CheckSettings(),
) -> list[Finding]:
    """All findings for one answer, in time order."""
    view = AnswerView.build(phased, spans)
    findings: list[Finding] = []
    for rule in (*TIMING_RULES.values(), *PHRASING_RULES.values()):
        findings.extend(rule(view, settings))
    return sorted(findings, key=lambda f: (f.start_s, f.rule))


__all__ = ["CheckSettings", "RULE_IDS", "run_checks"]
