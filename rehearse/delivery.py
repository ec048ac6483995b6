"""Delivery metrics (pure): pace, pauses, fillers and length, overall and per phase.

Two rates, as speech coaches use them:
- overall rate (`wpm`): words per minute over the whole answer, from the first
  word's start to the last word's end, pauses included;
- articulation rate (`articulation_wpm`): words per minute of speaking time
  only, i.e. with pauses of at least the pause threshold taken out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rehearse.text import FILLER_PAIRS, FILLER_WORDS, normalise_token
from rehearse.types import Phase, PhaseSpan, Word

SECONDS_PER_MINUTE = 60.0
DEFAULT_MIN_PAUSE_S = 2.0

# The same hesitations and phrases that cue matching ignores (rehearse.text);
# the phrases count as fillers only in the positions `find_fillers` checks, so
# "what kind of tool" or "you know that feeling" are not.
HESITATIONS = FILLER_WORDS
FILLER_PHRASES = FILLER_PAIRS
# Words after "kind of"/"sort of" that make it a real noun phrase ("a kind of tool").
_KIND_OF_ARTICLES = frozenset({"a", "an", "the", "this", "that", "what", "which", "some", "any", "every"})
# "you know" is meant, not a filler, after these ("if you know", "do you know") or before these.
_YOU_KNOW_ASKING = frozenset({"if", "do", "did", "don't", "didn't", "would", "will", "as", "whether", "to", "you"})
_YOU_KNOW_OBJECT = frozenset({
    "that", "what", "how", "why", "the", "when", "where", "who", "it", "him", "her", "your", "my", "our", "their",
    "his", "its", "this", "these", "those", "about", "if", "whether", "which", "a", "an",
})
# Short function words that are often legitimately doubled ("that that", "had had").
_REPEAT_OK = frozenset({"that", "had", "is", "very", "really", "so", "no", "bye", "ha"})


@dataclass(frozen=True)
class Pause:
    """A silence inside the answer."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Filler:
    """A filler word or phrase, with where it was said."""

    text: str
    kind: str  # "hesitation", "phrase", "like", "basically", "repeat"
    start_s: float
    end_s: float


@dataclass(frozen=True)
class PhasePace:
    """Pace within one phase (all its spans together)."""

    name: Phase
    words: int
    duration_s: float
    wpm: float


@dataclass(frozen=True)
class Delivery:
    """Everything measured about how the answer was spoken."""

    duration_s: float
    speaking_s: float
    words: int
    wpm: float
    articulation_wpm: float
    pauses: tuple[Pause, ...]
    fillers: tuple[Filler, ...]
    per_phase: tuple[PhasePace, ...]
    # Whether the transcript was made to keep hesitations (a filler-keeping prompt); without it
    # Whisper leaves most "um"s out, so the filler count is a floor.
    fillers_kept: bool = False

    @property
    def filler_rate_per_min(self) -> float:
        return len(self.fillers) / self.duration_s * SECONDS_PER_MINUTE if self.duration_s else 0.0

    @property
    def filler_share(self) -> float:
        return len(self.fillers) / self.words if self.words else 0.0


def find_fillers(words: Sequence[Word]) -> list[Filler]:
    """Fillers in a word stream, guarding against the usual false positives.

    "like" counts only when set off by commas or after "was/were/it's" quoting
    ("and he was like, ..."); "kind of"/"sort of" only when not followed by an
    article or preceded by one ("a kind of tool"); "you know" only when not
    followed by "that/what/how/why/the"; a phrase followed by a comma ("you
    know, the ...") always counts; repeated words only for content words.
    """
    tokens = [normalise_token(w.text) for w in words]
    fillers: list[Filler] = []
    i = 0
    while i < len(words):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(words) else ""
        prev = tokens[i - 1] if i else ""
        pair = (token, nxt)
        if token in HESITATIONS:
            fillers.append(Filler(words[i].text, "hesitation", words[i].start_s, words[i].end_s))
        elif pair in FILLER_PHRASES and _is_filler_phrase(pair, prev, tokens, i, words[i + 1].text):
            fillers.append(Filler(f"{words[i].text} {words[i + 1].text}", "phrase", words[i].start_s, words[i + 1].end_s))
            i += 2
            continue
        elif token == "like" and _is_filler_like(words, tokens, i):
            fillers.append(Filler(words[i].text, "like", words[i].start_s, words[i].end_s))
        elif token == "basically":
            fillers.append(Filler(words[i].text, "basically", words[i].start_s, words[i].end_s))
        elif token and token == prev and token.isalpha() and token not in _REPEAT_OK:
            fillers.append(Filler(words[i].text, "repeat", words[i].start_s, words[i].end_s))
        i += 1
    return fillers


def _is_filler_phrase(pair: tuple[str, str], prev: str, tokens: list[str], i: int, second: str) -> bool:
    if second.endswith(","):
        return True  # set off by a comma: "You know, the old system ..." is not "you know the answer"
    after = tokens[i + 2] if i + 2 < len(tokens) else ""
    if pair in (("kind", "of"), ("sort", "of")):
        return prev not in _KIND_OF_ARTICLES and after not in _KIND_OF_ARTICLES
    if pair == ("you", "know"):
        # "if you know your extension", "do you know what", "you know the answer" ask or state, not hesitate.
        return prev not in _YOU_KNOW_ASKING and after not in _YOU_KNOW_OBJECT
    return True  # "I mean"


def _is_filler_like(words: Sequence[Word], tokens: list[str], i: int) -> bool:
    set_off = words[i].text.endswith(",") or (i > 0 and words[i - 1].text.endswith(","))
    quoting = i > 0 and tokens[i - 1] in {"was", "were", "it's", "i'm", "he's", "she's", "they're"}
    return set_off or quoting


def pauses_from_gaps(words: Sequence[Word], min_pause_s: float = DEFAULT_MIN_PAUSE_S) -> list[Pause]:
    """Pauses as gaps between consecutive words (used when there is no audio)."""
    return [
        Pause(a.end_s, b.start_s) for a, b in zip(words, words[1:]) if b.start_s - a.end_s >= min_pause_s
    ]


def measure_delivery(
    words: Sequence[Word],
    spans: Sequence[PhaseSpan],
    pauses: Sequence[Pause],
    fillers: Sequence[Filler] | None = None,
    fillers_kept: bool = False,
) -> Delivery:
    """Pace, pauses and fillers of an answer whose phases are `spans`.

    `fillers_kept` says the transcript was made to keep hesitations (see
    rehearse.transcribe.FILLER_PROMPT), so the filler count is not a floor.
    """
    if not words:
        return Delivery(0.0, 0.0, 0, 0.0, 0.0, (), (), (), fillers_kept)
    start_s, end_s = words[0].start_s, words[-1].end_s
    duration_s = end_s - start_s
    inside = tuple(p for p in pauses if p.end_s > start_s and p.start_s < end_s)
    paused_s = sum(min(p.end_s, end_s) - max(p.start_s, start_s) for p in inside)
    speaking_s = max(duration_s - paused_s, 0.0)
    per_phase = []
    for name in dict.fromkeys(s.name for s in spans):
        phase_spans = [s for s in spans if s.name == name]
        phase_words = sum(s.word_count for s in phase_spans)
        phase_s = sum(s.duration_s for s in phase_spans)
        per_phase.append(PhasePace(name, phase_words, phase_s, _rate(phase_words, phase_s)))
    return Delivery(
        duration_s=duration_s,
        speaking_s=speaking_s,
        words=len(words),
        wpm=_rate(len(words), duration_s),
        articulation_wpm=_rate(len(words), speaking_s),
        pauses=inside,
        fillers=tuple(find_fillers(words) if fillers is None else fillers),
        per_phase=tuple(per_phase),
        fillers_kept=fillers_kept,
    )


def _rate(words: int, seconds: float) -> float:
    return words / seconds * SECONDS_PER_MINUTE if seconds > 0 else 0.0
