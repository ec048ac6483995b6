"""Text normalisation and pattern matching over words, robust to ASR output.

Patterns are matched against a lower-cased, punctuation-free rendering of a
sentence ("$8,000" stays "$8,000", "0.3%" stays "0.3%"), and every match is
mapped back to the words it covers so findings can carry exact times.
"""

from __future__ import annotations

import re

# CPython's own regex parser (private, but present in every Python this project supports,
# 3.11 on): required_literals reads the parsed pattern rather than guessing from its text.
# Without it there is no prefilter and every search simply runs.
try:
    import re._constants as _sre
    import re._parser as _sre_parser
except ImportError:
    _sre = _sre_parser = None
from dataclasses import dataclass
from functools import lru_cache

from rehearse.types import Sentence, Word

# Strip punctuation at word edges but keep what carries meaning in numbers
# and contractions: $ and % and inner . , ' characters.
_EDGE_PUNCT = re.compile(r"^[^\w$%]+|[^\w$%]+$")
_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": " ", "\u2013": "-"})


def normalise_token(token: str) -> str:
    """Lower-case a word and trim punctuation at its edges."""
    return _EDGE_PUNCT.sub("", token.translate(_CURLY).lower())


@dataclass(frozen=True)
class NormalisedSentence:
    """A sentence's normalised text with each word's character span in it."""

    sentence: Sentence
    text: str
    spans: tuple[tuple[int, int], ...]

    def words_in(self, start: int, end: int) -> tuple[Word, ...]:
        """The sentence's words that overlap characters [start, end)."""
        return tuple(
            w for w, (a, b) in zip(self.sentence.words, self.spans) if a < end and b > start
        )


FILLER_WORDS = frozenset({"um", "uh", "umm", "uhm", "er", "erm", "ah", "hmm", "mm"})
FILLER_PAIRS = frozenset({("you", "know"), ("i", "mean"), ("kind", "of"), ("sort", "of")})


def filler_positions(words: tuple[Word, ...]) -> set[int]:
    """Indices of words that are hesitation, not content: "um", "you know", ", like,"."""
    tokens = [normalise_token(w.text) for w in words]
    fillers = {i for i, t in enumerate(tokens) if t in FILLER_WORDS}
    for i in range(len(tokens) - 1):
        if (tokens[i], tokens[i + 1]) in FILLER_PAIRS:
            fillers.update((i, i + 1))
    for i, token in enumerate(tokens):
        # "like" between commas is a filler; "I like this" is not.
        if token == "like" and (words[i].text.endswith(",") or (i and words[i - 1].text.endswith(","))):
            fillers.add(i)
    return fillers


def normalise_sentence(sentence: Sentence) -> NormalisedSentence:
    """Build the matchable text of a sentence, remembering word offsets.

    Fillers are left out of the text (their span is empty), so "it was, um,
    kind of my job to" matches the same cue as "it was my job to".
    """
    text = ""
    spans: list[tuple[int, int]] = []
    fillers = filler_positions(sentence.words)
    for i, word in enumerate(sentence.words):
        if i in fillers:
            spans.append((len(text), len(text)))
            continue
        token = normalise_token(word.text)
        if text and text[-1].isdigit() and _NUMBER_CONTINUATION.match(word.text):
            # Whisper sometimes splits "2.1%" into "2", ".1", "%": glue the pieces back.
            token = _NUMBER_CONTINUATION.match(word.text).group(0)
            spans.append((len(text), len(text) + len(token)))
            text += token
            continue
        if text:
            text += " "
        spans.append((len(text), len(text) + len(token)))
        text += token
    return NormalisedSentence(sentence, text, tuple(spans))


_NUMBER_CONTINUATION = re.compile(r"^([.,]\d+%?|%)")


@lru_cache(maxsize=2048)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a cue pattern once; patterns are whole-word by default.

    The pattern is grouped first, so a top-level alternation ("queues?|caches?")
    is whole-word in every branch, not only in its first and last.
    """
    return re.compile(rf"(?<![\w$])(?:{pattern})(?![\w%])")


@lru_cache(maxsize=2048)
def _compile_without_leading_guard(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{pattern})(?![\w%])")


_WORD_CHARACTER = re.compile(r"[\w$]")


def find(pattern: str, text: str) -> re.Match[str] | None:
    """First whole-word match of `pattern` in normalised `text` (the same match as compile_pattern's).

    The "no word character before" guard is checked on each candidate rather than
    as a leading lookbehind: a pattern that opens with a lookbehind cannot use the
    regex engine's fast scan for its first literal, which made the segmenter's
    ~200 cue searches per sentence three to four times slower.
    """
    compiled = _compile_without_leading_guard(pattern)
    position = 0
    while match := compiled.search(text, position):
        start = match.start()
        if start == 0 or not _WORD_CHARACTER.match(text, start - 1):
            return match
        position = start + 1
    return None


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings of which every match of `pattern` contains at least one, or None if none are known.

    A substring test for these is far cheaper than a regex search, so a caller can
    skip the search when none of them is in the text ("what i did " must be in any
    text that "(so )?what i did (was|is)" matches). Worked out from the parsed
    pattern; anything it does not understand yields no requirement, never a wrong one.
    """
    if _sre_parser is None:
        return None
    try:
        parsed = _sre_parser.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None
        return _required(list(parsed))
    except (re.error, RecursionError, AttributeError, TypeError, ValueError):
        # A parser whose private structures have changed: no prefilter rather than a wrong one.
        return None


def _required(items: list) -> frozenset[str] | None:
    """What a sequence requires: the most selective of its items' requirements.

    Consecutive literal characters form one string that must appear whole.
    """
    best: frozenset[str] | None = None
    run: list[str] = []
    for opcode, argument in items:
        if opcode is _sre.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            best = _more_selective(best, frozenset({"".join(run)}))
            run = []
        best = _more_selective(best, _required_by(opcode, argument))
    if run:
        best = _more_selective(best, frozenset({"".join(run)}))
    return best


def _required_by(opcode, argument) -> frozenset[str] | None:
    """What one non-literal item of a sequence requires (every item of a sequence must match)."""
    if opcode is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = argument
        return None if add_flags else _required(list(sub))
    if opcode is _sre.BRANCH:
        branches = [_required(list(branch)) for branch in argument[1]]
        if any(b is None for b in branches):
            return None
        return frozenset().union(*branches)
    if opcode in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        lowest, _highest, sub = argument
        return _required(list(sub)) if lowest >= 1 else None
    return None


def _more_selective(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The requirement whose shortest string is longer: the rarer to be met by chance."""
    if a is None or b is None:
        return a or b
    return a if min(map(len, a)) >= min(map(len, b)) else b


def count(pattern: str, text: str) -> int:
    """Number of whole-word matches of `pattern` in normalised `text`."""
    return len(compile_pattern(pattern).findall(text))


NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|thousand|million|billion|half|double|doubled|tripled|twice|"
    "dozen|dozens"
)
# A quantity: digits (not a bare year), or spelled-out numbers.
QUANTITY = rf"(\$?\d[\d,.]*%?|{NUMBER_WORDS})"
YEAR = r"(19|20)\d\d"
