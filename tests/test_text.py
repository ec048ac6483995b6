"""The literal prefilter for cue patterns: it may only skip searches that could not match."""

from pathlib import Path

import pytest

from rehearse.labels import load_labelled
from rehearse.sentences import split_sentences
from rehearse.star import CUES
from rehearse.text import find, normalise_sentence, required_literals

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(("pattern", "expected"), [
    # An optional part requires nothing; the fixed run does.
    (r"(so )?what i did (was|is)", {"what i did "}),
    # Every branch must bring its own literal.
    (r"a|bc", {"a", "bc"}),
    # Of two requirements in a sequence, the one with the longer shortest string is kept.
    (r"(?<!that )i (\w+ly )?(built|wrote)", {"built", "wrote"}),
    (r"(\w+ )?(days?|weeks?) later", {" later"}),
    (r"\d+%", {"%"}),
    (r"\w+ed", {"ed"}),
])
def test_required_literals_of_common_pattern_shapes(pattern, expected):
    assert required_literals(pattern) == expected


@pytest.mark.parametrize("pattern", [r"\w+", r"(a|\d)", r"(?i)result", r"x*"])
def test_no_requirement_where_none_is_certain(pattern):
    assert required_literals(pattern) is None


def test_every_cue_match_contains_one_of_its_literals():
    """On real sentences, a cue that matches always has one of its literals in the text."""
    anchors = [(cue.pattern, required_literals(cue.pattern)) for cue in CUES]
    matches = 0
    for name in ("devset", "blind", "heldout-hard1"):
        for path in sorted((FIXTURES / name).glob("*.json")):
            for sentence in split_sentences(load_labelled(path).words):
                text = normalise_sentence(sentence).text
                for pattern, literals in anchors:
                    if literals is not None and find(pattern, text):
                        matches += 1
                        assert any(literal in text for literal in literals), (pattern, text)
    assert matches > 1000
