"""The rulebook as data: the packaged defaults, a coach's rules file, switching rules off, errors."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from rehearse.checks import FOCUS_RULE_IDS, RULE_IDS, CheckSettings, RulebookError, RuleNameError, load_rulebook
from rehearse.checks.rulebook import default_rulebook, expand, inflections
from rehearse.errors import RehearseError
from tests.test_checks import answer, rules_fired


def coach_file(tmp_path, text: str):
    path = tmp_path / "coach.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_rulebook_ships_in_the_package_and_covers_every_rule():
    text = resources.files("rehearse.checks").joinpath("rulebook.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text)["version"] == 1
    book = default_rulebook()
    assert set(RULE_IDS) | set(FOCUS_RULE_IDS) == set(book.rules)
    assert set(book.focus_profiles) == {"ownership", "dive-deep", "outcome-first", "tradeoffs"}
    for rule_id in set(RULE_IDS) - {"situation-over-45s", "architecture-heavy-opening"}:
        assert book.rule(rule_id).message, rule_id
    assert book.active_rules() == RULE_IDS


def test_load_rulebook_without_a_file_is_the_cached_default():
    assert load_rulebook() is load_rulebook(None) is default_rulebook()


@pytest.mark.parametrize("verb, form", [("send", "sent"), ("escalate", "escalated"), ("plan", "planned"),
                                        ("try", "tried"), ("message", "messaging"), ("fix", "fixes")])
def test_lemmas_match_every_form_of_a_verb(verb, form):
    assert form in inflections(verb)
    assert expand("i ~" + verb, {}).startswith("i (?:")


def test_a_coach_adds_a_phrase_rule(tmp_path):
    path = coach_file(tmp_path, """
[rules.jargon-in-result]
kind = "phrase"
phases = ["result"]
severity = "info"
patterns.pattern = ["synerg(?:y|ies)", "~leverage"]
unless = "for example"
message = "Jargon in the Result hides what actually changed."
suggestion = "Name the change: 'the report now takes 5 minutes instead of 2 hours'."
""")
    settings = CheckSettings(rulebook=load_rulebook(path))
    weak = answer(result=("We leveraged synergies and the drop rate went from 0.3% to zero, saving $8,000 a week.",
                          "It was adopted as the standard."))
    assert "jargon-in-result" in rules_fired(weak, settings)
    assert "jargon-in-result" not in rules_fired(answer(), settings)
    assert "jargon-in-result" not in rules_fired(weak)  # the default rulebook knows nothing of it


def test_an_absent_phrase_rule_fires_when_nothing_matches(tmp_path):
    path = coach_file(tmp_path, """
[rules.no-patient-outcome]
kind = "phrase"
mode = "absent"
phases = ["result"]
patterns.pattern = "patients?"
message = "The Result never says what changed for patients."
suggestion = "Say it: 'falls fell from 9 to 2 a month'."
""")
    settings = CheckSettings(rulebook=load_rulebook(path))
    assert "no-patient-outcome" in rules_fired(answer(), settings)
    assert "no-patient-outcome" not in rules_fired(
        answer(result=("Patient falls went from 9 to 2 a month, saving 40 bed days.", "The ward adopted it.")), settings)


def test_a_coach_extends_and_overrides_built_in_rules(tmp_path):
    path = coach_file(tmp_path, """
[rules.generic-reflection.extra_patterns]
generic = ["customers? (?:always )?come first"]

[rules.we-not-i.thresholds]
share_limit = 0.3

[rules.no-business-impact]
suggestion = "Say what it meant for patients."
""")
    settings = CheckSettings(rulebook=load_rulebook(path))
    assert "generic-reflection" in rules_fired(answer(reflection="I learned that customers always come first."), settings)
    assert "generic-reflection" not in rules_fired(answer(reflection="I learned that customers always come first."))
    mostly_i = ("I traced it.", "I reproduced it and I wrote the fix.", "We reviewed it and we shipped it.")
    assert "we-not-i" in rules_fired(answer(action=mostly_i), settings)
    assert "we-not-i" not in rules_fired(answer(action=mostly_i))
    assert settings.rules.rule("no-business-impact").suggestion == "Say what it meant for patients."
    assert settings.rules.rule("no-business-impact").message == default_rulebook().rule("no-business-impact").message


def test_any_rule_can_be_switched_off_in_settings_or_in_the_file(tmp_path):
    weak = answer(reflection="I learned communication is important.")
    assert "generic-reflection" in rules_fired(weak)
    assert "generic-reflection" not in rules_fired(weak, CheckSettings(disabled={"generic-reflection"}))
    path = coach_file(tmp_path, 'disable = ["generic-reflection", "situation-over-45s"]\n')
    assert "generic-reflection" not in rules_fired(weak, CheckSettings(rulebook=load_rulebook(path)))


def test_a_coach_rule_can_join_a_focus_profile(tmp_path):
    path = coach_file(tmp_path, """
[rules.no-customer-voice]
kind = "phrase"
mode = "absent"
phases = ["action"]
patterns.pattern = "~interview|~call (?:the )?customers?"
message = "No customer was spoken to."
suggestion = "Say who you talked to."
focus = "dive-deep"
""")
    book = load_rulebook(path)
    assert "no-customer-voice" not in rules_fired(answer(), CheckSettings(rulebook=book))
    assert "no-customer-voice" in rules_fired(answer(), CheckSettings(rulebook=book, focus=("dive-deep",)))


@pytest.mark.parametrize("text, says", [
    ('[rules.we-not-i]\nkind = "phrase"\nphases = ["action"]\npatterns.pattern = "we"\nmessage = "m"\nsuggestion = "s"\n',
     "built-in rule"),
    ('[rules.brand-new]\nmessage = "m"\n', "kind = \"phrase\""),
    ('[rules.we-not-i.thresholds]\nshare_limt = 0.3\n', "share_limt"),
    ('[rules.we-not-i]\nsugestion = "typo"\n', "sugestion"),
    ('[rules.x]\nkind = "phrase"\nphases = ["action"]\npatterns.pattern = "(unclosed"\nmessage = "m"\nsuggestion = "s"\n',
     "regular expression"),
    ('[rules.x]\nkind = "phrase"\nphases = ["actions"]\npatterns.pattern = "a"\nmessage = "m"\nsuggestion = "s"\n',
     "unknown phase"),
    ('[rules.x]\nkind = "phrase"\nphases = ["action"]\npatterns.pattern = "a"\nmessage = "m"\nsuggestion = "s"\n'
     'severity = "error"\n', "severity"),
    ('[rules.x]\nkind = "phrase"\nphases = ["action"]\npatterns.pattern = "{nope}"\nmessage = "m"\nsuggestion = "s"\n',
     "{nope}"),
    ('disable = ["no-such-rule"]\n', "no-such-rule"),
    ('this is not toml', "not valid TOML"),
])
def test_a_bad_rules_file_is_one_clear_error(tmp_path, text, says):
    with pytest.raises(RulebookError, match=None) as error:
        load_rulebook(coach_file(tmp_path, text))
    assert says in str(error.value)
    assert str(tmp_path) in str(error.value) or "cannot disable" in str(error.value) or "{nope}" in str(error.value)
    assert isinstance(error.value, RehearseError)  # the CLI turns it into one line and exit 1


def test_two_coach_files_cannot_define_the_same_rule_id(tmp_path):
    rule = '[rules.mine]\nkind = "phrase"\nphases = ["action"]\npatterns.pattern = "a"\nmessage = "m"\nsuggestion = "s"\n'
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text(rule)
    second.write_text(rule)
    with pytest.raises(RulebookError, match="already defined"):
        load_rulebook([first, second])
    assert load_rulebook([first]).sources == ("default", str(first))


def test_a_missing_rules_file_says_so(tmp_path):
    with pytest.raises(RulebookError, match="not found"):
        load_rulebook(tmp_path / "missing.toml")


@pytest.mark.parametrize("settings, says", [
    (dict(focus=("ownershp",)), "ownership"),
    (dict(disabled={"we-not-me"}), "we-not-i"),
])
def test_unknown_focus_or_rule_names_list_the_valid_ones(settings, says):
    with pytest.raises(RuleNameError, match=says):
        CheckSettings(**settings)


def test_a_single_focus_string_is_accepted():
    assert CheckSettings(focus="ownership").focus == ("ownership",)
