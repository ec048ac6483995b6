"""Timing flags and phrasing checks, from the source's rules (pure).

`run_checks` is the single entry point. Each rule's logic lives in `timing_flags`, `phrasing`,
`delivery_checks` or `focus` under a stable id used in the JSON report; its phrases, thresholds and
wording live in the rulebook (`rulebook.toml`, extended by a coach's file through `load_rulebook`).

    settings = CheckSettings(rulebook=load_rulebook("coach.toml"), focus=("ownership",),
                             disabled={"no-second-order-effect"})
    findings = run_checks(phased, spans, settings)
    findings = run_checks(phased, spans, settings, delivery=delivery)   # a spoken answer: + delivery rules
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rehearse.checks.context import AnswerView, CheckSettings
from rehearse.checks.delivery_checks import DELIVERY_RULES
from rehearse.checks.focus import FOCUS_RULES
from rehearse.checks.phrasing import PHRASING_RULES, Rule, phrase_rule
from rehearse.checks.rulebook import (
    FocusProfile, Rulebook, RulebookError, RuleNameError, RuleSpec, default_rulebook, load_rulebook,
)
from rehearse.checks.timing_flags import TIMING_RULES
from rehearse.types import Finding, PhasedSentence, PhaseSpan

if TYPE_CHECKING:
    from rehearse.delivery import Delivery

# Python logic by rule kind; a rulebook's own rules are "phrase" rules.
RULE_KINDS: dict[str, Rule] = {
    **TIMING_RULES, **PHRASING_RULES, **DELIVERY_RULES, **FOCUS_RULES, "phrase": phrase_rule,
}

# The ids every answer is checked against by default (the JSON contract), and the focus-only ones.
# The delivery rules stay quiet unless run_checks is given how the answer was spoken (or, for the
# length rules, the pace a typed answer's times were estimated at).
RULE_IDS: tuple[str, ...] = tuple(TIMING_RULES) + tuple(PHRASING_RULES) + tuple(DELIVERY_RULES)
FOCUS_RULE_IDS: tuple[str, ...] = tuple(FOCUS_RULES)


@lru_cache(maxsize=32)
def _plan(rulebook: Rulebook, focus: tuple[str, ...], disabled: frozenset[str]) -> tuple[tuple[Rule, RuleSpec], ...]:
    """The rules to run and their specs, with the focus profiles' thresholds applied."""
    focused = rulebook.for_focus(focus)
    return tuple((RULE_KINDS[spec.kind], spec) for spec in (focused.rule(r) for r in focused.active_rules(focus, disabled)))


def run_checks(
    phased: Sequence[PhasedSentence],
    spans: Sequence[PhaseSpan],
    settings: CheckSettings = CheckSettings(),
    delivery: Delivery | None = None,
    estimated_pace_wpm: float | None = None,
) -> list[Finding]:
    """All findings for one answer, in time order.

    `delivery` (a spoken answer) enables the pace, filler, pause and length rules;
    `estimated_pace_wpm` (a typed answer, timed at that pace) enables the length rules only.
    """
    view = AnswerView.build(phased, spans, delivery, estimated_pace_wpm)
    findings: list[Finding] = []
    for rule, spec in _plan(settings.rules, settings.focus, settings.disabled):
        findings.extend(rule(view, spec, settings))
    return sorted(findings, key=lambda f: (f.start_s, f.rule))


def focus_profiles(rulebook: Rulebook | None = None) -> dict[str, str]:
    """Focus profile names and their descriptions, for help text."""
    book = rulebook or default_rulebook()
    return {name: p.description for name, p in book.focus_profiles.items()}


__all__ = [
    "CheckSettings", "FOCUS_RULE_IDS", "FocusProfile", "RULE_IDS", "RuleNameError", "RuleSpec", "Rulebook", "RulebookError",
    "focus_profiles", "load_rulebook", "run_checks",
]
