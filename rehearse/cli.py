"""Command line: parse options, call the library, turn errors into one line and an exit code."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from rehearse import __version__
from rehearse.errors import InputFileError, NoSpeechError, OutputError, RehearseError

app = typer.Typer(
    help="Time the STAR phases of a spoken interview answer and flag where it loses the interviewer. "
    "Everything runs locally; no audio leaves the machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_INPUT_ERROR = 1
EXIT_INTERRUPTED = 130

ModelOption = Annotated[
    Optional[str],
    typer.Option(
        "--model",
        "-m",
        help="Whisper model: a CTranslate2 model directory, a name under models/, or a faster-whisper "
        "name (downloaded only when named). Default: the bundled tiny.en, works offline.",
    ),
]
JsonOption = Annotated[
    Optional[str],
    typer.Option("--json", help="Write the JSON report (schema rehearse.report/1) to PATH; '-' for stdout only."),
]
SituationLimitOption = Annotated[
    float, typer.Option("--situation-limit", min=1.0, help="Seconds the Situation may last before it is flagged.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print no human report (errors still go to stderr).")]
ExplainOption = Annotated[bool, typer.Option("--explain", help="Also show why each sentence got its phase.")]
FocusOption = Annotated[
    Optional[list[str]],
    typer.Option("--focus", help="Interviewer emphasis adding its own checks: ownership, dive-deep, outcome-first, "
                 "tradeoffs (repeatable).", show_default=False),
]
RulesOption = Annotated[
    Optional[list[Path]],
    typer.Option("--rules", exists=True, dir_okay=False, readable=True,
                 help="A coach's rulebook (TOML) merged over the defaults (repeatable).", show_default=False),
]
DisableOption = Annotated[
    Optional[list[str]], typer.Option("--disable", help="Switch a rule off by its id (repeatable).", show_default=False)
]
StoryOption = Annotated[
    Optional[str],
    typer.Option("--story", help="Label the story this answer tells (e.g. 'payments outage'); "
                 "`rehearse history --story NAME` shows the trend over its attempts.", show_default=False),
]
NoHistoryOption = Annotated[
    bool, typer.Option("--no-history", help="Do not keep this analysis in the history of takes.")
]
KeepFillersOption = Annotated[
    bool,
    typer.Option("--keep-fillers", help="Make Whisper write down hesitations (um, uh) so fillers are counted, not "
                 "undercounted; the transcript keeps them, and on real speech a few more other words come out "
                 "wrong (see the README)."),
]


def _check_settings(situation_limit_s: float, focus, rules, disable):
    """CheckSettings from the options; an unknown focus or rule name is a usage error."""
    from rehearse.checks import CheckSettings, RuleNameError, load_rulebook

    rulebook = load_rulebook(rules or None)
    try:
        return CheckSettings(situation_limit_s=situation_limit_s, rulebook=rulebook,
                             focus=tuple(focus or ()), disabled=frozenset(disable or ()))
    except RuleNameError as exc:
        raise typer.BadParameter(str(exc)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rehearse {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Rehearse STAR interview answers with speech timing."""


def _fail(message: str) -> None:
    typer.echo(f"rehearse: error: {message}", err=True)


def _check_output_path(json_path: str | None, option: str = "--json", example: str = "report.json") -> None:
    """Refuse an unwritable output path before spending minutes transcribing."""
    if json_path is None or json_path == "-":
        return
    target = Path(json_path)
    if target.is_dir():
        raise OutputError(f"{option} {target}: is a directory; give a file name such as {target}/{example}")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"{option} {target}: folder {parent} does not exist; create it or choose another path")
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise OutputError(f"{option} {target}: not writable; choose a path in a folder you can write to")


def _take_log(no_history: bool, command: str, story: str | None, question: str | None = None):
    """Where each finished analysis is kept; a failure to keep it is one warning, never an error."""
    from rehearse.history import TakeLog

    return TakeLog(not no_history, command, story, question=question,
                   warn=lambda message: typer.echo(f"rehearse: warning: {message}", err=True))


def _remember(log, report, quiet: bool) -> None:
    from rehearse.report.json_report import report_to_dict

    _keep(log, report_to_dict(report), quiet)


def _keep(log, data: dict, quiet: bool):
    """Save one JSON report to the history and say under which id; the take, or None."""
    take = log.save(data)
    if take is not None and not quiet:
        typer.echo(f"Saved as {take.ref} in the history (rehearse history lists the takes).", err=True)
    return take


def _emit(reports: list, json_path: str | None, quiet: bool) -> None:
    from rehearse.report.json_report import render_json

    if json_path is None or not reports:
        return
    text = render_json(reports)
    if json_path == "-":
        sys.stdout.write(text + "\n")
        return
    try:
        Path(json_path).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"--json {json_path}: cannot write ({exc.strerror}); choose another path") from None
    if not quiet:
        typer.echo(f"JSON report written to {json_path}", err=True)


def _show(report, json_path: str | None, quiet: bool, explain: bool) -> None:
    from rehearse.report.explain import render_explain
    from rehearse.report.terminal import render_terminal, use_colour

    if quiet:
        return
    # With --json -, stdout carries only JSON, so the human report goes to stderr.
    stream = sys.stderr if json_path == "-" else sys.stdout
    if explain:
        stream.write(render_explain(report) + "\n")
    stream.write(render_terminal(report, colour=use_colour(stream)))
    stream.flush()


WorkersOption = Annotated[
    Optional[int],
    typer.Option("--workers", "-w", min=1, show_default=False,
                 help="Files analysed at once, each in its own process with its own copy of the model; the "
                 "cores are shared out between them. Default: one per core (at most 4), no more than the files."),
]


@app.command()
def analyze(
    files: Annotated[list[Path], typer.Argument(help="Recorded answers (wav, flac, mp3, m4a, ogg, webm), or folders "
                                                "of them.", show_default=False)],
    model: ModelOption = None,
    json_path: JsonOption = None,
    situation_limit_s: SituationLimitOption = 45.0,
    quiet: QuietOption = False,
    explain: ExplainOption = False,
    focus: FocusOption = None,
    rules: RulesOption = None,
    disable: DisableOption = None,
    story: StoryOption = None,
    no_history: NoHistoryOption = False,
    workers: WorkersOption = None,
    keep_fillers: KeepFillersOption = False,
) -> None:
    """Transcribe recorded answers locally and report the timed STAR phases, flags and findings.

    A folder stands for the audio files in it (by name). Several files are analysed in parallel
    (--workers); each report is printed as its file finishes, and the JSON lists them in the order
    given. A bad file is reported and skipped.
    """
    from rehearse.batch import default_workers, expand_inputs
    from rehearse.pipeline import AudioAnalyzer
    from rehearse.transcribe import DecodeOptions

    decode = DecodeOptions().keeping_fillers() if keep_fillers else DecodeOptions()
    try:
        _check_output_path(json_path)
        settings = _check_settings(situation_limit_s, focus, rules, disable)
        paths = expand_inputs(files)
        workers = min(workers or default_workers(len(paths)), len(paths))
        analyzer = AudioAnalyzer(model, settings, decode)
    except RehearseError as exc:
        _fail(str(exc))
        raise typer.Exit(EXIT_INPUT_ERROR) from None

    reports: dict[int, object] = {}
    failed = 0
    log = _take_log(no_history, "analyze", story)
    try:
        for index, report, error in _analyze_all(analyzer, paths, settings, workers, quiet):
            if error:
                # One bad file is reported and the rest still analysed; a model
                # or output error stops the batch below.
                _fail(error)
                failed += 1
                continue
            _show(report, json_path, quiet, explain)
            _remember(log, report, quiet)
            reports[index] = report
        _emit([reports[i] for i in sorted(reports)], json_path, quiet)
    except RehearseError as exc:
        _fail(str(exc))
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except KeyboardInterrupt:
        _fail("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if failed:
        raise typer.Exit(EXIT_INPUT_ERROR)


def _analyze_all(analyzer, paths: list[Path], settings, workers: int, quiet: bool):
    """(input index, report or None, error or None) for each path, as each finishes.

    One worker analyses in this process with every core; more run `rehearse.batch` workers.
    """
    from rehearse.batch import BatchProgressLine, analyze_in_workers

    if workers == 1:
        for index, path in enumerate(paths):
            try:
                yield index, analyzer.analyze_file(path, show_progress=not quiet), None
            except (InputFileError, NoSpeechError) as exc:
                yield index, None, str(exc)
        return
    progress = None if quiet else BatchProgressLine(len(paths), workers)
    try:
        for result in analyze_in_workers(paths, analyzer.choice, settings, workers, progress,
                                         analyzer.decode_options):
            if progress:
                progress.file_done(result)
            yield result.index, result.report, result.error
    finally:
        if progress:
            progress.clear()


@app.command()
def check(
    source: Annotated[str, typer.Argument(help="A text file holding the typed answer, or '-' to read stdin.", show_default=False)],
    pace_wpm: Annotated[float, typer.Option("--pace", min=60.0, max=300.0, help="Speaking pace (words per minute) used to estimate times.")] = 150.0,
    json_path: JsonOption = None,
    situation_limit_s: SituationLimitOption = 45.0,
    quiet: QuietOption = False,
    explain: ExplainOption = False,
    focus: FocusOption = None,
    rules: RulesOption = None,
    disable: DisableOption = None,
    story: StoryOption = None,
    no_history: NoHistoryOption = False,
) -> None:
    """Check a typed answer: the same STAR segmentation and phrasing checks, with times estimated from word count."""
    from rehearse.analysis import analyze_words
    from rehearse.typed import estimate_words
    from rehearse.types import InputInfo

    try:
        _check_output_path(json_path)
        text = _read_text(source)
        words = estimate_words(text, pace_wpm)
        if not words:
            raise InputFileError(f"{source}: holds no words; type or paste your answer into it")
        info = InputInfo("text", source, words[-1].end_s, estimated_pace_wpm=pace_wpm)
        report = analyze_words(words, info, _check_settings(situation_limit_s, focus, rules, disable))
        _show(report, json_path, quiet, explain)
        _emit([report], json_path, quiet)
        _remember(_take_log(no_history, "check", story), report, quiet)
    except RehearseError as exc:
        _fail(str(exc))
        raise typer.Exit(EXIT_INPUT_ERROR) from None


def _read_text(source: str) -> str:
    if source == "-":
        data = sys.stdin.buffer.read()
        name = "stdin"
    else:
        path = Path(source)
        if path.is_dir():
            raise InputFileError(f"{path}: is a directory; pass the text file holding your answer")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputFileError(f"{path}: no such file; check the path or pipe the text in with '-'") from None
        except OSError as exc:
            raise InputFileError(f"{path}: cannot read ({exc.strerror})") from None
        name = str(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(f"{name}: is not UTF-8 text; save the answer as plain UTF-8 text") from None


@app.command()
def record(
    question: Annotated[Optional[str], typer.Option("--question", help="The question you are answering (shown before the take, used in the file name).")] = None,
    random_question: Annotated[bool, typer.Option("--random", help="Pick a common behavioural question from the built-in bank.")] = False,
    device: Annotated[Optional[str], typer.Option("--device", "-d", help="Input device: index or part of the name (see `rehearse devices`).")] = None,
    max_seconds: Annotated[float, typer.Option("--max-seconds", min=1.0, help="Stop the take after this many seconds.")] = 600.0,
    out_dir: Annotated[Path, typer.Option("--out", file_okay=False, help="Folder the takes are kept in, as WAV files named by time and question.")] = Path("takes"),
    silence_stop_s: Annotated[Optional[float], typer.Option("--stop-after-silence", min=1.0, help="Stop by itself after this many seconds of silence.")] = None,
    budgets: Annotated[Optional[list[str]], typer.Option("--budget", help="A live cue when a phase runs past its budget, e.g. --budget action=90 (repeatable; the Situation's is --situation-limit).")] = None,
    model: ModelOption = None,
    json_path: JsonOption = None,
    situation_limit_s: SituationLimitOption = 45.0,
    quiet: QuietOption = False,
    explain: ExplainOption = False,
    focus: FocusOption = None,
    rules: RulesOption = None,
    disable: DisableOption = None,
    story: StoryOption = None,
    no_history: NoHistoryOption = False,
    keep_fillers: KeepFillersOption = False,
) -> None:
    """Record an answer from the microphone with live phase cues; the report is ready the moment you stop.

    On a terminal: Enter starts, Enter or Ctrl-C stops. Without one it starts at once and stops at
    --max-seconds, a line on stdin, SIGINT or SIGTERM. The take is kept as a WAV file in --out.
    """
    from rehearse.analysis import analyze_words
    from rehearse.live import parse_budgets
    from rehearse.pipeline import AudioAnalyzer
    from rehearse.questions import random_question as pick_question
    from rehearse.session import LiveView, StopRequest, TakeOptions, record_take, stop_triggers
    from rehearse.transcribe import DecodeOptions
    from rehearse.types import InputInfo

    if random_question:
        question = pick_question()
    try:
        budgets_s = parse_budgets(budgets or [], situation_limit_s)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    interactive = sys.stdin is not None and sys.stdin.isatty()
    take = None
    try:
        _check_output_path(json_path)
        settings = _check_settings(situation_limit_s, focus, rules, disable)
        transcriber = AudioAnalyzer(model, settings).transcriber  # loaded before the take, so stopping never waits for it
        if question:
            typer.echo(f"Question: {question}", err=True)
        if interactive:
            typer.echo("Press Enter to start; Enter or Ctrl-C stops the take.", err=True)
            input()
        decode = DecodeOptions().keeping_fillers() if keep_fillers else DecodeOptions()
        options = TakeOptions(out_dir, question, device, max_seconds, silence_stop_s, budgets_s, decode)
        stop = StopRequest()
        with stop_triggers(stop, sys.stdin, "enter" if interactive else "stdin"):
            how_to_stop = "Enter or Ctrl-C stops" if interactive else \
                f"stops at {max_seconds:.0f} s, a line on stdin, SIGINT or SIGTERM"
            take = record_take(transcriber, options, stop, LiveView(sys.stderr, enabled=not quiet), how_to_stop)
        typer.echo(f"Take saved to {take.path} ({take.duration_s:.1f} s, stopped by {take.stop_reason})", err=True)
        if take.overflows:
            typer.echo(f"warning: the machine was too busy {take.overflows} time(s) and the take has short gaps; "
                       "close other programs or use a smaller --model", err=True)
        info = InputInfo("audio", str(take.path), take.duration_s)
        report = analyze_words(take.words, info, settings, model=transcriber.label, pauses=take.pauses,
                               fillers_kept=decode.keeps_fillers)
        _show(report, json_path, quiet, explain)
        _emit([report], json_path, quiet)
        _remember(_take_log(no_history, "record", story, question), report, quiet)
    except RehearseError as exc:
        _fail(str(exc))
        if take is not None:
            typer.echo(f"The take is kept in {take.path}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except (KeyboardInterrupt, EOFError):
        _fail("interrupted" + (f"; the take is kept in {take.path}" if take else ""))
        raise typer.Exit(EXIT_INTERRUPTED) from None


@app.command()
def devices() -> None:
    """List the input devices `rehearse record --device` can use (the default marked with *)."""
    from rehearse.record import NO_INPUT_DEVICE, list_input_devices

    try:
        found = list_input_devices()
    except RehearseError as exc:
        _fail(str(exc))
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    if not found:
        _fail(NO_INPUT_DEVICE)
        raise typer.Exit(EXIT_INPUT_ERROR)
    for d in found:
        mark = "*" if d.is_default else " "
        typer.echo(f"{mark} {d.index:>3}  {d.name}  ({d.host_api}, {d.channels} in, {d.default_samplerate_hz:.0f} Hz)")


@app.command()
def recover(
    files: Annotated[list[Path], typer.Argument(help="WAV takes left unfinished by a killed `rehearse record`.", show_default=False)],
) -> None:
    """Repair the header of a take whose recording was killed (kill -9, power cut), so it plays and analyses."""
    from rehearse.wav import recover_wav

    failed = False
    for path in files:
        try:
            result = recover_wav(path)
        except RehearseError as exc:
            _fail(str(exc))
            failed = True
            continue
        what = "repaired" if result.repaired else "already complete"
        typer.echo(f"{path}: {what}, {result.duration_s:.1f} s of audio")
    if failed:
        raise typer.Exit(EXIT_INPUT_ERROR)


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    csv = "csv"
    vtt = "vtt"


class AudioChoice(str, Enum):
    auto = "auto"
    embed = "embed"
    link = "link"
    none = "none"


_FORMAT_BY_SUFFIX = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".csv": "csv", ".vtt": "vtt"}


@app.command()
def history(
    story: Annotated[Optional[str], typer.Option("--story", help="Only this story's takes (case ignored), with its trend.", show_default=False)] = None,
    last: Annotated[int, typer.Option("--last", min=0, help="List the latest N takes (0 lists all); trends use every attempt.")] = 20,
) -> None:
    """List the takes kept by analyze, check and record, and the trend of each story over its attempts.

    The trend shows the Situation's time, the total time and the number of findings from the first attempt
    to the latest. The history lives in $REHEARSE_DATA_DIR, else $XDG_DATA_HOME/rehearse, else
    ~/.local/share/rehearse; `rehearse report take:N` renders a take in full.
    """
    from rehearse.history import History
    from rehearse.report.trend import ASCII_BARS, BARS, render_history

    store = History()
    try:
        takes = store.takes(story)
    except RehearseError as exc:
        _fail(str(exc))
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    bars = BARS if _can_encode(sys.stdout, BARS) else ASCII_BARS
    sys.stdout.write(render_history(takes, story, store.path, last, bars))


def _can_encode(stream, text: str) -> bool:
    try:
        text.encode(stream.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@app.command()
def report(
    inputs: Annotated[list[str], typer.Argument(help="JSON reports (from --json), audio files (analysed first) or takes from the history: take:12, take:last.", show_default=False)],
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="File to write; '-' (the default) writes md, csv or vtt to stdout. html needs a file.", show_default=False)] = None,
    fmt: Annotated[Optional[ReportFormat], typer.Option("--format", "-f", help="html, md (Markdown), csv (a row per take) or vtt (WebVTT transcript of one take). Default: from the -o suffix.", show_default=False)] = None,
    audio: Annotated[AudioChoice, typer.Option("--audio", help="html: embed the audio in the file, link it by a path relative to the report, or leave it out; auto embeds files up to 10 MB and links larger ones.")] = AudioChoice.auto,
    model: ModelOption = None,
    situation_limit_s: SituationLimitOption = 45.0,
    focus: FocusOption = None,
    rules: RulesOption = None,
    disable: DisableOption = None,
    story: StoryOption = None,
    no_history: NoHistoryOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or confirmation lines (errors still go to stderr).")] = False,
) -> None:
    """Write a coach's report of one or more takes: HTML (self-contained, plays the audio from any word),
    Markdown, CSV or a WebVTT transcript.

    Audio inputs are analysed first (and kept in the history unless --no-history); the analysis options
    apply only to them. A bad input is reported and skipped, and the exit code is 1.
    """
    from rehearse.errors import HistoryError
    from rehearse.report.inputs import gather

    kind = _report_format(fmt, output)
    try:
        _check_output_path(output, "-o", f"report.{kind}")
        settings = _check_settings(situation_limit_s, focus, rules, disable)
        log = _take_log(no_history, "report", story)
        analyzer = None
        failed = 0

        def analyze_audio(path: Path):
            from rehearse.pipeline import AudioAnalyzer
            from rehearse.report.json_report import report_to_dict

            nonlocal analyzer
            analyzer = analyzer or AudioAnalyzer(model, settings)
            data = report_to_dict(analyzer.analyze_file(path, show_progress=not quiet))
            return data, _keep(log, data, quiet)

        def skip(exc: RehearseError) -> None:
            nonlocal failed
            if not isinstance(exc, (InputFileError, NoSpeechError, HistoryError)):
                raise exc  # a model or output problem stops the report
            _fail(str(exc))
            failed += 1

        takes = gather(inputs, analyze_audio, skip)
        if takes:
            _write_report(kind, takes, output, audio.value, quiet)
    except RehearseError as exc:
        _fail(str(exc))
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except KeyboardInterrupt:
        _fail("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if failed or not takes:
        raise typer.Exit(EXIT_INPUT_ERROR)


def _report_format(fmt, output: str | None) -> str:
    """The format asked for, else the one the -o suffix names; html only to a file."""
    if fmt is not None:
        kind = fmt.value
    else:
        kind = _FORMAT_BY_SUFFIX.get(Path(output).suffix.lower()) if output and output != "-" else None
        if kind is None:
            raise typer.BadParameter("say which format with --format html|md|csv|vtt, or end -o with "
                                     ".html, .md, .csv or .vtt", param_hint="'--format'")
    if kind == "html" and (output is None or output == "-"):
        raise typer.BadParameter("an HTML report is a file: add -o report.html", param_hint="'--output'")
    return kind


def _write_report(kind: str, takes: list, output: str | None, audio: str, quiet: bool) -> None:
    if kind == "html":
        from rehearse.report.html_report import render_html

        text = render_html(takes, Path(output), audio)
    elif kind == "md":
        from rehearse.report.markdown import render_markdown

        text = render_markdown(takes)
    elif kind == "csv":
        from rehearse.report.csv_table import render_csv

        text = render_csv(takes)
    else:
        from rehearse.report.vtt import render_vtt

        if len(takes) != 1:
            raise OutputError(f"a WebVTT transcript holds one take, and the inputs give {len(takes)}; "
                              "make one file per take")
        text = render_vtt(takes[0])
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise OutputError(f"-o {output}: cannot write ({exc.strerror}); choose another path") from None
    if not quiet:
        typer.echo(f"{kind.upper() if kind != 'md' else 'Markdown'} report of {len(takes)} "
                   f"take{'s' if len(takes) != 1 else ''} written to {output}", err=True)


def main() -> None:
    """Console-script entry point; Ctrl-C anywhere is a clean stop."""
    try:
        app()
    except KeyboardInterrupt:
        _fail("interrupted")
        sys.exit(EXIT_INTERRUPTED)
