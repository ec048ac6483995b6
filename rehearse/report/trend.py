"""`rehearse history`: the list of takes and, per story, the trend of its times and findings over attempts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rehearse.history import StoredTake
from rehearse.report.clock import clock

BARS = "▁▂▃▄▅▆▇█"
# For an output that cannot encode the block characters (a non-UTF-8 terminal).
ASCII_BARS = "_.-=+*#@"
# A sparkline longer than this shows only the latest attempts.
SPARK_MAX = 30
LABEL_CHARS = 44


def render_history(takes: Sequence[StoredTake], story: str | None, db_path: Path, last: int,
                   bars: str = BARS) -> str:
    """The listing (the latest `last` takes; 0 for all) and the trend of each story with two or more takes."""
    if not takes:
        where = f' for story "{story}"' if story is not None else ""
        return (f"No takes in the history{where} yet ({db_path}).\n"
                "Every `rehearse analyze`, `check` and `record` adds one; label them with --story NAME.\n")
    shown = takes[-last:] if last else takes
    lines = []
    if len(shown) < len(takes):
        lines.append(f"The latest {len(shown)} of {len(takes)} takes (--last 0 lists all):")
    lines += _table(shown)
    stories = [story] if story is not None else _stories(takes)
    for name in stories:
        attempts = [t for t in takes if t.story is not None and t.story.lower() == name.lower()]
        lines += ["", *_trend(attempts[0].story or name, attempts, bars)]
    if story is None and any(t.story is None for t in takes):
        lines += ["", "Takes without a story have no trend; label attempts at one answer with --story NAME."]
    return "\n".join(lines) + "\n"


def _table(takes: Sequence[StoredTake]) -> list[str]:
    rows = [f"{'Take':<9}{'When':<18}{'Story':<14}{'Total':>6}{'Situation':>11}{'Findings':>10}  Question or file"]
    for t in takes:
        when = t.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")
        situation = clock(t.situation_s) + ("!" if t.situation_s > t.situation_limit_s else " ")
        findings = f"{t.findings} ({t.warnings}w)"
        rows.append(f"{t.ref:<9}{when:<18}{_cut(t.story or '-', 13):<14}{clock(t.total_s):>6}{situation:>11}"
                    f"{findings:>10}  {_cut(t.question or _file_label(t), LABEL_CHARS)}")
    rows.append("! Situation over its limit; (Nw) warnings among the findings. "
                "`rehearse report take:N -o report.html` shows one in full.")
    return rows


def _trend(story: str, attempts: Sequence[StoredTake], bars: str) -> list[str]:
    if len(attempts) < 2:
        return [f'"{story}": one attempt so far; the trend shows from the second.']
    limit = attempts[-1].situation_limit_s
    situation = [t.situation_s for t in attempts]
    total = [t.total_s for t in attempts]
    findings = [float(t.findings) for t in attempts]
    now = "within" if situation[-1] <= limit else "over"
    return [
        f'Trend of "{story}" over {len(attempts)} attempts (first -> latest):',
        f"  Situation {clock(situation[0]):>6} -> {clock(situation[-1]):<6}{_spark(situation, bars)}  "
        f"{_seconds_change(situation)}; {now} the {limit:.0f} s limit",
        f"  Total     {clock(total[0]):>6} -> {clock(total[-1]):<6}{_spark(total, bars)}  {_seconds_change(total)}",
        f"  Findings  {findings[0]:>6.0f} -> {findings[-1]:<6.0f}{_spark(findings, bars)}  {_count_change(findings)}",
    ]


def _spark(values: Sequence[float], bars: str) -> str:
    """One bar per attempt, scaled between the smallest and largest value."""
    values = values[-SPARK_MAX:]
    low, high = min(values), max(values)
    span = high - low
    return "".join(bars[round((v - low) / span * (len(bars) - 1)) if span else 0] for v in values)


def _seconds_change(values: Sequence[float]) -> str:
    delta = round(values[-1] - values[0])
    if delta == 0:
        return "about the same"
    return f"{abs(delta)} s {'shorter' if delta < 0 else 'longer'}"


def _count_change(values: Sequence[float]) -> str:
    delta = round(values[-1] - values[0])
    if delta == 0:
        return "as many"
    return f"{abs(delta)} {'fewer' if delta < 0 else 'more'}"


def _stories(takes: Sequence[StoredTake]) -> list[str]:
    """Story labels in the order they first appear, one per name ignoring case."""
    seen: dict[str, str] = {}
    for t in takes:
        if t.story is not None:
            seen.setdefault(t.story.lower(), t.story)
    return list(seen.values())


def _file_label(take: StoredTake) -> str:
    return "stdin" if take.path == "-" else Path(take.path).name


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
