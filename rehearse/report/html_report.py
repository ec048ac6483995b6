"""The HTML report: one self-contained file a coach opens in any browser, offline.

Per take: an SVG timeline with the Situation's limit (45 s unless changed), the phase table, delivery,
the findings with quotes and suggestions, and the transcript coloured by phase, where clicking a word
plays the audio from that word. Before the takes, a summary across them. Everything is inline (CSS,
script, SVG, and the audio when small); a Content-Security-Policy allows only the report's own script
(by its hash), so nothing is fetched from elsewhere and nothing injected could run. Every piece of
transcript, quote, question or file name is HTML-escaped.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from rehearse import __version__
from rehearse.report.clock import clock
from rehearse.report.inputs import TakeReport
from rehearse.report.summary import (
    PHASE_NAMES,
    TakeFigures,
    delivery_text,
    figures,
    phase_runs,
    rule_counts,
)

AudioMode = Literal["auto", "embed", "link", "none"]
AUDIO_MODES: tuple[str, ...] = ("auto", "embed", "link", "none")
# `auto` embeds audio files up to this size (base64 adds a third), so a report of a few takes travels as
# one file; longer recordings are linked by a path relative to the report and must stay beside it.
EMBED_LIMIT_BYTES = 10 * 1024 * 1024

# The terminal report's ANSI backgrounds per phase (blue, magenta, green, yellow, cyan), as a strong
# colour for the timeline and a light tint for the transcript.
PHASE_COLOURS: dict[str, tuple[str, str]] = {
    "situation": ("#3f6fd1", "#dfe8fa"),
    "task": ("#a550bd", "#f3e2f7"),
    "action": ("#2f9a55", "#dcf1e3"),
    "result": ("#c89606", "#fbf0c8"),
    "reflection": ("#1c9fad", "#d5f1f4"),
}
# Short labels for narrow bars, the terminal timeline's letters (F for reFlection, R being Result).
PHASE_LETTERS = {"situation": "S", "task": "T", "action": "A", "result": "R", "reflection": "F"}
LIMIT_COLOUR = "#c62828"
_AUDIO_TYPES = {
    ".wav": "audio/wav", ".flac": "audio/flac", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".aac": "audio/aac",
    ".mp4": "audio/mp4", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg", ".webm": "audio/webm",
}

_SCRIPT = """
(function () {
  "use strict";
  function seek(el) {
    var take = el.closest(".take");
    var audio = take && take.querySelector("audio");
    if (!audio) { return; }
    audio.currentTime = parseFloat(el.getAttribute("data-t"));
    var playing = audio.play();
    // A browser that refuses to start playback still moved the position; nothing to report.
    if (playing && playing.catch) { playing.catch(function () {}); }
  }
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-t]");
    if (el) { seek(el); }
  });
  Array.prototype.forEach.call(document.querySelectorAll(".take"), function (take) {
    var audio = take.querySelector("audio");
    if (!audio) { return; }
    var words = Array.prototype.slice.call(take.querySelectorAll(".transcript [data-t]"));
    var times = words.map(function (w) { return parseFloat(w.getAttribute("data-t")); });
    var current = null;
    audio.addEventListener("timeupdate", function () {
      var t = audio.currentTime, lo = 0, hi = times.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (times[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      var next = found >= 0 ? words[found] : null;
      if (next !== current) {
        if (current) { current.classList.remove("now"); }
        if (next) { next.classList.add("now"); }
        current = next;
      }
    });
  });
})();
"""

_CSS = """
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #dde1e8; --limit: %(limit)s; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: #f6f7f9; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; } h2 { font-size: 1.25rem; margin: 0 0 .3rem; }
h3 { font-size: 1rem; margin: 1.4rem 0 .5rem; }
.muted, .meta { color: var(--muted); } .meta { margin: 0 0 .8rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.2rem 1.4rem;
  margin: 1.2rem 0; }
table { border-collapse: collapse; width: 100%%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .3rem .6rem .3rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; font-size: .85rem; color: var(--muted); }
td.num, th.num { text-align: right; }
.over { color: var(--limit); font-weight: 600; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .4em;
  vertical-align: -.05em; }
.legend span { margin-right: 1rem; white-space: nowrap; }
svg.timeline { width: 100%%; height: auto; display: block; margin: .6rem 0; }
svg.mini { width: 11rem; height: auto; display: block; }
#summary table { font-size: .9rem; } .scroll { overflow-x: auto; } #summary td.num { white-space: nowrap; }
svg text { font: 13px system-ui, sans-serif; }
svg rect.seg { cursor: pointer; }
audio { width: 100%%; margin: .4rem 0; }
.findings { list-style: none; padding: 0; margin: 0; }
.finding { border-left: 4px solid #9aa3b2; padding: .3rem 0 .3rem .8rem; margin: 0 0 .9rem; }
.finding.warning { border-left-color: #e08a00; }
.finding .head { font-weight: 600; } .finding p { margin: .2rem 0; }
.finding blockquote { margin: .3rem 0; padding: .2rem .7rem; background: #f3f4f7; border-radius: 4px;
  font-style: italic; }
.finding .try { color: #234; } .finding code { font-size: .85rem; }
button.seek { font: inherit; font-variant-numeric: tabular-nums; border: 1px solid var(--line); background: #fff;
  border-radius: 4px; padding: 0 .35rem; cursor: pointer; }
.transcript p { margin: 0 0 .5rem; padding: .4rem .6rem; border-radius: 6px; }
.transcript .label { font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
  margin-right: .4rem; }
.transcript .w { cursor: pointer; border-radius: 3px; }
.transcript .w:hover { outline: 1px solid #0004; }
.silent .transcript .w { cursor: auto; } .silent .transcript .w:hover { outline: none; }
.transcript .w.now { background: #1d2330; color: #fff; }
.note { background: #fff8e1; border: 1px solid #f0d98a; border-radius: 6px; padding: .4rem .7rem; }
%(phases)s
@media print { audio, .hint { display: none; } section { break-inside: avoid-page; } }
"""


def render_html(takes: Sequence[TakeReport], output: Path, audio_mode: AudioMode = "auto",
                now: datetime | None = None) -> str:
    """The whole report as one HTML document; linked audio is addressed relative to `output`."""
    now = now or datetime.now().astimezone()
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    # media-src lets the player read embedded (data:) audio or a file beside the report; nothing else loads.
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; "
              "media-src data: file: 'self'; img-src data:")
    count = f"{len(takes)} take{'s' if len(takes) != 1 else ''}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy, quote=False)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Timing report: {escape(count)}</title>",
        f"<style>{_css()}</style></head><body><main>",
        "<header><h1>Timing report</h1>",
        f'<p class="muted">{escape(count)}, made by rehearse {escape(__version__)} on {now:%Y-%m-%d %H:%M}. '
        '<span class="hint">Click a word in a transcript (or a time) to play the answer from there.</span></p>',
        f'<p class="legend">{_legend()}</p></header>',
    ]
    if len(takes) > 1:
        parts.append(_summary(takes))
    for number, take in enumerate(takes, 1):
        parts.append(_take(number, take, output, audio_mode))
    parts.append(f"</main><script>{_SCRIPT}</script></body></html>")
    return "\n".join(parts) + "\n"


def _css() -> str:
    rules = [f".p-{name} {{ background: {light}; }} .p-{name} .label {{ color: {strong}; }}"
             for name, (strong, light) in PHASE_COLOURS.items()]
    return _CSS % {"limit": LIMIT_COLOUR, "phases": "\n".join(rules)}


def _legend() -> str:
    return "".join(f'<span><i class="swatch" style="background:{PHASE_COLOURS[p][0]}"></i>{p.capitalize()}</span>'
                   for p in PHASE_NAMES)


def _summary(takes: Sequence[TakeReport]) -> str:
    all_figures = [figures(t.report) for t in takes]
    scale_s = max(max(f.total_s for f in all_figures), max(f.situation_limit_s for f in all_figures))
    head = "".join(f'<th class="num">{p.capitalize()}</th>' for p in PHASE_NAMES)
    rows = []
    for number, (take, f) in enumerate(zip(takes, all_figures), 1):
        cells = []
        for p in PHASE_NAMES:
            over = ' class="num over"' if p == "situation" and f.situation_over_limit else ' class="num"'
            cells.append(f"<td{over}>{clock(f.phase_s[p]) if f.phase_s[p] else '-'}</td>")
        pace = f"{f.wpm:.0f}" if f.wpm is not None else "-"
        rows.append(
            f'<tr><td>{number}</td><td><a href="#take-{number}">{escape(take.title)}</a>{_story_tag(take)}</td>'
            f"<td>{_timeline_svg(take.report, scale_s, mini=True)}</td>"
            f'<td class="num">{clock(f.total_s)}</td>{"".join(cells)}'
            f'<td class="num">{f.findings}</td><td class="num">{f.warnings}</td><td class="num">{pace}</td></tr>')
    common = rule_counts([t.report for t in takes])
    across = ""
    if common:
        items = "".join(f"<li><code>{escape(rule)}</code> in {n} of {len(takes)} takes</li>" for rule, n in common)
        across = f"<h3>Findings across takes</h3><ul>{items}</ul>"
    return (
        '<section id="summary"><h2>Summary across takes</h2>'
        '<p class="muted">Timelines share one scale; the red line is the Situation\'s limit.</p>'
        f'<div class="scroll"><table><thead><tr><th>#</th><th>Take</th><th>Timeline</th><th class="num">Total</th>{head}'
        f'<th class="num">Findings</th><th class="num">Warnings</th><th class="num">wpm</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
        f"{across}</section>"
    )


def _story_tag(take: TakeReport) -> str:
    return f' <span class="muted">({escape(take.story)})</span>' if take.story else ""


def _take(number: int, take: TakeReport, output: Path, audio_mode: AudioMode) -> str:
    report = take.report
    f = figures(report)
    state = "over" if f.situation_over_limit else "within"
    situation = (f'<p>The Situation takes <span class="{"over" if f.situation_over_limit else ""}">'
                 f"{clock(f.situation_s)}</span>: {state} the {f.situation_limit_s:.0f} s limit.</p>")
    delivery = delivery_text(report)
    player = _audio(take, output, audio_mode)
    playable = "<audio" in player
    return "\n".join([
        f'<section class="take{"" if playable else " silent"}" id="take-{number}">',
        f"<h2>{number}. {escape(take.title)}</h2>",
        f'<p class="meta">{escape(" · ".join(take.byline()))}</p>',
        player,
        _timeline_svg(report, max(f.total_s, f.situation_limit_s)),
        situation,
        _phase_table(report, f, playable),
        f"<p>{escape(delivery)}.</p>" if delivery else "",
        _findings(report, playable),
        _transcript(report),
        "</section>",
    ])


def _audio(take: TakeReport, output: Path, mode: AudioMode) -> str:
    report = take.report
    if report["input"]["kind"] != "audio":
        return '<p class="note">A typed answer: its times are estimated from the word count, and there is no audio.</p>'
    if mode == "none":
        return ""
    if take.audio is None:
        return (f'<p class="note">The audio ({escape(report["input"]["path"])}) was not found, so the transcript '
                "cannot play; put it beside the JSON report and make the report again.</p>")
    mime = _AUDIO_TYPES.get(take.audio.suffix.lower(), "audio/" + take.audio.suffix.lower().lstrip("."))
    embed = mode == "embed" or (mode == "auto" and take.audio.stat().st_size <= EMBED_LIMIT_BYTES)
    if embed:
        data = base64.b64encode(take.audio.read_bytes()).decode("ascii")
        return f'<audio controls preload="metadata" src="data:{mime};base64,{data}"></audio>'
    return (f'<audio controls preload="metadata" src="{escape(_relative_url(take.audio, output))}"></audio>'
            f'<p class="muted">Audio linked: {escape(take.audio.name)} must stay where it is relative to this report.</p>')


def _relative_url(audio: Path, output: Path) -> str:
    """The audio's address from the report's folder, so the pair can move together."""
    try:
        relative = os.path.relpath(audio.resolve(), output.resolve().parent)
    except ValueError:  # another drive (Windows): only an absolute address works
        return audio.resolve().as_uri()
    return quote(Path(relative).as_posix())


def _timeline_svg(report: dict[str, Any], scale_s: float, mini: bool = False) -> str:
    """Phase bars on a time axis from 0 to `scale_s` (a little past), with the Situation's limit marked."""
    width, bar_top, bar_h = (300, 4, 18) if mini else (1000, 8, 34)
    height = bar_top + bar_h + (6 if mini else 30)
    axis_s = max(scale_s, 1.0) * 1.04
    limit_s = figures(report).situation_limit_s

    def x(t: float) -> float:
        return round(float(t) / axis_s * width, 2)

    shapes = []
    for span in report["phases"]:
        name = span["name"]
        left, right = x(span["start_s"]), x(span["end_s"])
        tip = f"{name.capitalize()} {clock(span['start_s'])}-{clock(span['end_s'])} ({span['duration_s']:.0f} s)"
        shapes.append(f'<rect class="seg" x="{left}" y="{bar_top}" width="{max(right - left, 0.5)}" height="{bar_h}" '
                      f'fill="{PHASE_COLOURS[name][0]}" data-t="{span["start_s"]}"><title>{escape(tip)}</title></rect>')
        if not mini and right - left >= 14:
            label = name.capitalize() if right - left >= 9 * len(name) + 10 else PHASE_LETTERS[name]
            shapes.append(f'<text x="{round((left + right) / 2, 2)}" y="{bar_top + bar_h / 2 + 5}" fill="#fff" '
                          f'text-anchor="middle" pointer-events="none">{label}</text>')
        if name == "situation" and span["end_s"] > limit_s:
            start = max(float(span["start_s"]), limit_s)
            shapes.append(f'<rect x="{x(start)}" y="{bar_top + bar_h}" width="{x(span["end_s"]) - x(start)}" '
                          f'height="{3 if mini else 5}" fill="{LIMIT_COLOUR}"><title>Situation over the limit</title></rect>')
    limit = x(limit_s)
    shapes.append(f'<line x1="{limit}" x2="{limit}" y1="0" y2="{bar_top + bar_h + (4 if mini else 8)}" '
                  f'stroke="{LIMIT_COLOUR}" stroke-width="{1.5 if mini else 2}" stroke-dasharray="4 3"/>')
    if not mini:
        shapes.append(f'<text x="{limit + 4}" y="{bar_top + bar_h + 20}" fill="{LIMIT_COLOUR}">'
                      f"{limit_s:.0f} s</text>")
        shapes += _ticks(axis_s, x, bar_top + bar_h, limit_s)
    label = f"Timeline of the phases; the Situation's limit is {limit_s:.0f} s"
    return (f'<svg class="{"mini" if mini else "timeline"}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">{"".join(shapes)}</svg>')


def _ticks(axis_s: float, x, y: float, limit_s: float) -> list[str]:
    step = next((s for s in (5, 10, 15, 30, 60, 120, 300, 600) if axis_s / s <= 10), 1200)
    ticks = []
    t = 0
    while t <= axis_s:
        # Keep the limit's own label readable: no tick label right beside it.
        if abs(t - limit_s) > axis_s * 0.04 or t == 0:
            ticks.append(f'<line x1="{x(t)}" x2="{x(t)}" y1="{y}" y2="{y + 5}" stroke="#8a93a3"/>'
                         f'<text x="{x(t) + (2 if t == 0 else 0)}" y="{y + 20}" fill="#5b6475" '
                         f'text-anchor="{"start" if t == 0 else "middle"}">{clock(t)}</text>')
        t += step
    return ticks


def _phase_table(report: dict[str, Any], f: TakeFigures, playable: bool) -> str:
    pace = {p["name"]: p["wpm"] for p in (report.get("delivery") or {}).get("phases", [])}
    rows = []
    for span in report["phases"]:
        name = span["name"]
        over = span["name"] == "situation" and span["duration_s"] > f.situation_limit_s
        rows.append(
            f'<tr><td><i class="swatch" style="background:{PHASE_COLOURS[name][0]}"></i>{name.capitalize()}</td>'
            f'<td class="num">{_seek(span["start_s"], playable)}</td>'
            f'<td class="num">{clock(span["end_s"])}</td>'
            f'<td class="num{" over" if over else ""}">{span["duration_s"]:.0f} s</td>'
            f'<td class="num">{span["share"]:.0%}</td><td class="num">{span["words"]}</td>'
            + (f'<td class="num">{f"{pace[name]:.0f} wpm" if name in pace else "-"}</td>' if pace else "")
            + "</tr>")
    pace_head = '<th class="num">Pace</th>' if pace else ""
    return ('<table class="phases"><thead><tr><th>Phase</th><th class="num">Start</th><th class="num">End</th>'
            '<th class="num">Length</th><th class="num">Share</th><th class="num">Words</th>'
            f'{pace_head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _seek(start_s: float, playable: bool) -> str:
    """A time that plays the audio from there, or plain text when there is nothing to play."""
    if not playable:
        return clock(start_s)
    return f'<button class="seek" data-t="{start_s}">{clock(start_s)}</button>'


def _findings(report: dict[str, Any], playable: bool) -> str:
    findings = report["findings"]
    if not findings:
        return "<h3>Findings</h3><p>None: the timing and phrasing checks all pass.</p>"
    items = []
    for item in findings:
        phase = f" · {escape(item['phase'])}" if item.get("phase") else ""
        quote_html = f"<blockquote>“{escape(item['quote'])}”</blockquote>" if item.get("quote") else ""
        items.append(
            f'<li class="finding {escape(item["severity"])}"><p class="head">'
            f'{_seek(item["start_s"], playable)} '
            f'<code>{escape(item["rule"])}</code>{phase} · {"warning" if item["severity"] == "warning" else "note"}</p>'
            f'<p>{escape(item["message"])}</p>{quote_html}'
            f'<p class="try">Try: {escape(item["suggestion"])}</p></li>')
    return f'<h3>Findings ({len(findings)})</h3><ul class="findings">{"".join(items)}</ul>'


def _transcript(report: dict[str, Any]) -> str:
    paragraphs = []
    for run in phase_runs(report):
        words = " ".join(f'<span class="w" data-t="{w["start_s"]}">{escape(w["text"])}</span>' for w in run.words)
        paragraphs.append(f'<p class="p-{run.phase}"><span class="label">{run.phase.capitalize()}</span>{words}</p>')
    return f'<h3>Transcript</h3><div class="transcript">{"".join(paragraphs)}</div>'
