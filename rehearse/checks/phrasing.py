"""Phrasing checks: each rule fires on the source's weak phrasing, cites it and says what to say instead.

The logic of each rule kind is here; its phrases, thresholds and wording come from the rulebook
(`rulebook.toml`), so every pattern is matched on normalised text (see rehearse.text) and works on
unpunctuated ASR output, spelled-out numbers and fillers alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rehearse.checks.context import AnswerView, CheckSettings, cite
from rehearse.checks.rulebook import RuleSpec
from rehearse.star import cue_evidence
from rehearse.text import compile_pattern, find
from rehearse.types import Finding

Rule = Callable[[AnswerView, RuleSpec, CheckSettings], Iterator[Finding]]

# Words that cannot tie a reflection to its story (generic-reflection's specificity test).
_STOPWORDS = frozenset(
    "about after again against all also always and another any because been before being both could "
    "did does doing during each even every from further have having here into just more most much must "
    "never next other over really same should since some such than that their them then there these they "
    "thing things think this those through very want were what when where which while will with would "
    "your team teams people work learned lesson better more again communication important time main".split()
)


def _matches_outside(pattern: str, text: str, excluded: str | None) -> list[tuple[int, int]]:
    """Spans of `pattern` in `text` that do not overlap a match of `excluded`."""
    blocked = [m.span() for m in compile_pattern(excluded).finditer(text)] if excluded else []
    return [
        m.span() for m in compile_pattern(pattern).finditer(text)
        if not any(a < m.end() and m.start() < b for a, b in blocked)
    ]


def metric_quantities(text: str, spec: RuleSpec) -> list[tuple[int, int]]:
    """Quantities in `text` that can be a measurement: not years, dates, times of day or labels."""
    return _matches_outside(spec.pattern("quantity"), text, spec.patterns.get("not_a_metric"))


def we_not_i(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`we-not-i`: the Action told as "we", hiding the speaker's own part."""
    action = view.in_phase("action")
    we = [(s, span) for s in action for span in _matches_outside(spec.pattern("we"), s.text, spec.pattern("not_agency"))]
    i_count = sum(len(_matches_outside(spec.pattern("i"), s.text, None)) for s in action)
    we_count = len(we)
    if we_count < spec.threshold("min_count") or we_count < spec.threshold("share_limit") * (we_count + i_count):
        return
    sentence, span = we[0]
    yield cite(spec.id, spec.severity, sentence, spec.say(we_count=we_count, i_count=i_count), spec.suggestion, span)


def no_scope_boundary(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`no-scope-boundary`: never says what was theirs to own, or that it was not."""
    if not view.sentences or any(
        find(spec.pattern("scope"), s.text) and not find(spec.pattern("merely_helping"), s.text)
        for s in view.sentences
    ):
        return
    anchor = (view.in_phase("task") or view.in_phase("action") or list(view.sentences))[0]
    yield cite(spec.id, spec.severity, anchor, spec.say(), spec.suggestion)


def routing_not_ownership(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`routing-not-ownership`: messaging or escalating presented as the action."""
    action_like = view.in_phase("action", "result")
    hands_on = sum(len(compile_pattern(spec.pattern("hands_on")).findall(s.text))
                   for s in view.in_phase("action") if find(spec.pattern("i"), s.text))
    handed_off = next((s for s in action_like if find(spec.pattern("handed_off"), s.text)), None)
    routing = next((s for s in action_like if find(spec.pattern("routing"), s.text)), None)
    # Routing is ownership's opposite when someone else handled it, or when little else was done;
    # "they handled it" with little else done is routing even without a message named.
    if hands_on >= spec.threshold("hands_on_min") and (routing is None or handed_off is None):
        return
    if routing is not None:
        matches = list(compile_pattern(spec.pattern("routing")).finditer(routing.text))
        span = (matches[0].start(), matches[-1].end())  # "I did escalate it - I sent them a Slack message"
        sentence = routing
    elif handed_off is not None:
        span = find(spec.pattern("handed_off"), handed_off.text).span()
        sentence = handed_off
    else:
        return
    message = spec.say(spec.extra.get("message_handed_off")) if handed_off else spec.say()
    yield cite(spec.id, spec.severity, sentence, message, spec.suggestion, span)


def unquantified_result(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`unquantified-result`: the Result states no number (a year or a date is not one)."""
    result = view.in_phase("result")
    if not result or any(metric_quantities(s.text, spec) for s in result):
        return
    yield cite(spec.id, spec.severity, result[0], spec.say(), spec.suggestion)


def no_business_impact(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`no-business-impact`: the Result never translates into money, customers, time or risk."""
    result = view.in_phase("result")
    if not result or any(find(spec.pattern("impact"), s.text) for s in result):
        return
    yield cite(spec.id, spec.severity, result[0], spec.say(), spec.suggestion)


def no_second_order_effect(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`no-second-order-effect`: nothing beyond the fix itself (adoption, reuse, prevention)."""
    # Only what happened counts: a reflection's "I would ... to prevent" is a plan, not an effect,
    # but "I added that check to the service template" said in the reflection is one.
    result = view.in_phase("result")
    happened = result + [s for s in view.in_phase("reflection") if not find(spec.pattern("conditional"), s.text)]
    if not result or any(find(spec.pattern("effect"), s.text) for s in happened):
        return
    yield cite(spec.id, spec.severity, result[-1], spec.say(), spec.suggestion)


def _content_words(text: str) -> set[str]:
    """Words that could tie a sentence to its story: not function words, not -ly adverbs."""
    words = {w for w in text.split() if len(w) > 3 and w.isalpha() and not w.endswith("ly") and w not in _STOPWORDS}
    # A crude plural stem, so "payments" in the story ties to "payment" in the lesson.
    return {w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 4 else w for w in words}


def generic_reflection(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`generic-reflection`: a lesson that would fit any story."""
    # A lesson the segmenter left at the end of the Result is still a lesson.
    reflection = view.in_phase("reflection") or view.in_phase("result")[-1:]
    story_words = set().union(*(_content_words(s.text) for s in view.sentences if s not in reflection))
    for sentence in reflection:
        match = find(spec.pattern("generic"), sentence.text)
        if not match:
            continue
        if len(_content_words(sentence.text) & story_words) >= spec.threshold("specific_shared_words"):
            continue
        yield cite(spec.id, spec.severity, sentence, spec.say(), spec.suggestion, match.span())
        return


def missing_phase(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`missing-phase`: a STAR phase (or the closing reflection) never appears."""
    if not view.sentences:
        return
    end_s = view.sentences[-1].words[-1].end_s
    for phase, table in spec.extra["per_phase"].items():
        if not view.has_phase(phase) and not _task_said_in_passing(view, phase):
            yield Finding(spec.id, table["severity"], phase, end_s, end_s, "",
                          spec.say(Phase=phase.capitalize(), phase=phase), table["suggestion"])


def _task_said_in_passing(view: AnswerView, phase: str) -> bool:
    """A Task said in so many words inside another phase ("..., so I took on fixing it").

    The segmenter may fold a one-clause Task into the Situation or the Action;
    the answer still says what was the speaker's to do, which is what the
    missing Task is about.
    """
    return phase == "task" and any(
        not reason.startswith("-") for s in view.sentences for reason in cue_evidence(s.text)[1]["task"]
    )


def phrase_rule(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """A rule defined wholly in the rulebook (`kind = "phrase"`).

    mode "present": fires on the first sentence in `phases` matching `pattern`, unless the same
    sentence matches `unless`. mode "absent": fires when no sentence in `phases` matches.
    """
    sentences = view.in_phase(*spec.phases)
    if not sentences:
        return
    unless = spec.patterns.get("unless")
    hits = [(s, m) for s in sentences if (m := find(spec.pattern("pattern"), s.text))
            and not (unless and find(unless, s.text))]
    if spec.mode == "present" and hits:
        sentence, match = hits[0]
        yield cite(spec.id, spec.severity, sentence, spec.say(), spec.suggestion, match.span())
    elif spec.mode == "absent" and not hits:
        yield cite(spec.id, spec.severity, sentences[0], spec.say(), spec.suggestion)


PHRASING_RULES: dict[str, Rule] = {
    "we-not-i": we_not_i,
    "no-scope-boundary": no_scope_boundary,
    "routing-not-ownership": routing_not_ownership,
    "vague-reasoning": phrase_rule,
    "unquantified-result": unquantified_result,
    "no-business-impact": no_business_impact,
    "no-second-order-effect": no_second_order_effect,
    "generic-reflection": generic_reflection,
    "missing-phase": missing_phase,
}
