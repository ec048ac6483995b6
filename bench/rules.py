"""How often each rule fires on folders of labelled answers, and whether expectations hold.

    python bench/rules.py                                     # fixtures/rules/strong, fixtures/rules/weak
    python bench/rules.py fixtures/heldout fixtures/devset    # any folders of labelled answers (JSON)
    python bench/rules.py --true-phases ...                   # use the labelled phases, not the segmenter
    python bench/rules.py --audio fixtures/audio fixtures/devset-audio   # transcribe *.labels.json audio
    python bench/rules.py --focus ownership --rules coach.toml --disable no-second-order-effect ...
    python bench/rules.py --verbose ...                       # the rules fired on each answer

For each folder: the share of answers each rule fires on, the share with at least one content finding
(a phrasing rule other than missing-phase), and, for answers with "expect": {"fire": [...], "quiet": [...]},
every expected rule that stayed quiet and every forbidden rule that fired. Audio answers take their
expectations from the text answer of the same id (fixtures/answers, fixtures/devset).
Exit code 1 if any expectation fails, so the script can gate a change.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rehearse.checks import FOCUS_RULE_IDS, RULE_IDS, CheckSettings, load_rulebook, run_checks
from rehearse.checks.delivery_checks import DELIVERY_RULES
from rehearse.evaluation import phase_at
from rehearse.labels import load_labelled
from rehearse.sentences import split_sentences
from rehearse.star import segment
from rehearse.timing import phase_spans
from rehearse.types import Phase, PhasedSentence, Word

ROOT = Path(__file__).resolve().parent.parent
# Findings about structure, timing and delivery rather than what the answer says.
NOT_CONTENT = {"missing-phase", "situation-over-45s", "architecture-heavy-opening", *DELIVERY_RULES}
EXPECTATION_DIRS = (ROOT / "fixtures/answers", ROOT / "fixtures/devset")


@dataclass
class Outcome:
    answer_id: str
    fired: set[str]
    expect_fire: tuple[str, ...] = ()
    expect_quiet: tuple[str, ...] = ()

    @property
    def missed(self) -> list[str]:
        return sorted(set(self.expect_fire) - self.fired)

    @property
    def wrongly_fired(self) -> list[str]:
        return sorted(set(self.expect_quiet) & self.fired)


def phased_by_labels(words: list[Word], phases: list[Phase]) -> list[PhasedSentence]:
    """Sentences split as the tool splits them, each given its words' majority labelled phase."""
    index = {id(w): i for i, w in enumerate(words)}
    return [
        PhasedSentence(s, Counter(phases[index[id(w)]] for w in s.words).most_common(1)[0][0])
        for s in split_sentences(words)
    ]


def fired_rules(words: list[Word], phases: list[Phase] | None, settings: CheckSettings) -> set[str]:
    phased = phased_by_labels(words, phases) if phases is not None else segment(split_sentences(words))
    return {f.rule for f in run_checks(phased, phase_spans(phased), settings)}


def text_outcomes(folder: Path, settings: CheckSettings, true_phases: bool) -> list[Outcome]:
    outcomes = []
    for path in sorted(p for p in folder.glob("*.json") if not p.name.endswith(".labels.json")):
        answer = load_labelled(path)
        words = list(answer.words)
        fired = fired_rules(words, list(answer.phases) if true_phases else None, settings)
        outcomes.append(Outcome(answer.id, fired, answer.expect_fire, answer.expect_quiet))
    return outcomes


def _expectations(answer_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    for folder in EXPECTATION_DIRS:
        path = folder / f"{answer_id}.json"
        if path.exists():
            expect = json.loads(path.read_text()).get("expect", {})
            return tuple(expect.get("fire", ())), tuple(expect.get("quiet", ()))
    return (), ()


def audio_outcomes(folder: Path, settings: CheckSettings, true_phases: bool, analyzer) -> list[Outcome]:
    outcomes = []
    for labels_path in sorted(folder.glob("*.labels.json")):
        labels = json.loads(labels_path.read_text())
        report = analyzer.analyze_file(labels_path.parent / labels["audio"])
        if true_phases:
            segments = [(s["phase"], s["start_s"], s["end_s"]) for s in labels["segments"]]
            words = [w for w, _ in report.words]
            truth = [phase_at((w.start_s + w.end_s) / 2, segments) for w in words]
            fired = fired_rules(words, truth, settings)
        else:
            fired = {f.rule for f in report.findings}
        outcomes.append(Outcome(labels["id"], fired, *_expectations(labels["id"])))
    return outcomes


def print_folder(name: str, outcomes: list[Outcome], rule_ids: list[str], verbose: bool) -> int:
    n = len(outcomes)
    print(f"\n{name}: {n} answers")
    if not n:
        return 0
    counts = Counter(r for o in outcomes for r in o.fired)
    for rule in rule_ids:
        print(f"  {rule:<28} {counts[rule]:3d}/{n}  {counts[rule] / n:6.1%}")
    content = sum(bool(o.fired - NOT_CONTENT) for o in outcomes)
    print(f"  {'any content finding':<28} {content:3d}/{n}  {content / n:6.1%}")
    with_expect = [o for o in outcomes if o.expect_fire or o.expect_quiet]
    failures = [o for o in with_expect if o.missed or o.wrongly_fired]
    if with_expect:
        print(f"  expectations: {len(with_expect) - len(failures)}/{len(with_expect)} answers hold")
    for o in failures:
        print(f"    {o.answer_id}: expected but quiet {o.missed or '-'}; forbidden but fired {o.wrongly_fired or '-'}")
    if verbose:
        for o in outcomes:
            print(f"    {o.answer_id:<50} {' '.join(sorted(o.fired)) or '-'}")
    return len(failures)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--true-phases", action="store_true", help="check the labelled phases instead of the segmenter's")
    parser.add_argument("--audio", action="store_true", help="the folders hold *.labels.json and audio")
    parser.add_argument("--focus", action="append", default=[], help="a focus profile (repeatable)")
    parser.add_argument("--rules", action="append", default=[], type=Path, help="a coach's rules file (repeatable)")
    parser.add_argument("--disable", action="append", default=[], help="a rule id to switch off (repeatable)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    rulebook = load_rulebook(args.rules or None)
    settings = CheckSettings(rulebook=rulebook, focus=tuple(args.focus), disabled=frozenset(args.disable))
    rule_ids = [r for r in rulebook.active_rules(settings.focus, settings.disabled)]
    analyzer = None
    if args.audio:
        from rehearse.pipeline import AudioAnalyzer

        analyzer = AudioAnalyzer(None, settings)
    dirs = args.dirs or ([ROOT / "fixtures/audio", ROOT / "fixtures/devset-audio"] if args.audio
                         else [ROOT / "fixtures/rules/strong", ROOT / "fixtures/rules/weak"])
    phases = "labelled phases" if args.true_phases else "segmenter phases"
    print(f"rules: {', '.join(rulebook.sources)}; focus: {', '.join(settings.focus) or 'none'}; {phases}"
          + (f"; known focus rules: {', '.join(FOCUS_RULE_IDS)}" if args.verbose else ""))
    failures = 0
    for folder in dirs:
        outcomes = (audio_outcomes(folder, settings, args.true_phases, analyzer) if args.audio
                    else text_outcomes(folder, settings, args.true_phases))
        failures += print_folder(str(folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder),
                                 outcomes, rule_ids, args.verbose)
    assert set(RULE_IDS) <= set(rulebook.rules)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
