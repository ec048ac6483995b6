"""The report writers on real analysis output: Markdown, CSV, WebVTT, the HTML's structure, the inputs."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from rehearse.errors import InputFileError
from rehearse.history import History
from rehearse.report.csv_table import COLUMNS, render_csv
from rehearse.report.html_report import render_html
from rehearse.report.inputs import TakeReport, gather, load_json_reports
from rehearse.report.markdown import render_markdown, text
from rehearse.report.summary import figures, phase_runs
from rehearse.report.vtt import render_vtt

from tests.report_tools import answer_text, report_dict

HOSTILE = "So I fixed <script>window.pwned=1</script> the <img/src=x/onerror=window.pwned=2> queue & [link](x) *now*."


def take(fixture: str, **kwargs) -> TakeReport:
    return TakeReport(report_dict(answer_text(fixture), **kwargs))


def test_markdown_has_a_summary_row_per_take_and_each_takes_phases_and_findings():
    takes = [take("architecture-opening"), take("weak-we-slack")]
    md = render_markdown(takes)
    assert md.startswith("# Timing report: 2 takes")
    summary = md.split("## Summary")[1].split("\n## ")[0]
    rows = [line for line in summary.splitlines() if re.match(r"\| \d \|", line)]
    assert len(rows) == 2
    assert "**1:28** (over 45 s)" in rows[0]  # the architecture opening's Situation runs long
    for t in takes:
        for finding in t.report["findings"]:
            assert f"`{finding['rule']}`" in md
    assert md.count("### Transcript") == 2 and md.count("| Phase | Start |") == 2


def test_markdown_escapes_what_the_speaker_said():
    assert text("<script>x</script> *a* [b](c) a|b") == r"\<script\>x\</script\> \*a\* \[b\](c) a\|b"
    md = render_markdown([TakeReport(report_dict(HOSTILE))])
    assert not re.search(r"(?<!\\)<(script|img)", md) and "\\<script\\>" in md


def test_csv_has_one_row_per_take_with_times_and_findings():
    takes = [take("architecture-opening"), take("weak-we-slack", kind="audio", path="weak.wav")]
    rows = list(csv.DictReader(io.StringIO(render_csv(takes))))
    assert len(rows) == 2 and tuple(rows[0]) == COLUMNS
    for row, t in zip(rows, takes):
        f = figures(t.report)
        assert float(row["situation_s"]) == pytest.approx(f.situation_s, abs=0.05)
        assert float(row["total_s"]) == pytest.approx(f.total_s, abs=0.05)
        assert int(row["findings"]) == f.findings and row["rules"].split(";") == list(f.rules)
    assert rows[0]["situation_over_limit"] == "yes" and rows[1]["situation_over_limit"] == "no"
    assert rows[0]["wpm"] == "" and float(rows[1]["wpm"]) > 0  # delivery only for spoken answers


def test_csv_never_starts_a_cell_with_a_formula():
    history = History()
    stored = history.add(report_dict(answer_text("weak-we-slack")), "check", story="=HYPERLINK(\"x\")")
    row = next(csv.DictReader(io.StringIO(render_csv([TakeReport(history.load(stored.ref)[1], take=stored)]))))
    assert row["story"] == "'=HYPERLINK(\"x\")" and row["take"] == stored.ref


def test_vtt_cues_cover_the_transcript_in_order_each_labelled_with_its_phase():
    t = take("outcome-first", kind="audio", path="a.wav")
    vtt = render_vtt(t)
    assert vtt.startswith("WEBVTT\n")
    cues = re.findall(r"^\d+ (\w+)\n(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n\[(\w+)\] (.+)$", vtt, re.M)
    assert cues
    starts = [c[1] for c in cues]
    assert starts == sorted(starts)
    assert all(phase.capitalize() == label for phase, _s, _e, label, _t in cues)
    words = " ".join(c[4] for c in cues).split()
    assert words == [w["text"] for w in t.report["words"]]
    assert [c[0] for c in cues if c[3] != cues[0][3]]  # outcome-first: more than one phase
    assert {c[0] for c in cues} == {r.phase for r in phase_runs(t.report)}


def test_vtt_escapes_cue_text():
    vtt = render_vtt(TakeReport(report_dict(HOSTILE)))
    assert "<script>" not in vtt and "&lt;script&gt;" in vtt and "&amp;" in vtt


def test_html_escapes_every_piece_of_user_text_and_loads_nothing_from_elsewhere(tmp_path):
    history = History()
    stored = history.add(report_dict(HOSTILE), "record", story="<b>story</b>", question="<i>why?</i>")
    page = render_html([TakeReport(history.load(stored.ref)[1], take=stored)], tmp_path / "r.html")
    assert "<script>window" not in page and "<img" not in page and "<b>story" not in page and "<i>why" not in page
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert page.count("<script") == 1  # the report's own
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_html_has_a_timeline_with_the_situation_limit_for_each_take(tmp_path):
    takes = [take("architecture-opening"), take("weak-we-slack", situation_limit_s=30.0)]
    page = render_html(takes, tmp_path / "r.html")
    assert page.count('<section class="take') == 2 and 'id="summary"' in page
    assert page.count('<svg class="timeline"') == 2 and page.count('<svg class="mini"') == 2
    assert ">45 s</text>" in page and ">30 s</text>" in page
    for t in takes:
        for word in t.report["words"][:20]:
            assert f'data-t="{word["start_s"]}"' in page


def test_html_embeds_small_audio_and_links_it_relative_to_the_report_otherwise(tmp_path):
    audio = tmp_path / "audio" / "take one.flac"
    audio.parent.mkdir()
    audio.write_bytes(b"fLaC" + bytes(100))
    t = TakeReport(report_dict(answer_text("weak-we-slack"), kind="audio", path=str(audio)), audio=audio)
    embedded = render_html([t], tmp_path / "out" / "r.html", "auto")
    assert 'src="data:audio/flac;base64,ZkxhQw' in embedded
    linked = render_html([t], tmp_path / "out" / "r.html", "link")
    assert 'src="../audio/take%20one.flac"' in linked
    assert "<audio" not in render_html([t], tmp_path / "r.html", "none")
    missing = TakeReport(t.report, audio=None)
    assert "was not found" in render_html([missing], tmp_path / "r.html")


def test_json_inputs_one_report_a_list_or_an_array(tmp_path):
    one, two = report_dict(answer_text("weak-we-slack")), report_dict(answer_text("nurse-handover"))
    (tmp_path / "one.json").write_text(json.dumps(one))
    (tmp_path / "list.json").write_text(json.dumps({"schema": "rehearse.report/1-list", "reports": [one, two]}))
    (tmp_path / "array.json").write_text(json.dumps([one, two]))
    assert load_json_reports(tmp_path / "one.json") == [one]
    assert load_json_reports(tmp_path / "list.json") == load_json_reports(tmp_path / "array.json") == [one, two]


@pytest.mark.parametrize("content, needle", [
    ("not json", "not valid JSON"),
    ('{"schema": "other"}', "not a rehearse report"),
    ("[]", "holds no reports"),
])
def test_json_inputs_that_are_not_reports_are_refused(tmp_path, content, needle):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(InputFileError, match=needle):
        load_json_reports(path)


@pytest.mark.parametrize("field, value", [
    (("words", 0, "phase"), '"><script>alert(1)</script>'),
    (("phases", 0, "start_s"), "0\" onclick=\"alert(1)"),
    (("findings", 0, "severity"), "<b>"),
    (("settings", "situation_limit_s"), float("nan")),
])
def test_a_report_with_wrong_field_types_is_refused_before_any_writer_sees_it(tmp_path, field, value):
    report = report_dict(answer_text("weak-we-slack"))
    target = report
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = value
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(report))
    with pytest.raises(InputFileError, match="not a rehearse report"):
        load_json_reports(path)


def test_gather_reads_files_and_takes_before_analysing_audio_and_skips_bad_inputs(tmp_path):
    report = report_dict(answer_text("weak-we-slack"))
    (tmp_path / "a.json").write_text(json.dumps(report))
    audio = tmp_path / "b.wav"
    audio.write_bytes(b"RIFF")
    stored = History().add(report, "check", story="s")
    order: list[str] = []
    errors: list[str] = []

    def analyze(path: Path):
        order.append(f"analyse {path.name}")
        return report, None

    def on_error(exc):
        order.append("error")
        errors.append(str(exc))

    takes = gather([str(audio), str(tmp_path / "a.json"), "take:last", str(tmp_path / "missing.json")],
                   analyze, on_error)
    assert order == ["error", "analyse b.wav"]  # the typo is reported before the slow work
    assert "missing.json: no such file" in errors[0]
    assert [t.audio for t in takes] == [audio, None, None]
    assert takes[2].take == stored and takes[2].story == "s"
