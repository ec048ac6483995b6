"""The phrasing rules on the source's weak and strong examples, and a few traps."""

import pytest

from rehearse.checks import RULE_IDS, CheckSettings, run_checks
from rehearse.timing import phase_spans
from rehearse.types import PhasedSentence

from tests.helpers import sentence

SITUATION = "I noticed a 0.3% webhook drop rate in the payments service, which belonged to the Platform team."
TASK = "It wasn't my team's service, there was no ticket, and nobody asked me to fix it."
ACTION = (
    "I analyzed the delivery logs, traced the failures to retries that gave up silently, and reproduced it locally.",
    "I built a dead letter queue with alerting and brought a ready-to-merge fix with tests.",
)
RESULT = (
    "The drop rate went from 0.3% to zero, which recovered about $8,000 a week in payment confirmations.",
    "The Platform team adopted the pattern as the standard for every webhook consumer.",
)
REFLECTION = "I would propose a shared webhook reliability SLO across teams earlier to prevent blind spots like this one."


def answer(**override):
    """A strong answer with any phase's sentences replaced."""
    parts = {
        "situation": (SITUATION,), "task": (TASK,), "action": ACTION, "result": RESULT, "reflection": (REFLECTION,),
    }
    parts.update({k: (v,) if isinstance(v, str) else v for k, v in override.items()})
    phased, start = [], 0.0
    for phase, texts in parts.items():
        for text in texts:
            s = sentence(text, len(phased), start)
            phased.append(PhasedSentence(s, phase))
            start = s.end_s + 0.3
    return phased


def rules_fired(phased, settings=CheckSettings()):
    return {f.rule for f in run_checks(phased, phase_spans(phased), settings)}


def test_strong_answer_has_no_phrasing_findings():
    assert rules_fired(answer()) == set()


@pytest.mark.parametrize(
    "override, rule",
    [
        ({"action": ("We figured out the root cause together.", "We built a queue and we deployed it.")}, "we-not-i"),
        ({"task": "I started looking into it on Monday."}, "no-scope-boundary"),
        ({"action": ("I did escalate it - I sent them a Slack message and they handled it.",)}, "routing-not-ownership"),
        ({"action": ACTION + ("Because retries sometimes fail, so I thought a queue might help.",)}, "vague-reasoning"),
        ({"result": ("The drop rate went down and the team was happy.",)}, "unquantified-result"),
        ({"result": ("The drop rate went down and the team was happy.",)}, "no-business-impact"),
        ({"result": ("The drop rate went from 0.3% to zero.",)}, "no-second-order-effect"),
        ({"reflection": "I learned communication is important."}, "generic-reflection"),
        ({"reflection": "I would communicate more with the team."}, "generic-reflection"),
    ],
)
def test_weak_phrasing_from_the_source_fires(override, rule):
    assert rule in rules_fired(answer(**override))


@pytest.mark.parametrize(
    "override",
    [
        # "we" in the Situation's context is fine.
        {"situation": "We ran forty services and we had no shared alerting when I noticed a 0.3% drop rate."},
        # Flagging to a tech lead is fine when the speaker carried the fix to closure.
        {"action": ACTION + ("I flagged the issue to their tech lead for visibility and followed up until it was deployed.",)},
        # Reasoning with a mechanism.
        {"action": ACTION + ("I recognized that retries alone gave no visibility; the dead letter queue captures failed "
                             "deliveries and triggers alerts, which reduces manual investigation.",)},
    ],
)
def test_strong_phrasing_stays_quiet(override):
    assert rules_fired(answer(**override)) == set()


def test_a_year_is_not_a_metric():
    fired = rules_fired(answer(result=("In 2023 the rollout finished and the customers were happy.",
                                       "It was adopted as the standard.")))
    assert "unquantified-result" in fired


def test_spelled_out_numbers_count_as_a_metric():
    fired = rules_fired(answer(result=("The drop rate went from zero point three percent to zero, recovering "
                                       "eight thousand dollars a week.", "It was adopted as the standard.")))
    assert "unquantified-result" not in fired
    assert "no-business-impact" not in fired


def test_missing_phases_are_reported_with_their_names():
    phased = [p for p in answer() if p.phase not in ("task", "reflection")]
    findings = [f for f in run_checks(phased, phase_spans(phased)) if f.rule == "missing-phase"]
    assert {f.phase for f in findings} == {"task", "reflection"}
    assert all(f.severity == "info" for f in findings)


def test_a_task_said_in_passing_is_not_a_missing_task():
    # The segmenter folded the Task clause into the Situation: the answer still says whose job it was.
    folded = answer(situation=(SITUATION, "Nobody had asked me to look at it, so I took it on myself."), task=())
    assert "task" not in {f.phase for f in run_checks(folded, phase_spans(folded)) if f.rule == "missing-phase"}
    unsaid = answer(situation=(SITUATION, "The retries gave up after three attempts."), task=())
    assert "task" in {f.phase for f in run_checks(unsaid, phase_spans(unsaid)) if f.rule == "missing-phase"}


def test_findings_quote_the_words_and_their_time():
    phased = answer(action=("I did escalate it - I sent them a Slack message and they handled it.",))
    finding = next(f for f in run_checks(phased, phase_spans(phased)) if f.rule == "routing-not-ownership")
    action = next(p.sentence for p in phased if p.phase == "action")
    assert "sent them a Slack message" in finding.quote
    assert action.start_s <= finding.start_s < finding.end_s <= action.end_s
    assert finding.suggestion and finding.message


def test_situation_over_limit_names_the_overrun_and_the_mark():
    long_situation = tuple(f"Context sentence number {i} about the ward and the rota." for i in range(12))
    phased = answer(situation=long_situation)
    spans = phase_spans(phased)
    situation_s = spans[0].duration_s
    assert situation_s > 45
    finding = next(f for f in run_checks(phased, spans) if f.rule == "situation-over-45s")
    assert finding.start_s == pytest.approx(spans[0].start_s + 45, abs=0.01)
    assert f"{situation_s:.0f} s" in finding.message
    assert "situation-over-45s" not in rules_fired(phased, CheckSettings(situation_limit_s=situation_s + 1))


def test_architecture_opening_fires_only_before_the_problem():
    architecture = (
        "Our platform was about forty microservices on Kubernetes behind an API gateway.",
        "Each service had its own Postgres database and the services talked over Kafka topics.",
        "The gateway sat behind a load balancer with a Redis cache for sessions in two regions.",
        "The webhook consumers ran as separate pods that wrote to a shared Postgres cluster.",
        "The problem was that about 0.3% of payment webhooks were silently dropped.",
    )
    assert "architecture-heavy-opening" in rules_fired(answer(situation=architecture))
    # The same architecture inside the Action is fine.
    action_with_architecture = ACTION + architecture[:4]
    assert "architecture-heavy-opening" not in rules_fired(answer(action=action_with_architecture))


def test_rule_ids_are_the_contract():
    assert set(RULE_IDS) == {
        "situation-over-45s", "architecture-heavy-opening", "we-not-i", "no-scope-boundary",
        "routing-not-ownership", "vague-reasoning", "unquantified-result", "no-business-impact",
        "no-second-order-effect", "generic-reflection", "missing-phase",
        "pace-too-fast", "pace-too-slow", "filler-heavy", "long-pause", "answer-too-long", "answer-too-short",
        "phase-over-budget",
    }


def test_a_task_that_is_only_to_help_is_no_scope_boundary():
    assert "no-scope-boundary" in rules_fired(answer(task="My task was basically to help get the webhooks working again."))
    assert "no-scope-boundary" not in rules_fired(answer(task="My task was to get the webhooks working again."))


def test_scope_statement_survives_a_misheard_noun():
    assert "no-scope-boundary" not in rules_fired(answer(task="I was on call that week, so it was my jump to find the cause."))


def test_an_effect_told_in_the_reflection_counts_but_a_plan_does_not():
    result_without_effect = ("The drop rate went from 0.3% to zero, recovering $8,000 a week.",)
    done = answer(result=result_without_effect, reflection="I learned to load test at peak, and I added that check to the service template.")
    planned = answer(result=result_without_effect, reflection="Next time I would add a load test to the service template.")
    assert "no-second-order-effect" not in rules_fired(done)
    assert "no-second-order-effect" in rules_fired(planned)
