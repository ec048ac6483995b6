"""Command line: parse options, call the library, turn errors into one line and an exit code."""

from __future__ import annotations

import os
import sys
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
KeepFillersOption = Annotated[
    bool,
    typer.Option("--keep-fillers", help="Make Whisper write down hesitations (um, uh) so fillers are counted, not "
                 "undercounted; the transcript keeps them and takes a little longer (see the README)."),
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


def _check_output_path(json_path: str | None) -> None:
    """Refuse an unwritable --json path before spending minutes transcribing."""
    if json_path is None or json_path == "-":
        return
    target = Path(json_path)
    if target.is_dir():
        raise OutputError(f"--json {target}: is a directory; give a file name such as {target}/report.json")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"--json {target}: folder {parent} does not exist; create it or choose another path")
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise OutputError(f"--json {target}: not writable; choose a path in a folder you can write to")


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


@app.command()
def analyze(
    files: Annotated[list[Path], typer.Argument(help="Recorded answers: wav, flac, mp3, m4a, ogg or webm.", show_default=False)],
    model: ModelOption = None,
    json_path: JsonOption = None,
    situation_limit_s: SituationLimitOption = 45.0,
    quiet: QuietOption = False,
    explain: ExplainOption = False,
    focus: FocusOption = None,
    rules: RulesOption = None,
    disable: DisableOption = None,
    keep_fillers: KeepFillersOption = False,
) -> None:
    """Transcribe recorded answers locally and report the timed STAR phases, flags and findings.

    Several files are analysed one after another; a bad file is reported and skipped.
    """
    from rehearse.pipeline import AudioAnalyzer
    from rehearse.transcribe import DecodeOptions

    decode = DecodeOptions().keeping_fillers() if keep_fillers else DecodeOptions()
    try:
        _check_output_path(json_path)
        analyzer = AudioAnalyzer(model, _check_settings(situation_limit_s, focus, rules, disable), decode)
    except RehearseError as exc:
        _fail(str(exc))
        raise typer.Exit(EXIT_INPUT_ERROR) from None

    reports = []
    failed = 0
    try:
        for path in files:
            try:
                report = analyzer.analyze_file(path, show_progress=not quiet)
            except (InputFileError, NoSpeechError) as exc:
                # One bad file is reported and the rest still analysed; a model
                # or output error stops the batch below.
                _fail(str(exc))
                failed += 1
                continue
            _show(report, json_path, quiet, explain)
            reports.append(report)
        _emit(reports, json_path, quiet)
    except RehearseError as exc:
        _fail(str(exc))
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except KeyboardInterrupt:
        _fail("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if failed:
        raise typer.Exit(EXIT_INPUT_ERROR)


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


def main() -> None:
    """Console-script entry point; Ctrl-C anywhere is a clean stop."""
    try:
        app()
    except KeyboardInterrupt:
        _fail("interrupted")
        sys.exit(EXIT_INTERRUPTED)
