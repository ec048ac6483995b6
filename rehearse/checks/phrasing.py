"""Phrasing checks: each rule fires on the source's weak phrasing and cites it.

First versions of the source's rules; patterns are matched on normalised
text (see rehearse.text), so they work on unpunctuated ASR output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rehearse.checks.context import AnswerView, CheckSettings, ViewSentence, cite
from rehearse.text import NUMBER_WORDS, YEAR, compile_pattern, count, find
from rehearse.types import Finding, Phase

WE = r"(we|we're|we've|we'd|we'll|us|our|ours)"
I = r"(i|i'm|i've|i'd|i'll|me|my|mine|myself)"
# An Action told with this share of "we" (against "I") or more hides the speaker.
WE_SHARE_LIMIT = 0.5
WE_MIN_COUNT = 2

SCOPE_BOUNDARY = (
    r"((wasn't|was not|isn't|is not|weren't) (really )?(my|our|in my|on my) (\w+ )?(team|team's|job|service|area|"
    r"responsibility|project|code|system|scope|remit|role|department|class|unit|problem)|"
    r"(outside|beyond) (of )?(my|our) (team|role|scope|remit|job|responsibilities|area)|"
    r"no (one|body) (had )?(asked|assigned)|nobody (had )?(asked|assigned)|(there was )?no (ticket|jira|request)|"
    r"(i wasn't|i was not|without being) (asked|told|assigned)|"
    r"(i was|i got) (asked|tasked|assigned|given|brought in|responsible)|my manager (asked|assigned|gave)|"
    r"my (task|job|role|responsibility|assignment|remit) (was|is)|i (owned|volunteered|took (it )?on|took ownership|"
    r"stepped (up|in)|decided to (own|take))|on my own initiative|it was (up to|on) me|i was in charge|"
    r"(owned|own|owning|ran|run|running|led|lead|leading) (it|the \w+|this|that) end to end|"
    r"take (full )?responsibility for|(i|i'd) (proposed|offered|asked) to (run|own|lead|take|fix)|"
    # "it was my job to ...", also when ASR mishears the noun ("my jump to")
    r"(it was|it's|it is|that was) (my|mine) (\w+ )?\w+ to|i was (the )?on-? ?call)"
)
ROUTING = (
    r"((sent|messaged|pinged|emailed|slacked) (them|him|her|the \w+( team)?|their \w+( \w+)?) (a|an) (quick )?"
    r"(slack|teams|message|email|note|ping|ticket)|"
    r"(sent|posted|dropped|wrote) (a|an) (quick )?(slack|teams|email|message|note) (to|in)|"
    r"escalated (it|the issue|this|that)|raised (it|a ticket|the issue) with|"
    r"told (the|their) (\w+ )?(team|lead|manager|engineers|vendor|owners?|on-?call)( about (it|this|that))?|"
    r"told them about (it|this|that)|handed (it )?(off|over)|passed (it )?(on|along|over) to|"
    r"let (them|the \w+ team|him|her) know|filed a ticket|opened a ticket)"
)
# "My task was to help ..." names no part of the work as the speaker's own.
MERELY_HELPING = r"(was|is) (basically |just |really |kind of |sort of )?to help"
HANDED_OFF = r"(they|the \w+ team|he|she|someone|somebody) (handled|fixed|took care of|sorted|resolved|dealt with) (it|that|this|the)"
HANDS_ON = (
    r"i (built|wrote|fixed|implemented|coded|shipped|deployed|designed|rewrote|patched|brought|created|"
    r"tested|traced|reproduced|debugged|analy[sz]ed|investigated|migrated|automated|made sure|ensured|"
    r"followed up|set up|ran|trained|redesigned|reorgani[sz]ed|drafted|negotiated|led|coached)"
)
HANDS_ON_MIN = 2
VAGUE_REASONING = (
    r"((thought|figured|felt|guessed|assumed|hoped|believed) (that )?.{0,40}(might|would|could|may|should) "
    r"(help|work|fix (it|things)|be (better|good|nice|easier|a good idea))|"
    r"seemed (like )?(a )?(good|better|nice|the right) (idea|fit|option|choice|thing|approach)|"
    r"just (felt|seemed) (right|better|easier)|(it|that)'?s (just )?(the )?(best practice|what everyone (uses|does)))"
)
MECHANISM = r"(so that|which (means|lets|allows|gives|reduces|captures|prevents|meant)|in order to|this (lets|means|allows))"
METRIC_QUANTITY = rf"(\$?\d[\d,.]*(%| ?percent| ?per cent| ?x)?|{NUMBER_WORDS})"
BUSINESS_IMPACT = (
    r"(\$\d|dollars?|pounds?|euros?|revenue|cost|costs|saved|savings?|money|profit|margin|budget|sales|"
    r"deals?|customers?|users?|clients?|patients?|students?|shoppers?|guests?|hours?|days?|weeks?|minutes|"
    r"time|churn|retention|risk|compliance|complaints?|satisfaction|nps|conversion|"
    r"safety|grades?|scores?|renewal|renewed|contract|orders?|bookings?|headcount|fines?|penalt(y|ies))"
)
SECOND_ORDER = (
    r"(adopted|standard|reused|re-used|other (teams?|stores?|wards?|schools?|departments?|classes|sites)|"
    r"across (the|all|every|our)|rolled (it )?out|template|playbook|runbook|now (use|uses|used|part|the)|"
    r"became (the|a|part)|prevent\w*|since then|ever since|company-?wide|org-?wide|team-?wide|process|"
    r"policy|promoted|recogni[sz]ed|trained (others|the|new)|documentation|onboarding|mentor\w*|"
    r"still (use|uses|using|in place)|went on to|scaled|expanded|copied|replicated|permanent|"
    r"(service|project|team|company) templates?|checklists?|guidelines?|started using|"
    r"(rolled|rolling) .{0,30}out|(other|second|another|sister) (hospitals?|stores?|teams?|sites?|districts?|"
    r"offices?|regions?|wards?|schools?)|share .{0,40}with)"
)
CONDITIONAL = r"(would|i'd|we'd|could|should|next time|if i|going forward|want to|plan to|will)"
GENERIC_REFLECTION = (
    r"(communication is (so |really |very )?(important|key|vital|everything)|(importance|value) of (communication|teamwork)|"
    r"communicate (more|better)|(teamwork|team work) (is|makes)|work(ing)? together|ask(ing)? for help|"
    r"plan(ning)? ahead|time management|(be|being) more proactive|learned a lot|learnt a lot|never give up|"
    r"listen(ing)? (more|better)|stay(ing)? (calm|positive)|hard work pays off|be more organi[sz]ed|"
    r"(communication|teamwork|collaboration|planning|preparation|organi[sz]ation|automation|documentation|"
    r"testing|listening|patience|feedback|flexibility|leadership|trust|transparency|empathy) "
    r"(is|are|can|really|matters|makes)|"
    r"(is|are) (so |really |very |super )?(hard|difficult|important|key|crucial|essential|vital)|"
    r"you (always |really )?(need|have) to (think|communicate|plan|be|listen))"
)
# A reflection counts as specific when it names this many of the story's own content words.
SPECIFIC_SHARED_WORDS = 2
_STOPWORDS = frozenset(
    "about after again against all also always and another any because been before being both could "
    "did does doing during each even every from further have having here into just more most much must "
    "never next other over really same should since some such than that their them then there these they "
    "thing things think this those through very want were what when where which while will with would "
    "your team teams people work learned lesson better more again communication important time main".split()
)


def we_not_i(view: AnswerView, settings: CheckSettings) -> Iterator[Finding]:
    """`we-not-i`: the Action told as "we", hiding the speaker's own part."""
    action = view.in_phase("action")
    we_count = sum(count(WE, s.text) for s in action)
    i_count = sum(count(I, s.text) for s in action)
    if we_count < WE_MIN_COUNT or we_count < WE_SHARE_LIMIT * (we_count + i_count):
        return
    first = next(s for s in action if find(WE, s.text))
    match = find(WE, first.text)
    yield cite(
        "we-not-i",
        "warning",
        first,
        f"The Action says \"we\" {we_count} times and \"I\" {i_count} times; your own contribution is invisible.",
        "Say what you did, sentence by sentence: \"I traced the failures to ...\", \"I built ...\"; keep \"we\" "
        "for the team's context.",
        match.span(),
    )


def no_scope_boundary(view: AnswerView, settings: CheckSettings) -> Iterator[Finding]:
    """`no-scope-boundary`: never says what was theirs to own, or that it was not."""
    if not view.sentences or any(
        find(SCOPE_BOUNDARY, s.text) and not find(MERELY_HELPING, s.text) for s in view.sentences
    ):
        return
    anchor = (view.in_phase("task") or view.in_phase("action") or list(view.sentences))[0]
    yield cite(
        "no-scope-boundary",
        "warning",
        anchor,
        "You never say whether this was yours to own, so the interviewer assumes it was assigned.",
        "State the scope boundary before the investigation: \"This wasn't my team's service, there was no "
        "ticket and nobody asked me, but ...\", or say plainly what you were asked to own.",
    )


def routing_not_ownership(view: AnswerView, settings: CheckSettings) -> Iterator[Finding]:
    """`routing-not-ownership`: messaging or escalating presented as the action."""
    action_like = view.in_phase("action", "result")
    hands_on = sum(count(HANDS_ON, s.text) for s in view.in_phase("action"))
    handed_off = next((s for s in action_like if find(HANDED_OFF, s.text)), None)
    routing = next((s for s in action_like if find(ROUTING, s.text)), None)
    if routing is None or (handed_off is None and hands_on >= HANDS_ON_MIN):
        return
    match = find(ROUTING, routing.text)
    yield cite(
        "routing-not-ownership",
        "warning",
        routing,
        "Sending a message or escalating is routing responsibility, not ownership"
        + (": the answer says someone else handled it." if handed_off else "."),
        "Show what you carried to closure: \"I flagged it to their tech lead for visibility, brought a "
        "ready-to-merge fix with tests, and followed up until it was deployed.\"",
        match.span(),
    )


def vague_reasoning(view: AnswerView, settings: CheckSettings) -> Iterator[Finding]:
    """`vague-reasoning`: a design choice with no mechanism behind it."""
    for sentence in view.in_phase("action", "task", "situation"):
        match = find(VAGUE_REASONING, sentence.text)
        if match and not find(MECHANISM, sentence.text):
            yield cite(
                "vague-reasoning",
                "warning",
                sentence,
                "The choice is given as a hunch, without how it solves the problem.",
                "Explain the mechanism: \"Retries alone gave no visibility into failures; a dead letter queue "
                "captures every failed delivery and triggers an alert, so failures are found without manual digging.\"",
                match.span(),
            )
            return


def _quantities(text: str) -> list[str]:
    return [m.group(0) for m in compile_pattern(METRIC_QUANTITY).finditer(text) if not find(YEAR, m.group(0))]


def unquantified_result(view: AnswerView, settings: CheckSettings) -> Iterator[Finding]:
    """`unquantified-result`: the Result states no number."""
    result = view.in_phase("result")
    if not result or any(_quantities(s.text) for s in result):
        return
    yield cite(
        "unquantified-result",
        "warning",
        result[0],
        "The Result has no number: \"it got better\" does not tell the interviewer how much.",
        "Give the metric delta: \"the drop rate went from 0.3% to zero\", \"handover errors fell from 12 to 2 a month\".",
    )


def no_business_impact(view: AnswerView, settings: CheckSettings) -> Iterator[Finding]:
    """`no-business-impact`: the Result never translates into money, customers, time or risk."""
    result = view.in_phase("result")
    if not result or any(find(BUSINESS_IMPACT, s.text) for s in result):
        return
    yield cite(
        "no-business-impact",
        "warning",
        result[0],
        "The Result never says what it meant for the business: money, customers, time or risk.",
        "Translate the metric: \"that recovered about $8,000 a week in payment confirmations\".",
    )


def no_second_order_effect(view: AnswerView, settings: CheckSettings) -> Iterator[Finding]:
    """`no-second-order-effect`: nothing beyond the fix itself (adoption, reuse, prevention)."""
    # Only what happened counts: a reflection's "I would ... to prevent" is a plan, not an effect,
    # but "I added that check to the service template" said in the reflection is one.
    result = view.in_phase("result")
    happened = result + [s for s in view.in_phase("reflection") if not find(CONDITIONAL, s.text)]
    if not result or any(find(SECOND_ORDER, s.text) for s in happened):
        return
    yield cite(
        "no-second-order-effect",
        "info",
        result[-1],
        "The Result stops at the fix; nothing says what it changed beyond that.",
        "Add the second-order effect: \"the pattern was adopted as the standard for all our webhook consumers\".",
    )


def _content_words(text: str) -> set[str]:
    """Words that could tie a sentence to its story: not function words, not -ly adverbs."""
    return {w for w in text.split() if len(w) > 3 and w.isalpha() and not w.endswith("ly") and w not in _STOPWORDS}


def generic_reflection(view: AnswerView, settings: CheckSettings) -> Iterator[Finding]:
    """`generic-reflection`: a lesson that would fit any story."""
    # A lesson the segmenter left at the end of the Result is still a lesson.
    reflection = view.in_phase("reflection") or view.in_phase("result")[-1:]
    story_words = set().union(*(_content_words(s.text) for s in view.sentences if s not in reflection))
    for sentence in reflection:
        match = find(GENERIC_REFLECTION, sentence.text)
        if not match:
            continue
        shared = _content_words(sentence.text) & story_words
        if len(shared) >= SPECIFIC_SHARED_WORDS:
            continue
        yield cite(
            "generic-reflection",
            "warning",
            sentence,
            "This lesson would fit any story, so it tells the interviewer nothing about you.",
            "Make it specific to this story: \"I would propose a shared webhook reliability SLO across teams "
            "earlier, so blind spots like this are caught sooner.\"",
            match.span(),
        )
        return


_REQUIRED: dict[Phase, tuple[str, str]] = {
    "situation": ("warning", "Open with one or two sentences of context: where you were and what was going wrong."),
    "task": ("info", "Say what was yours to do, or that nobody asked you: \"My job was ...\" / \"It wasn't my team's service, but ...\"."),
    "action": ("warning", "Spend most of the answer on what you did, step by step, in the first person."),
    "result": ("warning", "End with the outcome: the metric delta, what it meant for the business, what it changed beyond the fix."),
    "reflection": ("info", "Close with one story-specific lesson: what you would do earlier or differently next time."),
}


def missing_phase(view: AnswerView, settings: CheckSettings) -> Iterator[Finding]:
    """`missing-phase`: a STAR phase (or the closing reflection) never appears."""
    if not view.sentences:
        return
    end_s = view.sentences[-1].words[-1].end_s
    for phase, (severity, suggestion) in _REQUIRED.items():
        if not view.has_phase(phase):
            yield Finding("missing-phase", severity, phase, end_s, end_s, "",
                          f"No {phase.capitalize()} found in the answer.", suggestion)


PHRASING_RULES: dict[str, Callable[[AnswerView, CheckSettings], Iterator[Finding]]] = {
    "we-not-i": we_not_i,
    "no-scope-boundary": no_scope_boundary,
    "routing-not-ownership": routing_not_ownership,
    "vague-reasoning": vague_reasoning,
    "unquantified-result": unquantified_result,
    "no-business-impact": no_business_impact,
    "no-second-order-effect": no_second_order_effect,
    "generic-reflection": generic_reflection,
    "missing-phase": missing_phase,
}
