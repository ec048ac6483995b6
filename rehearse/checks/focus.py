"""Focus-profile checks: what a particular interviewer emphasis listens for (pure).

They run only under their profile (`--focus ownership | dive-deep | outcome-first | tradeoffs`);
phrases, thresholds and wording come from the rulebook like every other rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from rehearse.checks.context import AnswerView, CheckSettings, cite
from rehearse.checks.phrasing import Rule, metric_quantities
from rehearse.checks.rulebook import RuleSpec
from rehearse.text import compile_pattern, find
from rehearse.types import Finding


def assigned_not_initiative(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`assigned-not-initiative` (ownership): the work is presented as assigned, with no initiative shown."""
    if any(find(spec.pattern("initiative"), s.text) for s in view.sentences):
        return
    for sentence in view.sentences:
        if match := find(spec.pattern("assigned"), sentence.text):
            yield cite(spec.id, spec.severity, sentence, spec.say(), spec.suggestion, match.span())
            return


def no_investigation(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`no-investigation` (dive-deep): the Action shows no investigation step before the fix."""
    action = view.in_phase("action")
    if not action:
        return  # missing-phase says so
    steps = sum(len(compile_pattern(spec.pattern("investigation")).findall(s.text)) for s in action)
    if steps >= spec.threshold("min_steps"):
        return
    yield cite(spec.id, spec.severity, action[0], spec.say(), spec.suggestion)


def outcome_not_first(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`outcome-not-first` (outcome-first): none of the first sentences states the outcome."""
    n = int(spec.threshold("first_sentences"))
    opening = view.sentences[:n]
    if not opening:
        return
    for sentence in opening:
        if sentence.phase == "result":
            return  # the segmenter found an outcome-first headline
        if find(spec.pattern("outcome"), sentence.text) and metric_quantities(sentence.text, spec):
            return
    yield cite(spec.id, spec.severity, opening[0], spec.say(first_sentences=n), spec.suggestion)


def no_tradeoff(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`no-tradeoff` (tradeoffs): no alternative or trade-off is weighed in the Task or Action."""
    considered = view.in_phase("task", "action")
    if not view.in_phase("action") or any(find(spec.pattern("tradeoff"), s.text) for s in considered):
        return
    yield cite(spec.id, spec.severity, view.in_phase("action")[0], spec.say(), spec.suggestion)


FOCUS_RULES: dict[str, Rule] = {
    "assigned-not-initiative": assigned_not_initiative,
    "no-investigation": no_investigation,
    "outcome-not-first": outcome_not_first,
    "no-tradeoff": no_tradeoff,
}
