"""Every weak/strong pair in the source, the focus profiles, ASR-shaped text and keyword traps."""

from __future__ import annotations

import pytest

from rehearse.checks import FOCUS_RULE_IDS, CheckSettings, run_checks
from rehearse.timing import phase_spans
from tests.test_checks import ACTION, answer, rules_fired

# (rule, phase, the source's weak phrasing, the source's strong phrasing); each pair is dropped into
# an otherwise strong answer, replacing that phase.
SOURCE_PAIRS = [
    ("we-not-i", "action",
     ("We figured out the root cause together.", "We added a queue and we deployed it."),
     ACTION),
    ("no-scope-boundary", "task",
     "I started looking into the webhooks on Monday.",
     "It wasn't my team's service, there was no ticket, and nobody asked me to fix it."),
    ("routing-not-ownership", "action",
     "I did escalate it - I sent them a Slack message and they handled it.",
     ("I flagged the issue to their tech lead for visibility.",
      "I brought a complete, ready-to-merge fix with tests and documentation.",
      "I followed up asynchronously to address feedback and ensured the fix was deployed successfully, "
      "taking full ownership until closure.")),
    ("routing-not-ownership", "action", "I told the Platform team.", ACTION),
    ("routing-not-ownership", "action", ("I noticed the drops.", "They fixed it quickly."), ACTION),
    ("routing-not-ownership", "action", "I escalated the issue by sending a Slack message.", ACTION),
    ("vague-reasoning", "action",
     ACTION + ("Because retries sometimes fail, so I thought a queue might help.",),
     ACTION + ("I recognized that retries alone didn't provide visibility into failures.",
               "The dead letter queue explicitly captures failed deliveries and triggers alerts, which simplifies "
               "failure detection and reduces manual investigation effort.")),
    ("unquantified-result", "result",
     "The drop rate went down and the team was happy.",
     ("I analyzed payment logs and estimated that eliminating the 0.3% drop rate recovered about $8,000 in weekly "
      "revenue from timely payment confirmations.", "The pattern was adopted as a standard.")),
    ("unquantified-result", "result", "Things got better and the team was happy.",
     ("The drop rate went to zero, recovering $8,000 weekly.", "The pattern was adopted as a standard.")),
    ("no-business-impact", "result",
     ("The drop rate improved and the team was happy.", "The pattern was adopted as a standard."),
     ("I analyzed payment logs and estimated that eliminating the 0.3% drop rate recovered about $8,000 in weekly "
      "revenue from timely payment confirmations.", "The pattern was adopted as a standard.")),
    ("no-second-order-effect", "result",
     "The drop rate went from 0.3% to zero, recovering $8,000 a week.",
     ("The drop rate went from 0.3% to zero, recovering $8,000 a week.",
      "The dead letter queue was adopted as a standard pattern.")),
    ("generic-reflection", "reflection", "I learned communication is important.",
     "I would propose a shared webhook reliability SLO and monitoring standard across teams earlier to prevent "
     "blind spots and speed up detection."),
    ("generic-reflection", "reflection", "I would communicate more with the team.",
     "I would propose a shared webhook reliability SLO and monitoring standard across teams earlier to prevent "
     "blind spots and speed up detection."),
]


def _asr(text: str) -> str:
    """What Whisper-like output looks like: lower case, no punctuation except inside numbers."""
    import re

    return re.sub(r"[^\w\s$%.,'-]|(?<!\d)[.,](?!\d)|(?<=\s)-(?=\s)", "", text).lower()


def _as_asr(part):
    return tuple(_asr(t) for t in part) if isinstance(part, tuple) else _asr(part)


@pytest.mark.parametrize("rule, phase, weak, strong", SOURCE_PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(SOURCE_PAIRS)])
@pytest.mark.parametrize("shape", ["typed", "asr"])
def test_weak_fires_and_strong_stays_quiet(rule, phase, weak, strong, shape):
    convert = _as_asr if shape == "asr" else (lambda part: part)
    assert rule in rules_fired(answer(**{phase: convert(weak)}))
    assert rules_fired(answer(**{phase: convert(strong)})) == set()


@pytest.mark.parametrize("rule, phase, weak, strong", SOURCE_PAIRS[:4])
def test_a_finding_cites_its_quote_time_and_a_concrete_suggestion(rule, phase, weak, strong):
    phased = answer(**{phase: weak})
    finding = next(f for f in run_checks(phased, phase_spans(phased)) if f.rule == rule)
    cited = [p.sentence for p in phased if p.phase == finding.phase]
    assert finding.quote and finding.message and finding.suggestion
    assert finding.quote.split()[0] in " ".join(w.text for s in cited for w in s.words)
    assert any(s.start_s <= finding.start_s < finding.end_s <= s.end_s for s in cited)
    assert '"' in finding.suggestion  # a strong example to say instead, not just advice


# --- ASR output and numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("result", [
    "the drop rate went from zero point three percent to zero recovering eight thousand dollars a week",
    "the drop rate went from 0.3% to zero recovering $8,000 a week",
    "um so the drop rate went from uh zero point three percent to zero which is like eight grand a week",
    "we went from 0.3 per cent to nothing and saved about 8k a week",
    "so the drop rate fell by, like, four percent, which saved eight thousand dollars a week",
    "handover errors went from three a week to one, and patients waited twenty minutes less",
])
def test_spoken_and_written_numbers_are_metrics_and_money(result):
    fired = rules_fired(answer(result=(result, "it was adopted as the standard")))
    assert not {"unquantified-result", "no-business-impact"} & fired


@pytest.mark.parametrize("result", [
    "In March 2023 the rollout finished and the customers were happy.",
    "On the 14th of May the fix went live and the customers were happy.",
    "By 3 pm on Friday it was fixed and the customers were happy.",
    "Year 9 settled down and one of the parents said thank you.",
    "At one point it all came together and the customers were happy.",
    # Whisper hears "went" as "one": a lone "one" is not a measurement.
    "the month end close one a bit quicker and the customers were happier",
])
def test_dates_times_and_labels_are_not_metrics(result):
    assert "unquantified-result" in rules_fired(answer(result=(result, "It was adopted as the standard.")))


# --- traps for a naive keyword match -----------------------------------------------------------------

@pytest.mark.parametrize("override", [
    # "we" for the team's context, in the Situation and inside the Action.
    {"situation": "We ran forty services and we had no shared alerting, so we never saw the 0.3% drop rate."},
    {"action": ACTION + ("We had no shared alerting, so I added an alert that pages whoever owns the consumer.",)},
    {"action": ACTION + ("I met their lead so we could agree a rollout date, and I shipped it that week.",)},
    # "our" is possession, not agency.
    {"action": ACTION + ("I updated our runbook and our team's dashboard myself.",)},
    # "I like this" is not a filler, and liking something is not a hunch.
    {"reflection": "I like this pattern because a dead letter queue makes every webhook failure visible, so I "
                   "would propose it as the shared standard earlier."},
    # A flag to the owner is fine when the speaker carried the fix.
    {"action": ACTION + ("I let their tech lead know and walked him through the fix.",)},
    # "thought" in someone else's mouth, or with a mechanism, is not a hunch.
    {"action": ACTION + ("I asked the on-call engineers what they thought would help.",)},
    {"action": ACTION + ("I thought a queue might help because it would capture every failed delivery for replay.",)},
    # "important" in a specific lesson.
    {"reflection": "The lesson for me is that a shared webhook reliability SLO is important for every consumer, "
                   "so I would propose one earlier."},
])
def test_strong_answers_with_trap_words_stay_quiet(override):
    assert rules_fired(answer(**override)) == set()


@pytest.mark.parametrize("override, rule", [
    ({"action": ("Um, we, uh, looked at the logs and, you know, we fixed it.", "We deployed it on Friday.")}, "we-not-i"),
    ({"action": ("so i kind of thought a queue might help and we added one",)}, "vague-reasoning"),
    ({"action": ("i passed it on to the platform team and they took care of it",)}, "routing-not-ownership"),
    ({"action": ("I raised it with their manager and he sorted it out.",)}, "routing-not-ownership"),
    ({"reflection": "What I learned is that teamwork makes the dream work."}, "generic-reflection"),
    ({"task": "My task was basically to help the other team with their webhooks."}, "no-scope-boundary"),
])
def test_weak_variants_fire(override, rule):
    assert rule in rules_fired(answer(**override))


# --- focus profiles ---------------------------------------------------------------------------------

FOCUS_PAIRS = [
    ("ownership", "assigned-not-initiative",
     {"task": "The Platform team asked me to help with their webhooks, so I was assigned the ticket."},
     {}),
    ("dive-deep", "no-investigation",
     {"action": ("I built a dead letter queue with alerting.", "I shipped a fix with tests and documentation.")},
     {}),
    ("outcome-first", "outcome-not-first",
     {},
     {"situation": ("I took a 0.3% webhook drop rate to zero, recovering $8K a week, and the pattern was adopted.",
                    "I noticed the drops in a service that belonged to the Platform team.")}),
    ("tradeoffs", "no-tradeoff",
     {},
     {"action": ACTION + ("I chose a dead letter queue over more retries, because retries hid the failures.",)}),
]


@pytest.mark.parametrize("focus, rule, weak, strong", FOCUS_PAIRS)
def test_focus_profiles_add_their_own_check(focus, rule, weak, strong):
    settings = CheckSettings(focus=(focus,))
    assert rule in rules_fired(answer(**weak), settings)
    assert rule not in rules_fired(answer(**strong), settings)
    assert rule not in rules_fired(answer(**weak))  # only under its focus


def test_the_source_strong_answer_satisfies_every_focus():
    # The source's model answer already names the investigation; the outcome-first and trade-off
    # emphases need it told their way (see FOCUS_PAIRS), so only those two fire.
    fired = rules_fired(answer(), CheckSettings(focus=("ownership", "dive-deep", "outcome-first", "tradeoffs")))
    assert fired == {"outcome-not-first", "no-tradeoff"}


def test_ownership_focus_tightens_we_not_i():
    action = ("I traced the failures in the logs.", "I reproduced it locally and I wrote the fix.",
              "We reviewed it and we shipped it together.")
    assert "we-not-i" not in rules_fired(answer(action=action))
    assert "we-not-i" in rules_fired(answer(action=action), CheckSettings(focus=("ownership",)))


def test_focus_rule_ids_are_known():
    assert set(FOCUS_RULE_IDS) == {"assigned-not-initiative", "no-investigation", "outcome-not-first", "no-tradeoff"}
