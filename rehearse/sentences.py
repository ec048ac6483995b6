"""Split a word stream into sentences (pure).

Whisper usually punctuates, but not always: long unpunctuated runs are also
cut at long pauses and before discourse markers, so that the segmenter sees
units of roughly sentence size.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rehearse.text import normalise_token
from rehearse.types import Sentence, Word

# A pause this long between words ends a sentence even without punctuation.
SENTENCE_PAUSE_S = 1.2
# Unpunctuated runs longer than this are split before a discourse marker.
MAX_SENTENCE_WORDS = 32
MAX_PUNCTUATED_SENTENCE_WORDS = 60
MIN_SENTENCE_WORDS = 6

_ENDS_SENTENCE = re.compile(r"[.?!][\"')\]]*$")
_ABBREVIATIONS = {
    "dr.", "mr.", "mrs.", "ms.", "e.g.", "i.e.", "etc.", "vs.", "u.s.", "st.", "no.", "approx.", "a.m.", "p.m.",
}
# Words that usually open a new spoken sentence.
_STRONG_MARKERS = frozenset({
    "so", "then", "afterwards", "next", "finally", "ultimately", "eventually", "overall",
    "looking", "basically", "anyway", "okay",
})
# Phrases that usually open a new STAR phase; in unpunctuated speech a run is
# cut before them so the phase change falls on a sentence boundary.
_PHASE_OPENERS = (
    "the result", "as a result", "in the end", "the outcome", "my task", "my job", "my goal", "my role",
    "what i did", "what i learned", "i learned", "looking back", "in hindsight", "if i did", "if i had",
    "next time", "the situation", "the problem was", "the issue was", "i started by", "after that",
    "since then", "nobody asked", "no one asked", "it wasn't my", "i was asked", "i was tasked",
    "what i took", "the lesson", "my manager asked", "by the end",
)
# In unpunctuated speech, a new subject after a long enough piece often starts a new sentence.
_SUBJECT_MARKERS = frozenset({"i", "we", "and", "but"})
MIN_PIECE_BEFORE_SUBJECT = 10
# Words that open a new sentence when a comma precedes them and the piece
# before is long enough to stand alone.
_WEAK_MARKERS = frozenset({"and", "but"})
MIN_PIECE_BEFORE_WEAK_MARKER = 12


def _ends_sentence(token: str) -> bool:
    return bool(_ENDS_SENTENCE.search(token)) and token.lower() not in _ABBREVIATIONS


def split_sentences(words: Sequence[Word]) -> list[Sentence]:
    """Group words into sentences at punctuation, long pauses and, for long runs, markers."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    for i, word in enumerate(words):
        if current and word.start_s - current[-1].end_s >= SENTENCE_PAUSE_S:
            runs.append(current)
            current = []
        current.append(word)
        if _ends_sentence(word.text) and i + 1 < len(words):
            runs.append(current)
            current = []
    if current:
        runs.append(current)

    pieces: list[list[Word]] = []
    for run in runs:
        pieces.extend(_split_long_run(run))
    return [Sentence(index=i, words=tuple(p)) for i, p in enumerate(pieces)]


def _opens_phase(run: list[Word], i: int) -> bool:
    """Whether the words from i on start with a phrase that usually opens a STAR phase."""
    ahead = " ".join(normalise_token(w.text) for w in run[i : i + 3])
    return ahead.startswith(_PHASE_OPENERS)


def _is_punctuated(run: list[Word]) -> bool:
    return any(w.text.endswith((",", ";", ":", ".", "?", "!")) for w in run)


def _split_long_run(run: list[Word]) -> list[list[Word]]:
    """Cut a long run before discourse markers.

    A punctuated sentence is kept whole up to MAX_PUNCTUATED_SENTENCE_WORDS:
    cutting a long but real sentence loses more context than it gains.
    """
    limit = MAX_PUNCTUATED_SENTENCE_WORDS if _is_punctuated(run) else MAX_SENTENCE_WORDS
    if len(run) <= limit:
        return [run]
    pieces: list[list[Word]] = []
    start = 0
    for i in range(len(run)):
        if i - start < MIN_SENTENCE_WORDS or len(run) - i < MIN_SENTENCE_WORDS:
            continue
        token = normalise_token(run[i].text)
        after_comma = run[i - 1].text.endswith((",", ";", ":"))
        if (
            token in _STRONG_MARKERS
            or _opens_phase(run, i)
            or (token in _WEAK_MARKERS and after_comma and i - start >= MIN_PIECE_BEFORE_WEAK_MARKER)
            or (token in _SUBJECT_MARKERS and i - start >= MIN_PIECE_BEFORE_SUBJECT)
            or i - start >= MAX_SENTENCE_WORDS
        ):
            pieces.append(run[start:i])
            start = i
    pieces.append(run[start:])
    return pieces
