"""Timing flags: the Situation's length and an architecture-heavy opening."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from rehearse.checks.context import AnswerView, CheckSettings, ViewSentence, cite
from rehearse.checks.rulebook import RuleSpec
from rehearse.report.clock import clock
from rehearse.text import compile_pattern, find
from rehearse.timing import total_duration_s
from rehearse.types import Finding

ARCHITECTURE_TERMS = (
    r"(micro)?services?|architecture|databases?|postgres(ql)?|mysql|mongo(db)?|redis|kafka|rabbitmq|"
    r"queues?|caches?|caching|cdn|load ?balancers?|api( gateway)?s?|gateways?|endpoints?|clusters?|"
    r"kubernetes|k8s|containers?|docker|pods?|servers?|serverless|lambdas?|aws|gcp|azure|s3|ec2|"
    r"regions?|replicas?|shards?|sharding|schemas?|pipelines?|etl|data ?warehouse|snowflake|"
    r"backend|back end|frontend|front end|monolith|event bus|pub ?sub|topics?|partitions?|nodes?|"
    r"infrastructure|stack|layers?|modules?|components?|webhooks?|http|grpc|rest|sdk|orm|"
    r"tables?|indexes|storage|latency|throughput|deployed on|hosted on|written in|java|python|go|react"
)
# Words that state the problem: once one is said, the opening is over.
PROBLEM_CUE = (
    r"(problem|issue|bug|outage|incident|fail(ed|ing|ures?)?|broke|broken|drop(ped|ping)? (rate|off)?|"
    r"lost|losing|slow(er|ed)?|errors?|complain(ed|ts?)?|noticed|missing|wasn't working|stopped working|"
    r"went down|churn(ing)?|behind schedule|delay(ed|s)?|crash(ed|es|ing)?|leak(ing|s)?|timed? ?out|"
    r"dropping|wrong|unhappy|angry|frustrat\w+|risk)"
)
ARCHITECTURE_TERMS_PER_WORD = 1 / 8


def _is_architecture_talk(sentence: ViewSentence) -> bool:
    terms = len(compile_pattern(ARCHITECTURE_TERMS).findall(sentence.text))
    return terms >= 2 or terms >= len(sentence.words) * ARCHITECTURE_TERMS_PER_WORD > 0


def situation_over_limit(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`situation-over-45s`: the Situation lasts longer than the limit."""
    situation_s = total_duration_s(view.spans, "situation")
    if situation_s <= settings.situation_limit_s:
        return
    situation = view.in_phase("situation")
    first_span = next(s for s in view.spans if s.name == "situation")
    mark_s = first_span.start_s + settings.situation_limit_s
    at_mark = next((s for s in situation if s.words[-1].end_s >= mark_s), situation[-1])
    finding = cite(
        spec.id,
        spec.severity,
        at_mark,
        f"The Situation runs {situation_s:.0f} s, {situation_s - settings.situation_limit_s:.0f} s over the "
        f"{settings.situation_limit_s:.0f} s limit; the interviewer is still waiting for the problem at "
        f"{clock(mark_s)}.",
        "Cut the Situation to who you were, what was going wrong and why it mattered, in under "
        f"{settings.situation_limit_s:.0f} s; keep technical detail for the Action.",
    )
    yield _retimed(finding, mark_s, max(s.end_s for s in view.spans if s.name == "situation"))


def architecture_heavy_opening(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`architecture-heavy-opening`: before the problem is stated, mostly system architecture."""
    opening: list[ViewSentence] = []
    problem_at_s: float | None = None
    for sentence in view.sentences:
        if sentence.phase == "result" and not opening:
            continue  # an outcome-first headline is not the opening's context
        if sentence.phase != "situation" or find(PROBLEM_CUE, sentence.text):
            problem_at_s = sentence.words[0].start_s
            break
        opening.append(sentence)
    if not opening:
        return
    opening_end_s = problem_at_s if problem_at_s is not None else opening[-1].words[-1].end_s
    opening_s = opening_end_s - opening[0].words[0].start_s
    architecture = [s for s in opening if _is_architecture_talk(s)]
    architecture_s = sum(s.words[-1].end_s - s.words[0].start_s for s in architecture)
    if opening_s < settings.architecture_min_opening_s or architecture_s < settings.architecture_min_share * opening_s:
        return
    reached = f"the problem first comes up at {clock(problem_at_s)}" if problem_at_s is not None else "the problem never comes up"
    finding = cite(
        spec.id,
        spec.severity,
        architecture[0],
        f"The opening spends {architecture_s:.0f} of its {opening_s:.0f} s describing system architecture; {reached}.",
        "Open with the problem and why it mattered (\"a service outside my team was silently dropping "
        "0.3% of payment webhooks\"); bring in only the architecture the fix needs, during the Action.",
    )
    yield _retimed(finding, opening[0].words[0].start_s, opening_end_s)


def _retimed(finding: Finding, start_s: float, end_s: float) -> Finding:
    """The same finding, anchored to a stretch of time rather than its quote."""
    return replace(finding, start_s=round(start_s, 3), end_s=round(end_s, 3))


TIMING_RULES: dict[str, Callable[[AnswerView, RuleSpec, CheckSettings], Iterator[Finding]]] = {
    "situation-over-45s": situation_over_limit,
    "architecture-heavy-opening": architecture_heavy_opening,
}
