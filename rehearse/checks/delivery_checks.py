"""Delivery rules: pace, fillers, long pauses, the answer's length and each phase's share of it.

Pace, filler and pause rules need a spoken answer (`view.delivery`); the length rules also run on
a typed answer, whose times are estimated from its word count (`view.estimated_pace_wpm`), and
then say so. Thresholds, messages and suggestions are in the rulebook.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from rehearse.checks.context import AnswerView, CheckSettings, ViewSentence, quote_words
from rehearse.checks.rulebook import RuleSpec
from rehearse.report.clock import clock
from rehearse.text import normalise_token
from rehearse.types import Finding, Phase

# Words quoted on each side of a long pause.
PAUSE_CONTEXT_WORDS = 6
# phase-over-budget: the phase that takes in a missing neighbour's time (and so its budget).
_ABSORBS: dict[Phase, Phase] = {"situation": "task", "result": "reflection"}


def _total_s(view: AnswerView) -> float:
    return view.spans[-1].end_s - view.spans[0].start_s if view.spans else 0.0


def _timed(view: AnswerView) -> bool:
    """Whether the answer's times mean anything: spoken, or typed with an estimated pace."""
    return bool(view.spans) and (view.delivery is not None or view.estimated_pace_wpm is not None)


def _estimate_note(view: AnswerView) -> str:
    """Tells a typed answer's reader that its times are estimates."""
    if view.delivery is None and view.estimated_pace_wpm is not None:
        return f" (times estimated at {view.estimated_pace_wpm:.0f} wpm)"
    return ""


def _sentence_at(view: AnswerView, time_s: float) -> ViewSentence:
    """The sentence being spoken at `time_s` (the last one started by then)."""
    started = [s for s in view.sentences if s.words[0].start_s <= time_s]
    return started[-1] if started else view.sentences[0]


def _finding(spec: RuleSpec, phase: Phase | None, start_s: float, end_s: float, quote: str, message: str,
             suggestion: str | None = None) -> Finding:
    return Finding(spec.id, spec.severity, phase, round(start_s, 3), round(end_s, 3), quote, message,
                   spec.suggestion if suggestion is None else suggestion)


def pace_too_fast(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`pace-too-fast`: the whole answer above the pace band, or else one phase well above it.

    Only phases lasting `min_duration_s` are judged: a short phase's rate swings with where its
    boundary falls.
    """
    delivery = view.delivery
    if delivery is None or delivery.duration_s < spec.threshold("min_duration_s"):
        return
    limit = spec.threshold("max_wpm")
    judged = [p for p in delivery.per_phase if p.duration_s >= spec.threshold("min_duration_s")]
    fastest = max(judged, key=lambda p: p.wpm, default=None)
    if delivery.wpm > limit:
        rushed = fastest if fastest is not None and fastest.wpm > delivery.wpm else None
        where = f"; fastest in the {rushed.name.capitalize()} at {rushed.wpm:.0f} wpm" if rushed else ""
        quoted = next(s for s in view.sentences if s.phase == rushed.name) if rushed else view.sentences[0]
        yield _finding(spec, None, view.spans[0].start_s, view.spans[-1].end_s, quote_words(quoted.words),
                       spec.say(wpm=f"{delivery.wpm:.0f}", limit=f"{limit:.0f}", where=where))
        return
    if fastest is None or fastest.wpm <= limit + spec.threshold("phase_margin_wpm"):
        return
    spans = [s for s in view.spans if s.name == fastest.name]
    quoted = next(s for s in view.sentences if s.phase == fastest.name)
    yield _finding(spec, fastest.name, spans[0].start_s, spans[-1].end_s, quote_words(quoted.words),
                   spec.say(spec.extra["message_phase"], Phase=fastest.name.capitalize(),
                            wpm=f"{fastest.wpm:.0f}", limit=f"{limit:.0f}", overall=f"{delivery.wpm:.0f}"))


def pace_too_slow(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`pace-too-slow`: slow even with the long pauses taken out (articulation rate below the band)."""
    delivery = view.delivery
    if delivery is None or delivery.duration_s < spec.threshold("min_duration_s"):
        return
    limit = spec.threshold("min_wpm")
    if delivery.articulation_wpm >= limit:
        return
    yield _finding(spec, None, view.spans[0].start_s, view.spans[-1].end_s, quote_words(view.sentences[0].words),
                   spec.say(wpm=f"{delivery.articulation_wpm:.0f}", overall=f"{delivery.wpm:.0f}",
                            limit=f"{limit:.0f}"))


def filler_heavy(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`filler-heavy`: fillers are more than the limit's share of the words."""
    delivery = view.delivery
    if delivery is None or not delivery.words:
        return
    count = len(delivery.fillers)
    if count < spec.threshold("min_count") or delivery.filler_share <= spec.threshold("share_limit"):
        return
    kinds = Counter(normalise_token(f.text) for f in delivery.fillers)
    most = ", ".join(f'"{text}" x{n}' for text, n in kinds.most_common(4))
    # Anchor on the sentence with the most fillers: the place to rehearse first.
    densest = max(view.sentences, key=lambda s: sum(s.words[0].start_s <= f.start_s <= s.words[-1].end_s
                                                    for f in delivery.fillers))
    floor = "" if delivery.fillers_kept else spec.extra["message_undercounted"]
    yield _finding(spec, densest.phase, densest.words[0].start_s, densest.words[-1].end_s,
                   quote_words(densest.words),
                   spec.say(count=count, words=delivery.words, share=f"{delivery.filler_share:.0%}",
                            per_minute=f"{delivery.filler_rate_per_min:.1f}", most=most,
                            limit=f"{spec.threshold('share_limit'):.0%}") + floor)


def long_pause(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`long-pause`: a silence inside the answer of at least the threshold (the longest few)."""
    delivery = view.delivery
    if delivery is None:
        return
    long = [p for p in delivery.pauses if p.duration_s >= spec.threshold("min_pause_s")]
    shown = sorted(sorted(long, key=lambda p: -p.duration_s)[: int(spec.threshold("max_findings"))],
                   key=lambda p: p.start_s)
    words = [(w, s.phase) for s in view.sentences for w in s.words]
    for pause in shown:
        before = [w for w, _ in words if w.end_s <= pause.start_s + 0.5][-PAUSE_CONTEXT_WORDS:]
        after = [w for w, _ in words if w.start_s >= pause.end_s - 0.5][:PAUSE_CONTEXT_WORDS]
        phase = next((p for w, p in reversed(words) if w.start_s <= pause.start_s), words[0][1])
        quote = " ... ".join(quote_words(side) for side in (before, after) if side)
        in_all = f" ({len(long)} silences of {spec.threshold('min_pause_s'):.0f} s or more in all)" \
            if len(long) > 1 and pause is shown[0] else ""
        yield _finding(spec, phase, pause.start_s, pause.end_s, quote,
                       spec.say(seconds=f"{pause.duration_s:.1f}", at=clock(pause.start_s)) + in_all,
                       spec.say(spec.suggestion, at=clock(pause.start_s)))


def answer_too_long(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`answer-too-long`: the answer runs past the target window."""
    if not _timed(view):
        return
    total_s, limit_s = _total_s(view), spec.threshold("max_s")
    if total_s <= limit_s:
        return
    mark_s = view.spans[0].start_s + limit_s
    at_mark = _sentence_at(view, mark_s)
    yield _finding(spec, at_mark.phase, mark_s, view.spans[-1].end_s, quote_words(at_mark.words),
                   spec.say(duration=clock(total_s), limit=clock(limit_s), over=f"{total_s - limit_s:.0f}",
                            phase=at_mark.phase.capitalize()) + _estimate_note(view))


def answer_too_short(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`answer-too-short`: the answer is over before the target window starts, and says little.

    An answer with `min_words` or more has the content of a full answer; if it is over quickly
    it was said fast, which `pace-too-fast` reports.
    """
    if not _timed(view):
        return
    total_s, limit_s = _total_s(view), spec.threshold("min_s")
    words = sum(s.word_count for s in view.spans)
    if total_s >= limit_s or words >= spec.threshold("min_words"):
        return
    last = view.sentences[-1]
    yield _finding(spec, None, view.spans[0].start_s, view.spans[-1].end_s, quote_words(last.words),
                   spec.say(duration=clock(total_s), limit=clock(limit_s), words=words) + _estimate_note(view))


def phase_over_budget(view: AnswerView, spec: RuleSpec, settings: CheckSettings) -> Iterator[Finding]:
    """`phase-over-budget`: a phase takes well over its share of the answer (published STAR splits).

    A Situation already flagged by `situation-over-45s` is left to that rule, and an outcome-first
    headline (a Result before the story starts) belongs to the opening, not to the Result's budget.
    A missing Task's budget goes to the Situation and a missing Reflection's to the Result, the
    phases that take them in when they are not said apart.
    """
    if not _timed(view):
        return
    total_s = _total_s(view)
    if total_s <= 0:
        return
    situation_flagged = "situation-over-45s" in settings.rules.active_rules(settings.focus, settings.disabled)
    tolerance = spec.threshold("tolerance_share")
    story_start_s = next((s.start_s for s in view.spans if s.name != "result"), view.spans[0].start_s)
    for phase, table in spec.extra["per_phase"].items():
        spans = [s for s in view.spans if s.name == phase and (phase != "result" or s.start_s >= story_start_s)]
        seconds = sum(s.duration_s for s in spans)
        if not spans or (phase == "situation" and situation_flagged and seconds > settings.situation_limit_s):
            continue
        budget = spec.threshold(f"{phase}_share")
        absorbed = _ABSORBS.get(phase)
        if absorbed and not view.has_phase(absorbed):
            budget += spec.threshold(f"{absorbed}_share")
        over_s = seconds - budget * total_s
        if seconds / total_s <= budget + tolerance or over_s < spec.threshold("min_over_s"):
            continue
        longest = max(spans, key=lambda s: s.duration_s)
        first = next(s for s in view.sentences if s.phase == phase and s.words[0].start_s >= longest.start_s)
        yield _finding(spec, phase, longest.start_s, longest.end_s, quote_words(first.words),
                       spec.say(Phase=phase.capitalize(), seconds=f"{seconds:.0f}", share=f"{seconds / total_s:.0%}",
                                budget=f"{budget:.0%}", over=f"{over_s:.0f}") + _estimate_note(view),
                       table["suggestion"])


DELIVERY_RULES: dict[str, Callable[[AnswerView, RuleSpec, CheckSettings], Iterator[Finding]]] = {
    "pace-too-fast": pace_too_fast,
    "pace-too-slow": pace_too_slow,
    "filler-heavy": filler_heavy,
    "long-pause": long_pause,
    "answer-too-long": answer_too_long,
    "answer-too-short": answer_too_short,
    "phase-over-budget": phase_over_budget,
}
