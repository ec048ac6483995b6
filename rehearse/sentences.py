"""Split a word stream into sentences (pure).

Whisper usually punctuates, but not always: long unpunctuated runs are also
cut at long pauses and where a new clause can begin (before discourse markers,
phase openers and new subjects, never after a word that leaves the clause
unfinished), so that the segmenter sees units of roughly sentence size. Text
whose full stops are sparse (speech typed as said) is cut the same way.
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
# Written answers average about 20-30 words a sentence. A text with fewer full
# stops than one per this many words is raw speech run on (pasted transcripts,
# speech typed as said): its full stops fall where the speaker took breath, not
# at every sentence end, so its long runs are cut at clause starts too.
SPARSE_FULL_STOP_WORDS = 35

_ENDS_SENTENCE = re.compile(r"[.?!][\"')\]\u2019\u201d]*$")
_ABBREVIATIONS = {
    "dr.", "mr.", "mrs.", "ms.", "e.g.", "i.e.", "etc.", "vs.", "u.s.", "st.", "approx.", "a.m.", "p.m.",
}
# A capitalised function word in the middle of a run is a sentence start whose full
# stop was lost (typed or pasted transcripts: "... and no plan We had to present").
# Only closed-class words: a capitalised name ("told Gaz") continues the sentence, and
# "I" is capitalised everywhere.
_CAPITALISED_STARTERS = frozenset({
    "we", "he", "she", "they", "it", "you", "the", "my", "our", "his", "her", "their", "this", "that", "these",
    "those", "there", "so", "and", "but", "then", "after", "now", "when", "because", "if", "also", "since",
    "within", "in", "at", "on", "by", "what", "last", "first", "one", "every", "once", "later", "looking",
    "honestly", "basically", "anyway", "next", "finally", "eventually", "overall", "yeah", "okay", "luckily",
    "unfortunately", "however", "today", "afterwards",
})
# "No." abbreviates "number" only before one ("No. 10"); "I couldn't simply say no. What I did ..."
# ends a sentence.
_NUMBER_ABBREVIATIONS = {"no.", "nos."}
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
    # The same kinds of openers, as other speakers put them.
    "my responsibility", "my objective", "my instructions", "my priority", "my challenge", "it was my",
    "i was responsible", "i was the one", "nobody had asked", "no one had asked", "i began by", "i started with",
    "the first thing", "first thing i", "what i'd do", "if i were", "the main thing", "the biggest lesson",
    "the big thing", "the key lesson", "the takeaway", "my takeaway", "my biggest", "this taught me",
    "that taught me", "it taught me", "the experience", "this experience", "that experience", "it turned out",
    "turned out",
)
# Time adverbials open result sentences ("within a week complaints stopped") but just as
# often close the clause before ("the decision went their way within a week"), so without a
# coordinator before them a cut there is only as likely as one before a new subject, and a
# signpost right after them ("within a week | looking back I ...") is the better place.
_TIME_OPENERS = (
    "within a", "within two", "within three", "within four", "within five", "within six",
    "a week later", "a month later", "a year later",
)
# Coordinators that may open a new sentence in speech ("and then I ...", "but we ...").
_WEAK_MARKERS = frozenset({"and", "but"})
# Unpunctuated speech is cut where a new clause can begin. A clause cannot end
# on a word that still needs its complement: an article or possessive ("the",
# "my"), a conjunction or complementiser ("and", "that", "because", "how"), an
# auxiliary ("was", "had", "would"), a verb that takes a clause ("said",
# "realised"); a subject after one of them continues the sentence ("I realised
# we ...", "because I ...").
_BINDING_WORDS = frozenset({
    "the", "a", "an", "my", "our", "your", "his", "her", "their", "its", "this", "that", "these", "those",
    "every", "each", "some", "any", "no", "all", "both", "which", "who", "whom", "whose", "what", "where", "how", "why",
    "than", "as", "like", "after", "before", "until", "till", "since",
    "and", "but", "or", "nor", "so", "because", "cause", "if", "when", "whenever", "while", "whilst", "unless",
    "though", "although", "whether", "once",
    "is", "was", "were", "are", "am", "be", "been", "being", "had", "has", "have", "do", "did", "does",
    "will", "would", "could", "should", "can", "might", "must", "may", "shall", "i'd", "we'd", "i'll", "we'll",
    "said", "say", "says", "think", "thought", "know", "knew", "realised", "realized", "learned", "learnt",
    "felt", "feel", "told", "tell", "noticed", "found", "decided", "meant", "hoped", "agreed", "suggested",
    "explained", "mean", "guess", "believe", "believed", "discovered", "showed", "taught", "reminded",
    "figured", "understood", "remember", "remembered", "saw", "see", "hope", "wish", "sure", "clear", "assumed",
    "ensure", "ensuring", "ensured", "means", "knowing", "realising", "realizing", "saying", "thinking",
    "i", "we", "he", "she", "they", "um", "uh", "er", "erm", "just", "really", "even", "not", "then",
    # "a hundred and twenty": a number goes on after "and".
    "hundred", "thousand", "million",
})
# A preposition needs a noun phrase after it ("about the situation"), but it can
# also end a clause, stranded or as a particle ("which nobody paid for", "when I
# took over"), and a subject pronoun ("I", "we") is never its object: it binds
# only a following noun phrase.
_PREPOSITIONS = frozenset({
    "of", "to", "in", "on", "at", "for", "with", "from", "by", "about", "into", "onto", "over", "under",
    "between", "through", "without", "during",
})
# An article or possessive determiner never ends a clause: "the next", "my first thing" go on.
_ARTICLES = frozenset({"the", "a", "an", "my", "our", "your", "their", "its", "every", "each"})
_NOUN_PHRASE_STARTS = frozenset({"the", "a", "an", "my", "our", "his", "her", "their", "its", "this", "that"})
# Sentence adverbs that link a sentence to the one before ("additionally I ...",
# "unfortunately the client ..."); in unpunctuated speech they open a sentence
# unless a binding word comes first ("we unfortunately lost" has "we" before it).
_CONNECTIVES = frozenset({
    "however", "additionally", "unfortunately", "fortunately", "luckily", "thankfully", "sadly",
    "otherwise", "meanwhile", "surprisingly", "initially", "consequently", "therefore",
})
# Words that lead into the clause after them ("so what I did", "um, I think the
# main thing"): a boundary found after them moves to before them.
_LEAD_INS = frozenset({"so", "and", "but", "then", "um", "uh", "er", "erm", "yeah", "okay", "basically", "well",
                       "honestly", "anyway", "i think", "i guess"}) | _CONNECTIVES
# Subjects that open a new clause.
_SUBJECT_PRONOUNS = frozenset({"i", "we", "he", "she", "they"})
# "so that ...", "so they could ...": purpose, not a new sentence.
_PURPOSE_AFTER_SO = frozenset({"that", "as", "much", "many", "far", "long"})
# A noun phrase opens a clause when a finite verb follows it closely ("the team kept
# it", "my numbers went up"), unless the word before is a verb that takes it as its
# object ("I fixed the bug"): regular past tenses and these irregular ones.
_DETERMINERS = frozenset({"the", "my", "our", "his", "her", "their"})
_IRREGULAR_PAST = frozenset({
    "was", "were", "had", "went", "got", "came", "took", "made", "said", "gave", "kept", "fell", "rose", "grew",
    "became", "left", "began", "saw", "found", "told", "felt", "knew", "thought", "ran", "won", "lost", "sent",
    "built", "wrote", "met", "brought", "put", "set", "cut", "paid", "sold", "bought", "held", "led", "spent",
})
# A negated auxiliary marks a finite verb as a past tense does ("the fire didn't get into the roof").
_NEGATED_AUXILIARIES = frozenset({"didn't", "wasn't", "weren't", "couldn't", "hadn't", "never", "won't", "isn't", "aren't"})
# Pronouns that can only be subjects or objects of their own clause ("nobody complained", "everything went out").
_INDEFINITE_SUBJECTS = frozenset({"everything", "everyone", "everybody", "nobody", "nothing", "someone", "somebody"})
# Speakers pause at sentence ends: in voiced answers a gap of 0.3 s or more
# follows three in five sentence ends but only one in sixty other words. A pause
# makes a place one step likelier to start a sentence (not after a binding word,
# where it is a hesitation: "we moved to the ... new database").
PAUSE_BOUNDARY_S = 0.3
# Unpunctuated runs are cut only at places at least this likely to start a sentence;
# weaker places serve to keep pieces under MAX_SENTENCE_WORDS.
MIN_BOUNDARY_STRENGTH = 2


def _ends_sentence(token: str, following: str) -> bool:
    if token.lower() in _NUMBER_ABBREVIATIONS:
        return not following[:1].isdigit()
    if _ENDS_SENTENCE.search(token):
        return token.lower() not in _ABBREVIATIONS
    return _starts_sentence(following)


def _starts_sentence(token: str) -> bool:
    """A capitalised function word ("We", "Now"), which only a new sentence would capitalise."""
    word = token.rstrip(",;:")
    return word.istitle() and word.isalpha() and word.lower() in _CAPITALISED_STARTERS


def split_sentences(words: Sequence[Word]) -> list[Sentence]:
    """Group words into sentences at punctuation, long pauses and, for long runs, markers."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    for i, word in enumerate(words):
        if current and word.start_s - current[-1].end_s >= SENTENCE_PAUSE_S:
            runs.append(current)
            current = []
        current.append(word)
        if i + 1 < len(words) and _ends_sentence(word.text, words[i + 1].text):
            runs.append(current)
            current = []
    if current:
        runs.append(current)

    full_stops = sum(1 for run in runs if _is_punctuated(run))
    sparse = len(words) > SPARSE_FULL_STOP_WORDS * max(full_stops, 1)
    pieces: list[list[Word]] = []
    for run in runs:
        pieces.extend(_split_long_run(run, trust_full_stops=not sparse))
    return [Sentence(index=i, words=tuple(p)) for i, p in enumerate(pieces)]


def _is_punctuated(run: list[Word]) -> bool:
    """Whether the run is a sentence someone punctuated: it ends with a full stop (or ? or !).

    A run with commas but no full stop is raw speech run on, not one long sentence.
    """
    return bool(_ENDS_SENTENCE.search(run[-1].text))


def _split_long_run(run: list[Word], trust_full_stops: bool) -> list[list[Word]]:
    """Cut a long run where a clause can begin.

    A punctuated sentence is kept whole up to MAX_PUNCTUATED_SENTENCE_WORDS:
    cutting a long but real sentence loses more context than it gains. Where
    full stops are sparse, the text is speech run on and its runs are cut as such.
    """
    if trust_full_stops and _is_punctuated(run):
        return _split_run_on(run) if len(run) > MAX_PUNCTUATED_SENTENCE_WORDS else [run]
    if len(run) <= MAX_SENTENCE_WORDS:
        return [run]
    return _split_run_on(run)


def _boundary_strength(tokens: list[str], i: int) -> int:
    """How likely a new sentence starts at tokens[i] in unpunctuated speech.

    3 before a phase opener, 2 at a discourse marker or a new subject, 1 at a bare
    "and"/"but", 0 elsewhere, -1 where the clause before is unfinished (the last
    place to cut a piece that is too long).
    """
    before, token = tokens[i - 1], tokens[i]
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    ahead = " ".join(tokens[i : i + 3])
    if before in _ARTICLES:
        return -1
    # "told them about the situation": an opener that is a noun phrase is the object of a preposition.
    if ahead.startswith(_PHASE_OPENERS) and not (before in _PREPOSITIONS and token in _NOUN_PHRASE_STARTS):
        return 3
    # After a coordinator ("and within a month the gaps were gone") the adverbial opens the new clause.
    if ahead.startswith(_TIME_OPENERS):
        return 3 if before in _LEAD_INS else 2
    # "so that", "so they could": a purpose clause, part of the sentence it follows.
    if token in _STRONG_MARKERS and not (token == "so" and after in _PURPOSE_AFTER_SO):
        return 2
    if _binds(tokens, i):
        return -1
    # "and I ...", "but we ...": a coordinated new clause with its own subject.
    if token in _WEAK_MARKERS and after in _SUBJECT_PRONOUNS | _STRONG_MARKERS:
        return 2
    if token in _SUBJECT_PRONOUNS or token in _CONNECTIVES:
        return 2
    if token in _DETERMINERS and not _is_past(before) and any(_is_finite(t) for t in tokens[i + 2 : i + 5]):
        return 2
    # "... it's late | the customer never complained", "| everything went out on Thursday".
    if token in _INDEFINITE_SUBJECTS and not _is_past(before) and any(_is_finite(t) for t in tokens[i + 1 : i + 3]):
        return 2
    if token in _WEAK_MARKERS:
        return 1
    return 0


def _binds(tokens: list[str], i: int) -> bool:
    """Whether the word before tokens[i] leaves its clause unfinished, so a subject there cannot start a sentence.

    ("I realised we ...", "told them about the manager ..."). A lead-in is not
    binding ("and we", "I think the team"): the cut moves to before it.
    """
    before = tokens[i - 1]
    if before in _LEAD_INS or " ".join(tokens[max(i - 2, 0) : i]) in _LEAD_INS:
        return False
    return before in _BINDING_WORDS or (before in _PREPOSITIONS and tokens[i] in _NOUN_PHRASE_STARTS)


def _is_past(token: str) -> bool:
    return token.endswith("ed") or token in _IRREGULAR_PAST


def _is_finite(token: str) -> bool:
    return _is_past(token) or token in _NEGATED_AUXILIARIES


def _lead_in_start(tokens: list[str], i: int) -> int:
    """Where the lead-in words ("so", "and um", "I think") before tokens[i] begin, at most three words back."""
    start = i
    while start > 1 and i - start < 3:
        if tokens[start - 1] in _LEAD_INS:
            start -= 1
        elif start > 2 and f"{tokens[start - 2]} {tokens[start - 1]}" in _LEAD_INS:
            start -= 2
        else:
            break
    return start


def _split_run_on(run: list[Word]) -> list[list[Word]]:
    """Cut unpunctuated speech into sentence-sized pieces, strongest boundaries first.

    Every word is scored as a possible sentence start (a pause before it adds to
    its score, when word timings come from speech); cuts are taken in order
    of strength as long as no piece gets shorter than MIN_SENTENCE_WORDS, so a
    weak cut never blocks a stronger one a few words on. Pieces still longer
    than MAX_SENTENCE_WORDS are then cut at their strongest remaining place.
    """
    tokens = [normalise_token(w.text) for w in run]
    strength = [0] + [_boundary_strength(tokens, i) for i in range(1, len(run))]
    for i in range(1, len(run)):
        start = _lead_in_start(tokens, i)
        if strength[i] > 0 and start < i:
            strength[start], strength[i] = max(strength[start], strength[i]), 0
    for i in range(1, len(run)):
        if strength[i] >= 0 and (run[i].start_s - run[i - 1].end_s >= PAUSE_BOUNDARY_S or _ends_clause(run[i - 1].text)):
            strength[i] += 1
    cuts: list[int] = [0, len(run)]
    for i in sorted(range(1, len(run)), key=lambda i: (-strength[i], i)):
        if strength[i] < MIN_BOUNDARY_STRENGTH:
            break
        if all(abs(i - c) >= MIN_SENTENCE_WORDS for c in cuts):
            cuts.append(i)
    cuts.sort()
    pieces: list[list[Word]] = []
    for a, b in zip(cuts, cuts[1:]):
        pieces.extend(_cut_to_length(run, strength, a, b))
    return pieces


def _ends_clause(token: str) -> bool:
    return token.endswith((",", ";", ":"))


def _cut_to_length(run: list[Word], strength: list[int], a: int, b: int) -> list[list[Word]]:
    """run[a:b], cut at its strongest inner boundary until no piece exceeds MAX_SENTENCE_WORDS."""
    if b - a <= MAX_SENTENCE_WORDS:
        return [run[a:b]]
    inner = range(a + MIN_SENTENCE_WORDS, b - MIN_SENTENCE_WORDS + 1)
    middle = (a + b) / 2
    cut = max(inner, key=lambda i: (strength[i], -abs(i - middle)))
    return _cut_to_length(run, strength, a, cut) + _cut_to_length(run, strength, cut, b)
