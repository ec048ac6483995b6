"""The history of takes: every analysis kept in a SQLite database in the user's data directory.

Each take stores its whole JSON report (schema rehearse.report/1) plus indexed columns for listing and
trends (story, question, times, finding counts, delivery), so `rehearse history` never parses reports
and `rehearse report take:12` renders exactly what the analysis produced. Standard library only: the
`history` command must start fast.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rehearse.errors import HistoryError
from rehearse.report.summary import figures

DATA_DIR_ENV = "REHEARSE_DATA_DIR"
DB_NAME = "history.sqlite3"
TAKE_PREFIX = "take:"
SCHEMA_VERSION = 1
# Another rehearse process (a second terminal) may be writing; wait for it rather than fail.
BUSY_TIMEOUT_S = 5.0

_CREATE = """
CREATE TABLE IF NOT EXISTS takes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,
    command TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    question TEXT,
    story TEXT COLLATE NOCASE,
    total_s REAL NOT NULL,
    situation_s REAL NOT NULL,
    task_s REAL NOT NULL,
    action_s REAL NOT NULL,
    result_s REAL NOT NULL,
    reflection_s REAL NOT NULL,
    situation_limit_s REAL NOT NULL,
    findings INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    wpm REAL,
    fillers INTEGER,
    report_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS takes_by_story ON takes (story, id);
"""
_COLUMNS = ("id, recorded_at, command, kind, path, question, story, total_s, situation_s, situation_limit_s, "
            "findings, warnings, wpm, fillers")


def data_dir() -> Path:
    """Where rehearse keeps its data: $REHEARSE_DATA_DIR, else $XDG_DATA_HOME/rehearse, else ~/.local/share/rehearse."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    # The XDG spec says a relative value is invalid and must be ignored.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / "rehearse"


def default_path() -> Path:
    return data_dir() / DB_NAME


@dataclass(frozen=True)
class StoredTake:
    """One row of the history, without its report."""

    id: int
    recorded_at: datetime
    command: str
    kind: str
    path: str
    question: str | None
    story: str | None
    total_s: float
    situation_s: float
    situation_limit_s: float
    findings: int
    warnings: int
    wpm: float | None
    fillers: int | None

    @property
    def ref(self) -> str:
        """The id `rehearse report` accepts, e.g. take:12."""
        return f"{TAKE_PREFIX}{self.id}"


def is_take_ref(text: str) -> bool:
    return text.lower().startswith(TAKE_PREFIX)


class History:
    """The takes database at `path` (default: in data_dir()); created on the first save."""

    def __init__(self, path: Path | None = None):
        self.path = path or default_path()

    def add(self, report: dict[str, Any], command: str, story: str | None = None,
            question: str | None = None) -> StoredTake:
        """Store one JSON report; returns the new take."""
        f = figures(report)
        source = _source_path(report)
        row = (
            datetime.now(timezone.utc).isoformat(timespec="seconds"), command, report["input"]["kind"], source,
            question, story, f.total_s, f.phase_s["situation"], f.phase_s["task"], f.phase_s["action"],
            f.phase_s["result"], f.phase_s["reflection"], f.situation_limit_s, f.findings, f.warnings, f.wpm,
            f.fillers, json.dumps(report, ensure_ascii=False),
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)) as db:
                _migrate(db, self.path)
                with db:
                    cursor = db.execute(
                        "INSERT INTO takes (recorded_at, command, kind, path, question, story, total_s, situation_s,"
                        " task_s, action_s, result_s, reflection_s, situation_limit_s, findings, warnings, wpm,"
                        " fillers, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
                take_id = cursor.lastrowid
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"history {self.path}: cannot save the take ({_reason(exc)}); "
                               f"set {DATA_DIR_ENV} to a writable folder or pass --no-history") from None
        return self._get_row(take_id)

    def takes(self, story: str | None = None) -> list[StoredTake]:
        """Every take (or one story's, ignoring case) in the order they were made."""
        where, args = ("WHERE story = ?", (story,)) if story is not None else ("", ())
        return [_row(r) for r in self._query(f"SELECT {_COLUMNS} FROM takes {where} ORDER BY id", args)]

    def load(self, ref: str) -> tuple[StoredTake, dict[str, Any]]:
        """The take named by `take:N` or `take:last`, with its JSON report."""
        key = ref[len(TAKE_PREFIX):].strip().lower() if is_take_ref(ref) else ref
        if key == "last":
            rows = self._query(f"SELECT {_COLUMNS}, report_json FROM takes ORDER BY id DESC LIMIT 1", ())
        elif key.isdigit():
            rows = self._query(f"SELECT {_COLUMNS}, report_json FROM takes WHERE id = ?", (int(key),))
        else:
            raise HistoryError(f"{ref}: not a take id; write take:12 (the number `rehearse history` lists) "
                               "or take:last")
        if not rows:
            raise HistoryError(f"{ref}: no such take in the history ({self.path}); `rehearse history` lists them")
        try:
            report = json.loads(rows[0][-1])
        except json.JSONDecodeError:
            raise HistoryError(f"{ref}: its stored report is damaged in {self.path}; analyse the audio again") from None
        return _row(rows[0][:-1]), report

    def _get_row(self, take_id: int) -> StoredTake:
        return _row(self._query(f"SELECT {_COLUMNS} FROM takes WHERE id = ?", (take_id,))[0])

    def _query(self, sql: str, args: tuple) -> list[tuple]:
        # Reading never creates the database (or its folder): a fresh machine simply has no takes.
        if not self.path.exists():
            return []
        try:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)) as db:
                if _check_version(db, self.path) == 0:
                    return []  # created but never written to
                return db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise HistoryError(f"history {self.path}: cannot read it ({_reason(exc)}); move the file away to "
                               "start a new history") from None


class TakeLog:
    """Saves each report of one command run to the history; warns once and carries on if it cannot.

    The history is a convenience and the report is the product, so a read-only or full data folder costs
    one warning line, never the analysis.
    """

    def __init__(self, enabled: bool, command: str, story: str | None, warn: Callable[[str], None],
                 question: str | None = None, history: History | None = None):
        self._enabled = enabled
        self._command = command
        self._story = story
        self._question = question
        self._warn = warn
        self._history = history

    def save(self, report: dict[str, Any]) -> StoredTake | None:
        """The stored take, or None when the history is off or failed."""
        if not self._enabled:
            return None
        try:
            history = self._history or History()
            return history.add(report, self._command, story=self._story, question=self._question)
        except HistoryError as exc:
            self._warn(f"{exc}; the analysis itself is fine")
            self._enabled = False
            return None


def _source_path(report: dict[str, Any]) -> str:
    """The input as an absolute path when it is a file here, so a report made later finds the audio."""
    path = report["input"]["path"]
    if path == "-":
        return path
    candidate = Path(path)
    return str(candidate.resolve()) if candidate.exists() else path


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    version = _check_version(db, path)
    if version < SCHEMA_VERSION:
        db.executescript(_CREATE + f"PRAGMA user_version = {SCHEMA_VERSION};")


def _check_version(db: sqlite3.Connection, path: Path) -> int:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise HistoryError(f"history {path}: was written by a newer rehearse (format {version}); "
                           "upgrade rehearse to read it")
    return version


def _row(values: tuple) -> StoredTake:
    (take_id, recorded_at, command, kind, path, question, story, total_s, situation_s, limit_s, findings,
     warnings, wpm, fillers) = values
    return StoredTake(take_id, datetime.fromisoformat(recorded_at), command, kind, path, question, story,
                      total_s, situation_s, limit_s, findings, warnings, wpm, fillers)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)
