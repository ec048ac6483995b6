"""The inputs of `rehearse report`: JSON reports, audio files (analysed first) and takes from the history.

All three become a TakeReport holding the JSON report data (schema rehearse.report/1), so every writer
reads one structure whatever the input was.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rehearse.errors import InputFileError, RehearseError
from rehearse.history import History, StoredTake, is_take_ref
from rehearse.report.clock import clock
from rehearse.report.summary import PHASE_NAMES, figures, source_text

SCHEMA = "rehearse.report/1"
LIST_SCHEMA = SCHEMA + "-list"


@dataclass(frozen=True)
class TakeReport:
    """One take to show: its JSON report, where its audio is (if found), and its history row (if any)."""

    report: dict[str, Any]
    audio: Path | None = None
    take: StoredTake | None = None

    @property
    def title(self) -> str:
        """The question when one is known, else the file the answer came from."""
        if self.take is not None and self.take.question:
            return self.take.question
        return self.file_name

    @property
    def file_name(self) -> str:
        path = self.report["input"]["path"]
        return "stdin" if path == "-" else Path(path).name

    @property
    def story(self) -> str | None:
        return self.take.story if self.take is not None else None

    @property
    def question(self) -> str | None:
        return self.take.question if self.take is not None else None

    def byline(self) -> list[str]:
        """Plain-text facts under the take's title: take id and date, story, file, length, model."""
        parts = []
        if self.take is not None:
            parts.append(f"{self.take.ref}, {self.take.recorded_at.astimezone():%Y-%m-%d %H:%M}")
        if self.story:
            parts.append(f"story {self.story}")
        parts += [self.report["input"]["path"], f"{clock(figures(self.report).total_s)} of speech",
                  source_text(self.report)]
        return parts


# Analyses one audio file; returns its JSON report and the history row it was saved as (or None).
AnalyzeAudio = Callable[[Path], tuple[dict[str, Any], StoredTake | None]]


def gather(inputs: list[str], analyze_audio: AnalyzeAudio, on_error: Callable[[RehearseError], None],
           history: History | None = None) -> list[TakeReport]:
    """Every input as TakeReports, in the order given; a bad input goes to `on_error` and is skipped.

    JSON files and takes are read first, so a typo fails at once, before minutes of transcription.
    """
    history = history or History()
    slots: list[list[TakeReport] | Path | None] = []
    for text in inputs:
        try:
            slots.append(_read_quick(text, history))
        except RehearseError as exc:
            on_error(exc)
            slots.append(None)
    result: list[TakeReport] = []
    for slot in slots:
        if isinstance(slot, Path):
            try:
                report, take = analyze_audio(slot)
            except RehearseError as exc:
                on_error(exc)
                continue
            result.append(TakeReport(report, slot, take))
        elif slot:
            result.extend(slot)
    return result


def _read_quick(text: str, history: History) -> list[TakeReport] | Path:
    """A take or JSON file read now; an audio file checked and returned for analysis later."""
    if is_take_ref(text):
        take, report = history.load(text)
        _check_report(report, text)
        return [TakeReport(report, _find_audio(report, [Path(take.path), Path(report["input"]["path"])]), take)]
    path = Path(text)
    if path.is_dir():
        raise InputFileError(f"{path}: is a directory; pass JSON reports, audio files or take ids such as take:12")
    if not path.exists():
        raise InputFileError(f"{path}: no such file; check the path (take ids look like take:12)")
    if path.suffix.lower() == ".json":
        return [TakeReport(report, _find_audio(report, _audio_candidates(report, path)))
                for report in load_json_reports(path)]
    return path


def load_json_reports(path: Path) -> list[dict[str, Any]]:
    """The reports in a JSON file written by `--json`: one report, a report list, or a JSON array of reports."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputFileError(f"{path}: is not valid JSON; pass a report written by rehearse analyze --json") from None
    if isinstance(data, dict) and data.get("schema") == LIST_SCHEMA:
        reports = data.get("reports")
    elif isinstance(data, list):
        reports = data
    else:
        reports = [data]
    if not isinstance(reports, list) or not reports:
        raise InputFileError(f"{path}: holds no reports; pass a report written by rehearse analyze --json")
    for report in reports:
        _check_report(report, str(path))
    return reports


def _check_report(report: Any, name: str) -> None:
    """Refuse a file that is not a report, or whose fields have the wrong types.

    The writers trust these types (numbers are formatted as numbers, phase names pick colours), so a
    hand-edited or hostile file fails here with one line instead of deep inside a writer.
    """
    problem = _problem(report)
    if problem:
        raise InputFileError(f"{name}: is not a rehearse report ({problem}); write one with rehearse analyze --json")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _phase(value: Any) -> bool:
    return value in PHASE_NAMES


def _optional_phase(value: Any) -> bool:
    return value is None or value in PHASE_NAMES


_ITEM_FIELDS: dict[str, dict[str, Callable[[Any], bool]]] = {
    "words": {"text": _text, "start_s": _number, "end_s": _number, "phase": _phase},
    "phases": {"name": _phase, "start_s": _number, "end_s": _number, "duration_s": _number, "share": _number,
               "words": _number},
    "findings": {"rule": _text, "severity": lambda v: v in ("info", "warning"), "phase": _optional_phase,
                 "start_s": _number, "end_s": _number, "quote": _text, "message": _text, "suggestion": _text},
}


def _problem(report: Any) -> str | None:
    if not isinstance(report, dict) or report.get("schema") != SCHEMA:
        return f"no schema {SCHEMA}"
    source = report.get("input")
    if not isinstance(source, dict) or source.get("kind") not in ("audio", "text") or not _text(source.get("path")):
        return "'input' needs kind and path"
    if not isinstance(report.get("settings", {}), dict) or not _number(
            report.get("settings", {}).get("situation_limit_s", 45.0)):
        return "'settings.situation_limit_s' is not a number"
    if report.get("model") is not None and not _text(report["model"]):
        return "'model' is not text"
    for key, fields in _ITEM_FIELDS.items():
        items = report.get(key)
        if not isinstance(items, list):
            return f"'{key}' is not a list"
        for item in items:
            bad = next((f for f, ok in fields.items() if not isinstance(item, dict) or not ok(item.get(f))), None)
            if bad:
                return f"'{key}' has an item with a missing or wrong '{bad}'"
    if not report["phases"] or not report["words"]:
        return "no phases or words"
    return _delivery_problem(report.get("delivery"))


def _delivery_problem(delivery: Any) -> str | None:
    if delivery is None:
        return None
    ok = (isinstance(delivery, dict) and _number(delivery.get("wpm")) and _number(delivery.get("articulation_wpm"))
          and isinstance(delivery.get("pauses"), list) and isinstance(delivery.get("fillers"), dict)
          and all(_number(delivery["fillers"].get(k)) for k in ("count", "per_minute", "share_of_words"))
          and isinstance(delivery.get("phases"), list)
          and all(isinstance(p, dict) and _phase(p.get("name")) and _number(p.get("wpm")) for p in delivery["phases"]))
    return None if ok else "'delivery' has a missing or wrong field"


def _audio_candidates(report: dict[str, Any], json_path: Path) -> list[Path]:
    """Where the audio of a JSON report may be: its recorded path, or beside the JSON file."""
    recorded = Path(report["input"]["path"])
    return [recorded, json_path.parent / recorded, json_path.parent / recorded.name]


def _find_audio(report: dict[str, Any], candidates: list[Path]) -> Path | None:
    if report["input"]["kind"] != "audio":
        return None
    return next((p for p in candidates if p.is_file()), None)
