"""STAR segmentation (pure): give every sentence a phase, keeping phases in order.

Each sentence is scored per phase from cue phrases (explicit markers, tense,
pronouns, metric and outcome vocabulary, lesson language) plus a soft prior on
its position in the answer. An ordered Viterbi decode then picks the best
phase sequence that runs situation -> task -> action -> result -> reflection,
optionally after a one- or two-sentence outcome-first headline. Every score
keeps the cues that produced it, so a decision can be explained.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rehearse.text import QUANTITY, YEAR, NormalisedSentence, find, normalise_sentence
from rehearse.types import PHASES, Phase, PhasedSentence, Sentence


@dataclass(frozen=True)
class Cue:
    """A phrase pattern that is evidence for a phase."""

    phase: Phase
    pattern: str
    weight: float


def _cues(phase: Phase, weight: float, *patterns: str) -> list[Cue]:
    return [Cue(phase, p, weight) for p in patterns]


# Heuristic weights, tuned on the labelled answers in fixtures/. Explicit
# markers ("my task was") outweigh vocabulary hints ("reduced").
CUES: tuple[Cue, ...] = tuple(
    _cues("situation", 3.0,
          r"(the )?(situation|context|background) (was|is|here)", r"for (some )?context",
          r"to (give|set) (you )?(some )?(context|the scene)")
    + _cues("situation", 1.5,
            r"at the time", r"back (in|when)", r"(a few|two|three|several) (years|months) ago",
            r"(when|while) i was (working|at|a|an|in|on)", r"i (was|am|worked|work) (working )?(as|at) (a|an|the)",
            r"in my (previous|last|current|first|old) (role|job|position|company)",
            r"at my (previous|last|current|first|old) (role|job|company)",
            r"i was (a|an) \w+", r"i'm (a|an) \w+", r"there (was|were)", r"had been",
            r"(our|the|my) (team|company|store|unit|ward|school|clinic|department|class) (was|had|ran|owned|used|is)",
            r"(we|they) (had|were|used to|ran|owned|used)", r"used to", r"the (problem|issue|challenge) was",
            r"(every|each) (day|week|month|quarter|year|night|shift)", r"was (responsible for|in charge of) (the|a|our)")
    + _cues("situation", 1.0,
            r"i noticed", r"we noticed", r"was (losing|failing|dropping|struggling|behind|late)",
            r"(complaints?|outages?|incidents?|backlog)", r"(service|platform|system|architecture|database) (was|is|that)")
    + _cues("task", 3.0,
            r"my (task|job|goal|role|responsibility|assignment|mission|objective) (was|is|here|became)",
            r"the (task|goal|objective|ask) (was|is|for me)", r"i was (asked|tasked|assigned|brought in|hired)",
            r"(it|this|that) (wasn't|was not|isn't|is not) (my|our) (team|job|service|area|responsibility|project|code|system)",
            r"(no|without a|there was no) (ticket|one had asked|one asked|body asked)", r"nobody (had )?asked",
            r"no one (had )?asked", r"i (decided|chose|wanted) to (own|take (it )?on|take ownership|fix|solve|figure)",
            r"i took (it )?(on|ownership)", r"i (had|needed) to (figure out|find|get|make|fix|solve|convince|deliver|turn|bring|reduce|improve|cut|build|decide)")
    + _cues("task", 1.5,
            r"i (had|needed|wanted) to", r"i was responsible for", r"i owned",
            r"(my|our) manager (asked|wanted|gave)", r"it was (up to|on) me", r"i volunteered",
            r"the (challenge|deadline) (for me )?was to", r"so that we could", r"i set (myself|out)")
    + _cues("action", 3.0,
            r"(so )?what i did (was|is|first)", r"(the )?first (thing|step) i", r"i started (by|with)",
            r"my (first|next) step", r"(here's|here is) what i did")
    + _cues("action", 1.5,
            r"(so|then|first|next|after that|afterwards|finally|second|third),? i", r"i (then|also|first)",
            r"i (built|wrote|created|designed|implemented|set up|analy[sz]ed|investigated|traced|reproduced|pulled|"
            r"dug|met|called|scheduled|organi[sz]ed|proposed|ran|tested|added|reached out|talked|spoke|interviewed|"
            r"mapped|drafted|prototyped|reviewed|brought|sat down|walked|trained|launched|rewrote|migrated|"
            r"deployed|automated|chose|picked|compared|negotiated|escalated|sent|flagged|followed up|documented|"
            r"shadowed|prioriti[sz]ed|split|broke|went through|looked (at|into)|worked (with|through|out)|"
            r"put together|gathered|collected|created|coached|asked|explained|presented|recommended|persuaded|"
            r"convinced|restructured|introduced|replaced|fixed|changed|moved|made|used|paired|contacted|"
            r"emailed|visited|checked|identified|found|discovered|realised|realized|measured|tracked)",
            r"we (built|wrote|created|designed|implemented|set up|analy[sz]ed|investigated|figured|worked|decided|tried|fixed|ran)",
            r"because", r"instead of", r"so that", r"(the )?trade-?off")
    + _cues("result", 3.0,
            r"as a result", r"the (end )?results? (was|were|is)", r"the outcome", r"in the end", r"end result",
            r"(the )?(net|final) (effect|result|impact)", r"(in|by) the end", r"ultimately",
            r"(the )?short version")
    + _cues("result", 1.5,
            rf"from {QUANTITY} .{{0,30}}to {QUANTITY}", rf"{QUANTITY} ?(%|percent|per cent)",
            rf"(reduced|increased|dropped|improved|cut|grew|raised|lowered|saved|recovered|doubled|halved|fell|went (down|up)|boosted|lifted|decreased)",
            r"(revenue|savings|saved|roi|retention|churn|conversion|satisfaction|nps|scores?|rating)",
            r"(was|were|got|has been|have been) (adopted|promoted|recogni[sz]ed|praised|approved|rolled out|renewed)",
            r"(became|is now|are now|now (the|a|part)) ", r"(since then|ever since|to this day|still (use|uses|using))",
            r"(the team|everyone|my manager|the client|the customer) was (happy|pleased|thrilled|impressed)",
            r"(things|it) (got|went) better", r"(zero|no more) ", r"(we|i) (hit|met|exceeded|beat|delivered|launched|shipped|closed|won)")
    + _cues("reflection", 3.0,
            r"i learned", r"(the )?(lesson|takeaway|learning)s?", r"looking back", r"in hindsight", r"in retrospect",
            r"if i (did|had|were|could) .{0,20}(again|over)", r"next time", r"(taught|showed) me",
            r"what i('d| would) do differently", r"i would (have|do|propose|push|start|involve|communicate|ask|build|set)",
            r"i('d| would)", r"going forward", r"i now (always|make sure|try)", r"i realized that", r"i realised that",
            r"what i (took|take) away", r"(it )?(reminded|made) me (realize|realise|think)")
    + _cues("reflection", 1.0, r"(i've|i have) (since|started|learned)", r"differently", r"(always|never) again")
)

# Where in the answer (0 = start, 1 = end) each phase tends to sit, and how wide.
_POSITION_PRIOR: dict[Phase, tuple[float, float]] = {
    "situation": (0.08, 0.15),
    "task": (0.22, 0.12),
    "action": (0.50, 0.22),
    "result": (0.80, 0.14),
    "reflection": (0.97, 0.10),
}
POSITION_WEIGHT = 1.0
# A quantity in a sentence (not a year) hints at a result.
QUANTITY_WEIGHT = 0.8


@dataclass(frozen=True)
class SentenceEvidence:
    """Why a sentence might be each phase: total score and the cues that fired."""

    sentence: Sentence
    scores: dict[Phase, float]
    reasons: dict[Phase, tuple[str, ...]]


def score_sentence(normalised: NormalisedSentence, position: float) -> SentenceEvidence:
    """Score one sentence for each phase; `position` is its middle's place in the answer (0-1)."""
    text = normalised.text
    scores: dict[Phase, float] = {}
    reasons: dict[Phase, list[str]] = {p: [] for p in PHASES}
    for phase in PHASES:
        centre, width = _POSITION_PRIOR[phase]
        scores[phase] = -POSITION_WEIGHT * ((position - centre) / width) ** 2 / 2
    for cue in CUES:
        match = find(cue.pattern, text)
        if match:
            scores[cue.phase] += cue.weight
            reasons[cue.phase].append(match.group(0))
    quantity = find(QUANTITY, text)
    if quantity and not find(YEAR, quantity.group(0)):
        scores["result"] += QUANTITY_WEIGHT
        reasons["result"].append(quantity.group(0))
    return SentenceEvidence(normalised.sentence, scores, {p: tuple(r) for p, r in reasons.items()})


# Decoding states: an optional outcome-first headline, then the five phases.
_STATES: tuple[str, ...] = ("headline",) + PHASES
_STATE_PHASE: dict[str, Phase] = {"headline": "result", **{p: p for p in PHASES}}
HEADLINE_MAX_SENTENCES = 2
HEADLINE_MIN_RESULT_SCORE = 1.5
SWITCH_COST = 1.5
# Extra cost for skipping a phase entirely, per skipped phase.
_SKIP_COST: dict[str, float] = {"situation": 3.0, "task": 0.8, "action": 4.0, "result": 3.0, "reflection": 0.0}
_START_COST: dict[str, float] = {"headline": 1.0, "situation": 0.0, "task": 1.5, "action": 3.0, "result": 6.0, "reflection": 8.0}
_END_COST: dict[str, float] = {"headline": 8.0, "situation": 8.0, "task": 6.0, "action": 2.0, "result": 0.0, "reflection": 0.0}


def _log_softmax(scores: dict[Phase, float]) -> dict[Phase, float]:
    top = max(scores.values())
    total = math.log(sum(math.exp(v - top) for v in scores.values())) + top
    return {p: v - total for p, v in scores.items()}


def _transition_cost(from_state: str, to_state: str) -> float | None:
    i, j = _STATES.index(from_state), _STATES.index(to_state)
    if j < i:
        return None
    if j == i:
        return 0.0
    skipped = _STATES[max(i + 1, 1) : j]
    return SWITCH_COST + sum(_SKIP_COST[s] for s in skipped)


def gather_evidence(sentences: Sequence[Sentence]) -> list[SentenceEvidence]:
    """Score every sentence, with positions measured in words."""
    total_words = sum(len(s.words) for s in sentences) or 1
    evidence = []
    words_before = 0
    for sentence in sentences:
        middle = (words_before + len(sentence.words) / 2) / total_words
        evidence.append(score_sentence(normalise_sentence(sentence), middle))
        words_before += len(sentence.words)
    return evidence


def decode(evidence: Sequence[SentenceEvidence]) -> list[Phase]:
    """Best ordered phase sequence for the scored sentences (Viterbi)."""
    if not evidence:
        return []
    emissions = [_log_softmax(e.scores) for e in evidence]

    def emission(t: int, state: str) -> float | None:
        if state == "headline":
            if t >= HEADLINE_MAX_SENTENCES or evidence[t].scores["result"] < HEADLINE_MIN_RESULT_SCORE:
                return None
        return emissions[t][_STATE_PHASE[state]]

    best: list[dict[str, float]] = [{}]
    back: list[dict[str, str]] = [{}]
    for state in _STATES:
        e = emission(0, state)
        if e is not None:
            best[0][state] = e - _START_COST[state]
    for t in range(1, len(evidence)):
        best.append({})
        back.append({})
        for state in _STATES:
            e = emission(t, state)
            if e is None:
                continue
            options = [
                (score - cost, prev)
                for prev, score in best[t - 1].items()
                if (cost := _transition_cost(prev, state)) is not None
            ]
            if options:
                score, prev = max(options)
                best[t][state] = score + e
                back[t][state] = prev
    final = {s: v - _END_COST[s] for s, v in best[-1].items()}
    state = max(final, key=final.__getitem__)
    path = [state]
    for t in range(len(evidence) - 1, 0, -1):
        state = back[t][state]
        path.append(state)
    return [_STATE_PHASE[s] for s in reversed(path)]


def segment(sentences: Sequence[Sentence]) -> list[PhasedSentence]:
    """Give every sentence a STAR phase, phases kept in spoken order."""
    phases = decode(gather_evidence(sentences))
    return [PhasedSentence(s, p) for s, p in zip(sentences, phases)]
