"""The rulebook: every check's phrase patterns, thresholds, messages and suggestions, as data.

The packaged default is `rulebook.toml` next to this module. A coach's file (`--rules FILE`) is
merged on top of it, in the same format:

    disable = ["no-second-order-effect"]          # switch rules off

    [fragments]                                   # shared pieces, used as {name} in patterns
    our_product = "(?:acme|acme cloud)"

    [rules.generic-reflection.extra_patterns]     # add phrases to a built-in rule
    generic = ["the customer is always right"]

    [rules.we-not-i.thresholds]                   # override a built-in threshold
    share_limit = 0.34

    [rules.no-business-impact]                    # or its wording
    suggestion = "Say what it meant for patients: fewer readmissions, shorter waits."

    [rules.jargon-in-result]                      # a new rule: `kind = "phrase"` marks a definition
    kind = "phrase"
    phases = ["result"]
    severity = "info"                             # "info" or "warning"
    mode = "present"                              # fires on a match ("absent": fires when nothing matches)
    patterns.pattern = ["synerg(?:y|ies)", "leverag(?:e|ed|ing)"]
    unless = "for example"                        # optional: a match in the same sentence silences it
    message = "Jargon in the Result hides what actually changed."
    suggestion = "Name the change: 'the report now takes 5 minutes instead of 2 hours'."
    focus = "outcome-first"                       # optional: run only under this focus profile

Patterns are regular expressions matched whole-word on normalised text (lower case, no edge
punctuation, fillers removed); `~verb` matches any form of the verb ("~send" = send|sends|sent|
sending) and `{name}` a fragment. Ids must not collide: defining (`kind = ...`) an id that already
exists is an error, and changing an existing rule is only done by naming it without `kind`.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rehearse.errors import RehearseError
from rehearse.text import compile_pattern
from rehearse.types import PHASES, Phase, Severity

DEFAULT_RULEBOOK = "rulebook.toml"
SEVERITIES: tuple[Severity, ...] = ("info", "warning")
# Rule kinds whose logic is in Python; only "phrase" rules can be defined in a rulebook file.
DEFINABLE_KINDS = ("phrase",)
PHRASE_MODES = ("present", "absent")

_RULE_KEYS = frozenset({
    "kind", "severity", "message", "suggestion", "patterns", "extra_patterns", "thresholds", "phases",
    "unless", "mode", "focus", "enabled",
})
_FRAGMENT_REF = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_LEMMA_REF = re.compile(r"~([a-z]+)")


class RulebookError(RehearseError):
    """A rulebook file cannot be read or says something the checks cannot use."""


class RuleNameError(RulebookError):
    """An unknown focus profile or rule id was asked for (a usage error: the CLI exits 2)."""


# --- lemmas -----------------------------------------------------------------------------------------

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "bring": ("brought",), "build": ("built",), "buy": ("bought",), "catch": ("caught",), "choose": ("chose", "chosen"),
    "deal": ("dealt",), "dig": ("dug",), "do": ("did", "done", "does"), "draw": ("drew", "drawn"), "drive": ("drove", "driven"),
    "fall": ("fell", "fallen"), "feel": ("felt",), "find": ("found",), "fly": ("flew", "flown"), "get": ("got", "gotten"),
    "give": ("gave", "given"), "go": ("went", "gone", "goes"), "grow": ("grew", "grown"), "hold": ("held",),
    "keep": ("kept",), "know": ("knew", "known"), "lead": ("led",), "learn": ("learnt",), "leave": ("left",),
    "make": ("made",), "mean": ("meant",), "meet": ("met",), "pay": ("paid",), "rise": ("rose", "risen"),
    "run": ("ran",), "say": ("said",), "see": ("saw", "seen"), "seek": ("sought",), "sell": ("sold",),
    "send": ("sent",), "spend": ("spent",), "stand": ("stood",), "take": ("took", "taken"), "teach": ("taught",),
    "tell": ("told",), "think": ("thought",), "understand": ("understood",), "win": ("won",), "write": ("wrote", "written"),
    "sit": ("sat",), "lose": ("lost",), "speak": ("spoke", "spoken"), "break": ("broke", "broken"), "shoot": ("shot",),
}
_VOWELS = "aeiou"


@lru_cache(maxsize=1024)
def inflections(verb: str) -> tuple[str, ...]:
    """Every form of a verb a speaker may use (over-generating is harmless for matching)."""
    forms = {verb, *_IRREGULAR.get(verb, ())}
    if verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing", verb + "ing"}
    elif verb.endswith("y") and len(verb) > 1 and verb[-2] not in _VOWELS:
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {verb + "es", verb + "ed", verb + "ing"}
    else:
        forms |= {verb + "s", verb + "ed", verb + "ing"}
        if len(verb) >= 3 and verb[-1] not in _VOWELS + "wxy" and verb[-2] in _VOWELS and verb[-3] not in _VOWELS:
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}  # stop -> stopped, plan -> planning
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


def expand(pattern: str, fragments: Mapping[str, str], _seen: tuple[str, ...] = ()) -> str:
    """A rulebook pattern as a plain regular expression: fragments and ~lemmas expanded."""

    def fragment(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise RulebookError(f"pattern {pattern!r} uses {{{name}}}, which no [fragments] entry defines")
        if name in _seen:
            raise RulebookError(f"fragment {{{name}}} refers to itself")
        return "(?:" + expand(fragments[name], fragments, (*_seen, name)) + ")"

    expanded = _FRAGMENT_REF.sub(fragment, pattern)
    return _LEMMA_REF.sub(lambda m: "(?:" + "|".join(inflections(m.group(1))) + ")", expanded)


def _alternatives(value: Any, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "(?:" + "|".join(f"(?:{v})" for v in value) + ")"
    raise RulebookError(f"{where}: a pattern must be a string or a non-empty list of strings")


# --- the rulebook -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """One rule as data: what it looks for, its thresholds, and what it says."""

    id: str
    kind: str
    severity: Severity = "warning"
    message: str = ""
    suggestion: str = ""
    # Name -> regular expression source, fragments and lemmas already expanded.
    patterns: Mapping[str, str] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    phases: tuple[Phase, ...] = ()
    mode: str = "present"
    # Set for focus rules: the rule runs only when one of these profiles is active.
    focus: tuple[str, ...] = ()
    custom: bool = False
    # Rule-specific settings that are neither patterns nor thresholds (missing-phase's per-phase text).
    extra: Mapping[str, Any] = field(default_factory=dict)

    def pattern(self, name: str) -> str:
        return self.patterns[name]

    def threshold(self, name: str) -> float:
        return self.thresholds[name]

    def say(self, template: str | None = None, **values: Any) -> str:
        """The message (or `template`) with {placeholders} filled; unknown ones are left as written."""
        text = self.message if template is None else template
        return _FORMATTER.vformat(text, (), _Lenient(values))


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class FocusProfile:
    """An interviewer emphasis: the rules it adds and the thresholds it tightens."""

    name: str
    description: str
    rules: tuple[str, ...]
    # "rule-id.threshold" -> value
    thresholds: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Rulebook:
    """All rules, focus profiles and switched-off rules; build with `load_rulebook`.

    Compared and hashed by identity, so the checks can cache their plan per rulebook.
    """

    rules: Mapping[str, RuleSpec]
    focus_profiles: Mapping[str, FocusProfile]
    disabled: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ("default",)

    def rule(self, rule_id: str) -> RuleSpec:
        return self.rules[rule_id]

    def active_rules(self, focus: Iterable[str] = (), disabled: Iterable[str] = ()) -> tuple[str, ...]:
        """Ids of the rules that run under `focus`, in rulebook order, minus the disabled ones.

        A rule that belongs to a focus profile runs only when that profile is active.
        """
        focus = frozenset(focus)
        off = self.disabled | frozenset(disabled)
        return tuple(rule_id for rule_id, spec in self.rules.items()
                     if rule_id not in off and (not spec.focus or focus & set(spec.focus)))

    def for_focus(self, focus: Iterable[str]) -> Rulebook:
        """The rulebook with the threshold overrides of the `focus` profiles applied."""
        rules = dict(self.rules)
        for name in focus:
            for key, value in self.focus_profiles[name].thresholds.items():
                rule_id, threshold = key.rsplit(".", 1)
                rules[rule_id] = replace(rules[rule_id], thresholds={**rules[rule_id].thresholds, threshold: value})
        return replace(self, rules=rules)

    def validate_names(self, focus: Iterable[str] = (), disabled: Iterable[str] = ()) -> None:
        """Raise RulebookError naming the valid choices if a focus or rule id is unknown."""
        for name in focus:
            if name not in self.focus_profiles:
                raise RuleNameError(
                    f"unknown focus {name!r}; choose from: {', '.join(self.focus_profiles)}")
        for rule_id in disabled:
            if rule_id not in self.rules:
                raise RuleNameError(
                    f"cannot disable unknown rule {rule_id!r}; rule ids are: {', '.join(self.rules)}")


def load_rulebook(paths: str | Path | Iterable[str | Path] | None = None) -> Rulebook:
    """The packaged default rulebook, with each coach's file in `paths` merged on top in order.

    Raises RulebookError (a RehearseError) with the file and the fix for a missing or unreadable
    file, bad TOML, an unknown key, a rule id collision or a pattern that does not compile.
    """
    if paths is None:
        return default_rulebook()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    raw = _default_raw()
    sources = ["default"]
    for path in paths:
        path = Path(path)
        raw = _merge(raw, _read(path), str(path))
        sources.append(str(path))
    return _build(raw, tuple(sources))


@lru_cache(maxsize=1)
def default_rulebook() -> Rulebook:
    """The packaged rulebook, built once per process."""
    return _build(_default_raw(), ("default",))


def _default_raw() -> dict[str, Any]:
    text = resources.files("rehearse.checks").joinpath(DEFAULT_RULEBOOK).read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    for rule_id, table in raw.get("rules", {}).items():
        table.setdefault("kind", rule_id)  # built-in rules are run by the Python function of the same id
        table["_builtin"] = True
    return raw


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulebookError(f"{path}: rules file not found; check the path given to --rules") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulebookError(f"{path}: cannot read the rules file ({exc}); it must be a UTF-8 TOML file") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulebookError(f"{path}: not valid TOML ({exc}); fix the file or see `rehearse/checks/rulebook.toml`") from None


def _merge(base: dict[str, Any], coach: dict[str, Any], where: str) -> dict[str, Any]:
    """`coach`'s additions and overrides on top of `base` (neither is modified)."""
    unknown = set(coach) - {"version", "disable", "fragments", "rules", "focus"}
    if unknown:
        raise RulebookError(f"{where}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
                            "expected disable, fragments, rules, focus")
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    disable = coach.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise RulebookError(f"{where}: `disable` must be a list of rule ids")
    merged["disable"] = [*base.get("disable", []), *disable]
    merged["fragments"] = {**base.get("fragments", {}), **coach.get("fragments", {})}
    rules = {k: dict(v) for k, v in base.get("rules", {}).items()}
    for rule_id, table in coach.get("rules", {}).items():
        if not isinstance(table, dict):
            raise RulebookError(f"{where}: rules.{rule_id} must be a table")
        if "kind" in table:
            if rule_id in rules:
                owner = "a built-in rule" if rules[rule_id].get("_builtin") else "already defined by an earlier rules file"
                raise RulebookError(
                    f"{where}: rules.{rule_id} is {owner}; give your rule a new id, or drop `kind` to change "
                    "the existing rule's patterns, thresholds or wording")
            if table["kind"] not in DEFINABLE_KINDS:
                raise RulebookError(f"{where}: rules.{rule_id}: kind must be one of {', '.join(DEFINABLE_KINDS)}")
            rules[rule_id] = {**table, "_custom": True, "_source": where}
            continue
        if rule_id not in rules:
            raise RulebookError(
                f"{where}: rules.{rule_id} is not a known rule; to define a new one add kind = \"phrase\" "
                f"(known rules: {', '.join(rules)})")
        rules[rule_id] = _merge_rule(rules[rule_id], table, f"{where}: rules.{rule_id}")
    merged["rules"] = rules
    focus = {k: dict(v) for k, v in base.get("focus", {}).items()}
    for name, table in coach.get("focus", {}).items():
        current = focus.get(name, {"description": "", "rules": [], "thresholds": {}})
        focus[name] = {
            "description": table.get("description", current.get("description", "")),
            "rules": [*current.get("rules", []), *table.get("rules", [])],
            "thresholds": {**current.get("thresholds", {}), **table.get("thresholds", {})},
        }
    merged["focus"] = focus
    return merged


def _merge_rule(base: dict[str, Any], override: dict[str, Any], where: str) -> dict[str, Any]:
    unknown = set(override) - _RULE_KEYS
    if unknown:
        raise RulebookError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; expected {', '.join(sorted(_RULE_KEYS))}")
    merged = {**base, **{k: v for k, v in override.items() if k not in ("patterns", "extra_patterns", "thresholds")}}
    patterns = dict(base.get("patterns", {}))
    for name, value in override.get("patterns", {}).items():
        if name not in patterns:
            raise RulebookError(f"{where}: no pattern called {name!r}; this rule's patterns are {', '.join(patterns)}")
        patterns[name] = value
    for name, value in override.get("extra_patterns", {}).items():
        if name not in patterns:
            raise RulebookError(f"{where}: no pattern called {name!r} to extend; this rule's patterns are {', '.join(patterns)}")
        current = patterns[name] if isinstance(patterns[name], list) else [patterns[name]]
        patterns[name] = [*current, *(value if isinstance(value, list) else [value])]
    merged["patterns"] = patterns
    thresholds = dict(base.get("thresholds", {}))
    for name, value in override.get("thresholds", {}).items():
        if name not in thresholds:
            raise RulebookError(f"{where}: no threshold called {name!r}; this rule's thresholds are {', '.join(thresholds) or 'none'}")
        thresholds[name] = value
    merged["thresholds"] = thresholds
    return merged


def _build(raw: dict[str, Any], sources: tuple[str, ...]) -> Rulebook:
    fragments = {name: _alternatives(value, f"fragments.{name}") for name, value in raw.get("fragments", {}).items()}
    profiles: dict[str, FocusProfile] = {}
    for name, table in raw.get("focus", {}).items():
        profiles[name] = FocusProfile(name, table.get("description", ""), tuple(table.get("rules", ())),
                                      {k: float(v) for k, v in table.get("thresholds", {}).items()})
    rules: dict[str, RuleSpec] = {}
    for rule_id, table in raw.get("rules", {}).items():
        rules[rule_id] = _spec(rule_id, table, fragments, profiles)
    # A rule that names its focus joins that profile; a profile's rules run only under it.
    for spec in rules.values():
        for name in spec.focus:
            if spec.id not in profiles[name].rules:
                profiles[name] = replace(profiles[name], rules=(*profiles[name].rules, spec.id))
    for rule_id, spec in list(rules.items()):
        member_of = tuple(p.name for p in profiles.values() if rule_id in p.rules)
        rules[rule_id] = replace(spec, focus=member_of)
    for profile in profiles.values():
        for rule_id in profile.rules:
            if rule_id not in rules:
                raise RulebookError(f"focus.{profile.name} names unknown rule {rule_id!r}")
        for key in profile.thresholds:
            rule_id, _, threshold = key.rpartition(".")
            if rule_id not in rules or threshold not in rules[rule_id].thresholds:
                raise RulebookError(f"focus.{profile.name}: {key!r} is not a rule threshold (write \"rule-id.threshold\")")
    disabled = frozenset(raw.get("disable", ()))
    unknown = disabled - set(rules)
    if unknown:
        raise RulebookError(f"cannot disable unknown rule(s) {', '.join(sorted(unknown))}; rule ids are: {', '.join(rules)}")
    return Rulebook(rules, profiles, disabled | {r for r, t in raw.get("rules", {}).items() if t.get("enabled") is False},
                    sources)


def _spec(rule_id: str, table: dict[str, Any], fragments: Mapping[str, str],
          profiles: Mapping[str, FocusProfile]) -> RuleSpec:
    where = f"{table.get('_source', 'rulebook')}: rules.{rule_id}"
    unknown = set(table) - _RULE_KEYS - {"_builtin", "_custom", "_source"}
    extra = {k: table[k] for k in unknown}
    if table.get("_custom") and unknown:
        raise RulebookError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; expected {', '.join(sorted(_RULE_KEYS))}")
    severity = table.get("severity", "warning")
    if severity not in SEVERITIES:
        raise RulebookError(f"{where}: severity must be \"info\" or \"warning\", not {severity!r}")
    phases = tuple(table.get("phases", ())) if isinstance(table.get("phases", ()), list) else ()
    bad_phases = [p for p in phases if p not in PHASES]
    if bad_phases:
        raise RulebookError(f"{where}: unknown phase(s) {', '.join(bad_phases)}; phases are {', '.join(PHASES)}")
    patterns_raw = dict(table.get("patterns", {}))
    if "unless" in table:
        patterns_raw["unless"] = table["unless"]
    patterns: dict[str, str] = {}
    for name, value in patterns_raw.items():
        source = expand(_alternatives(value, f"{where}.patterns.{name}"), fragments)
        try:
            compile_pattern(source)
        except re.error as exc:
            raise RulebookError(f"{where}: pattern {name!r} is not a valid regular expression ({exc})") from None
        patterns[name] = source
    thresholds: dict[str, float] = {}
    for name, value in table.get("thresholds", {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RulebookError(f"{where}: threshold {name!r} must be a number")
        thresholds[name] = float(value)
    mode = table.get("mode", "present")
    if mode not in PHRASE_MODES:
        raise RulebookError(f"{where}: mode must be \"present\" or \"absent\"")
    focus = table.get("focus", ())
    focus = (focus,) if isinstance(focus, str) else tuple(focus)
    for name in focus:
        if name not in profiles:
            raise RulebookError(f"{where}: focus {name!r} is not a profile; profiles are {', '.join(profiles)}")
    if table.get("_custom"):
        if not phases:
            raise RulebookError(f"{where}: a phrase rule needs phases = [...] (some of {', '.join(PHASES)})")
        if "pattern" not in patterns:
            raise RulebookError(f"{where}: a phrase rule needs patterns.pattern = [...]")
        if not table.get("message") or not table.get("suggestion"):
            raise RulebookError(f"{where}: a phrase rule needs a message and a suggestion")
    return RuleSpec(
        id=rule_id, kind=table["kind"], severity=severity, message=table.get("message", ""),
        suggestion=table.get("suggestion", ""), patterns=patterns, thresholds=thresholds, phases=phases,
        mode=mode, focus=focus, custom=bool(table.get("_custom")), extra=extra,
    )
