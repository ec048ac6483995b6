"""The analysis core (pure): words in, a Report out."""

from __future__ import annotations

from collections.abc import Sequence

from rehearse.checks import CheckSettings, run_checks
from rehearse.delivery import Pause, measure_delivery, pauses_from_gaps
from rehearse.errors import NoSpeechError
from rehearse.sentences import split_sentences
from rehearse.star import segment
from rehearse.timing import phase_spans
from rehearse.types import InputInfo, Report, Word


def analyze_words(
    words: Sequence[Word],
    source: InputInfo,
    settings: CheckSettings = CheckSettings(),
    model: str | None = None,
    pauses: Sequence[Pause] | None = None,
    fillers_kept: bool = False,
) -> Report:
    """Segment the words into STAR phases, time them and run every check.

    For spoken answers, delivery is measured too, and the delivery rules run;
    `pauses` should come from the audio (rehearse.pauses), else gaps between
    words stand in for them. `fillers_kept`: the words were transcribed with
    the filler-keeping prompt. Typed answers get the length rules only, on
    times estimated at their pace.
    """
    if not words:
        raise NoSpeechError(
            f"{source.path}: no speech found; check the recording has your voice in it "
            "(microphone muted or wrong input?)"
        )
    phased = segment(split_sentences(words))
    spans = phase_spans(phased)
    delivery = None
    if source.kind == "audio":
        delivery = measure_delivery(words, spans, pauses if pauses is not None else pauses_from_gaps(words),
                                    fillers_kept=fillers_kept)
    findings = run_checks(phased, spans, settings, delivery=delivery, estimated_pace_wpm=source.estimated_pace_wpm)
    return Report(
        input=source,
        sentences=tuple(phased),
        phases=tuple(spans),
        findings=tuple(findings),
        model=model,
        settings={"situation_limit_s": settings.situation_limit_s},
        delivery=delivery,
    )
