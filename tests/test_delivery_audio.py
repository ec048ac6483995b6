"""Delivery on real audio with the real model: fillers kept or not, pace on answers the team did not
write, the delivery rules on the voiced fixtures, and pauses that come from the audio, live or not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from rehearse.audio import decode_audio
from rehearse.report.json_report import report_to_dict
from rehearse.report.terminal import render_terminal
from tests.conftest import AUDIO_DIR, ROOT, load_audio_labels, spoken_truth, voiced_fixture_ids

sys.path.insert(0, str(ROOT / "bench"))
from fillers import FillerScore, match_fillers  # noqa: E402

pytestmark = pytest.mark.slow

FILLER_DIR = ROOT / "fixtures" / "fillers"
HELDOUT_AUDIO = ROOT / "fixtures" / "heldout-audio"
FILLER_IDS = sorted(p.name.removesuffix(".labels.json") for p in FILLER_DIR.glob("*.labels.json"))
HELDOUT_IDS = sorted(p.name.removesuffix(".labels.json") for p in HELDOUT_AUDIO.glob("*.labels.json"))


@pytest.fixture(scope="module")
def keeping_analyzer():
    from rehearse.pipeline import AudioAnalyzer
    from rehearse.transcribe import DecodeOptions

    return AudioAnalyzer(decode_options=DecodeOptions().keeping_fillers())


@pytest.fixture(scope="module")
def filler_reports(analyzer, keeping_analyzer):
    """Each filler fixture analysed without and with --keep-fillers, with its labels."""
    out = {}
    for fixture_id in FILLER_IDS:
        labels = json.loads((FILLER_DIR / f"{fixture_id}.labels.json").read_text())
        path = FILLER_DIR / labels["audio"]
        out[fixture_id] = (labels, analyzer.analyze_file(path), keeping_analyzer.analyze_file(path))
    return out


def total_score(filler_reports, which: int) -> FillerScore:
    score = FillerScore()
    for labels, *reports in filler_reports.values():
        score.add(match_fillers(reports[which].delivery.fillers, labels["fillers"]))
    return score


def test_filler_fixtures_cover_several_voices_and_kinds():
    labels = [json.loads((FILLER_DIR / f"{i}.labels.json").read_text()) for i in FILLER_IDS]
    assert len({lab["voice"].split("@")[0] for lab in labels}) >= 4
    said = {f["text"] for lab in labels for f in lab["fillers"]}
    assert {"um", "uh", "er", "ah", "you know", "kind of", "sort of", "basically", "like"} <= said
    assert sum(len(lab["fillers"]) for lab in labels) >= 50


def test_keep_fillers_reaches_the_recall_and_precision_targets(filler_reports):
    kept = total_score(filler_reports, 1)
    assert kept.recall >= 0.8, [m["text"] for m in kept.missed]
    assert kept.precision >= 0.9, [f.text for f in kept.invented]
    # ... and it is the option that does it: without it Whisper leaves many fillers out.
    assert total_score(filler_reports, 0).recall <= kept.recall - 0.15


def test_the_report_says_when_fillers_may_be_undercounted(filler_reports):
    _labels, plain, kept = filler_reports["f1-retry-storm"]
    assert report_to_dict(plain)["delivery"]["fillers"]["may_be_undercounted"] is True
    assert "Fillers may be undercounted" in render_terminal(plain)
    assert report_to_dict(kept)["delivery"]["fillers"]["may_be_undercounted"] is False
    assert "Fillers may be undercounted" not in render_terminal(kept)


def test_filler_heavy_fires_on_the_heavy_fixtures_and_not_the_light_one(filler_reports):
    fired = {fid: {f.rule for f in kept.findings} for fid, (_l, _p, kept) in filler_reports.items()}
    assert "filler-heavy" not in fired["f6-sales-call"]  # 5 fillers in 109 words
    assert sum("filler-heavy" in rules for rules in fired.values()) >= 4


def test_the_traps_are_not_counted_as_fillers(filler_reports):
    for _labels, _plain, kept in filler_reports.values():
        texts = " ".join(f"{f.text} {f.start_s}" for f in kept.delivery.fillers).lower()
        for trap in ("err ", "i like", "kind of problem", "what kind", "sort of thing", "you know what"):
            assert trap not in texts


@pytest.mark.parametrize("fixture_id", HELDOUT_IDS)
def test_pace_within_5_percent_on_answers_another_writer_wrote(analyzer, fixture_id):
    labels = json.loads((HELDOUT_AUDIO / f"{fixture_id}.labels.json").read_text())
    reference_words, spoken_s = spoken_truth(labels)
    report = analyzer.analyze_file(HELDOUT_AUDIO / labels["audio"])
    assert report.delivery.wpm == pytest.approx(reference_words / spoken_s * 60, rel=0.05)


def test_heldout_voicing_varies_voice_and_speed():
    labels = [json.loads((HELDOUT_AUDIO / f"{i}.labels.json").read_text()) for i in HELDOUT_IDS]
    assert len(labels) >= 5 and len({lab["engine"] for lab in labels}) == 3
    rates = [sum(len(s["text"].split()) for s in lab["segments"]) / lab["duration_s"] * 60 for lab in labels]
    assert max(rates) - min(rates) >= 40


@pytest.mark.parametrize("fixture_id", voiced_fixture_ids())
def test_delivery_rules_on_the_voiced_fixtures_follow_their_true_pace_and_length(fixture_reports, fixture_id):
    labels = load_audio_labels(fixture_id)
    words, spoken_s = spoken_truth(labels)
    true_wpm = words / spoken_s * 60
    fired = {f.rule for f in fixture_reports[fixture_id].findings}
    if abs(true_wpm - 170) > 5:
        assert ("pace-too-fast" in fired) is (true_wpm > 170)
    assert ("answer-too-short" in fired) is (spoken_s < 90 and words < 200)
    # Joined without long silences and without fillers: nothing for these rules to find.
    assert not fired & {"long-pause", "filler-heavy", "pace-too-slow", "answer-too-long"}


def test_the_incremental_pause_tracker_matches_faster_whisper_vad():
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from rehearse.pauses import PauseTracker, find_pauses

    speech = decode_audio(AUDIO_DIR / "nurse-handover.flac")
    silence = [np.zeros(int(16_000 * s), np.float32) for s in (3.0, 2.4, 1.2)]
    joined = np.concatenate([speech[:16_000 * 10], silence[0], speech[16_000 * 10:16_000 * 25], silence[1],
                             speech[16_000 * 25:16_000 * 40], silence[2], speech[16_000 * 40:]])
    chunks = get_speech_timestamps(joined, VadOptions(min_silence_duration_ms=2000, speech_pad_ms=0))
    expected = [(round(a["end"] / 16_000, 3), round(b["start"] / 16_000, 3)) for a, b in zip(chunks, chunks[1:])]
    assert len(expected) == 2
    assert [(p.start_s, p.end_s) for p in find_pauses(joined)] == expected
    tracker = PauseTracker()
    for start in range(0, joined.size, 1_600):  # 100 ms blocks, as the recorder delivers them
        tracker.feed(joined[start:start + 1_600])
        if start % 16_000 == 0:
            tracker.process()
    assert [(p.start_s, p.end_s) for p in tracker.pauses()] == expected


@pytest.fixture(scope="module")
def paused_mic(tmp_path_factory):
    """An ALSA capture device reading a voiced answer with a 3.5 s silence at 8 s (not paced)."""
    folder = tmp_path_factory.mktemp("alsa-pause")
    speech = decode_audio(AUDIO_DIR / "weak-we-slack.flac")
    joined = np.concatenate([speech[:16_000 * 8], np.zeros(16_000 * 7 // 2, np.float32), speech[16_000 * 8:]])
    raw = folder / "in.raw"
    (np.clip(joined, -1, 1) * 32767).astype("<i2").tofile(raw)
    conf = folder / "file-mic.conf"
    conf.write_text(f'pcm.!default {{ type file; slave.pcm "null"; file "/dev/null"; infile "{raw}"; format "raw" }}\n')
    return {"ALSA_CONFIG_PATH": f"/usr/share/alsa/alsa.conf:{conf}"}


def test_a_live_take_has_its_pauses_from_the_audio_and_keeps_fillers_on_request(paused_mic, analyzer, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rehearse", "record", "--max-seconds", "30", "--out", str(tmp_path), "--json", "-",
         "--keep-fillers"],
        env={**os.environ, "NO_COLOR": "1", **paused_mic}, stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    live = json.loads(result.stdout)["delivery"]
    assert live["fillers"]["may_be_undercounted"] is False
    (pause,) = live["pauses"]
    assert pause["start_s"] == pytest.approx(8.0, abs=0.4) and pause["duration_s"] == pytest.approx(3.5, abs=0.4)
    (take,) = tmp_path.glob("*.wav")
    with wave.open(str(take)) as w:
        assert w.getnframes() == 30 * 16_000
    from_file = analyzer.analyze_file(take).delivery.pauses
    assert [(p["start_s"], p["end_s"]) for p in live["pauses"]] == [(p.start_s, p.end_s) for p in from_file]
