"""The HTML report in a real browser: Debian's Chromium, headless, driven by Playwright.

One browser for the module. The report is made by the real CLI from a real transcription of a voiced
fixture, plus a copy whose transcript, quote, story and question hold HTML and script.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rehearse.history import History
from rehearse.report.json_report import report_to_dict

from tests.conftest import AUDIO_DIR

pytestmark = pytest.mark.slow

FIXTURE = "weak-we-slack"
# Each payload sets window.pwned if it ever runs.
SCRIPT_WORD = "<script>window.pwned='word'</script>"
IMG_WORD = '<img src=x onerror="window.pwned=\'img\'">'
SVG_QUOTE = "<svg onload=\"window.pwned='quote'\"></svg>"
STORY = "<img src=y onerror=\"window.pwned='story'\">"
QUESTION = "<script>window.pwned='question'</script> Tell me about a time"
CLICKED_WORD = 30


def chromium_path() -> str:
    path = os.environ.get("REHEARSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is missing: `make test` installs Debian's chromium package"
    return path


def rehearse(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "rehearse", *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def reports(analyzer, tmp_path_factory, data_dir_module) -> dict:
    """A real report and a hostile copy (JSON files), and the HTML, linked-audio HTML and VTT made from them."""
    folder = tmp_path_factory.mktemp("browser")
    real = report_to_dict(analyzer.analyze_file(AUDIO_DIR / f"{FIXTURE}.flac"))
    hostile = copy.deepcopy(real)
    hostile["words"][3]["text"] = SCRIPT_WORD
    hostile["words"][5]["text"] = IMG_WORD
    hostile["findings"][0]["quote"] = SVG_QUOTE
    (folder / "real.json").write_text(json.dumps(real))
    History().add(hostile, "record", story=STORY, question=QUESTION)
    html = folder / "report.html"
    rehearse("report", str(folder / "real.json"), "take:last", "-o", str(html))
    (folder / "linked").mkdir()
    linked = folder / "linked" / "report.html"
    rehearse("report", str(folder / "real.json"), "--audio", "link", "-o", str(linked))
    vtt = folder / "take.vtt"
    rehearse("report", "take:last", "-o", str(vtt))
    return {"real": real, "html": html, "linked": linked, "vtt": vtt}


@pytest.fixture(scope="module")
def data_dir_module(tmp_path_factory):
    """The module's history (the autouse per-test folder does not reach module fixtures)."""
    path = tmp_path_factory.mktemp("browser-data")
    patch = pytest.MonkeyPatch()
    patch.setenv("REHEARSE_DATA_DIR", str(path))
    yield path
    patch.undo()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path())
        yield launched
        launched.close()


class Page:
    """A page with everything the browser reported: console errors, uncaught exceptions, requests."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())

    def wait_until(self, expression: str, timeout_ms: int) -> None:
        """Poll `expression` from the test side until it is true.

        Playwright's wait_for_function polls by compiling the predicate inside the
        page, which the report's Content-Security-Policy forbids (no 'unsafe-eval'),
        so it fails whenever the first check is not already true. A plain evaluate
        goes through the debugging protocol, which the policy does not cover.
        """
        waited_ms = 0
        while not self.page.evaluate(expression):
            assert waited_ms < timeout_ms, f"still false after {timeout_ms} ms: {expression}"
            self.page.wait_for_timeout(50)
            waited_ms += 50

    def wait_for_audio(self, take: int) -> None:
        """Until the take's audio has loaded far enough to know its length (it decodes and is allowed)."""
        self.wait_until(f"document.querySelector('#take-{take} audio').readyState >= 1", timeout_ms=20_000)

    def click_and_seek(self, locator) -> list[float]:
        """Click, and return the positions the audio was moved to."""
        self.page.evaluate("window.seeks = []; document.querySelectorAll('audio').forEach("
                           "a => a.addEventListener('seeking', () => window.seeks.push(a.currentTime)))")
        locator.click()
        self.wait_until("window.seeks.length > 0", timeout_ms=5_000)
        return self.page.evaluate("window.seeks")


def test_report_loads_cleanly_clicking_a_word_plays_from_it_and_injected_html_stays_text(browser, reports):
    page = Page(browser, reports["html"])
    page.wait_for_audio(1)
    page.wait_for_audio(2)
    assert page.errors == []
    # Self-contained: the only request is the report itself (the audio is embedded).
    assert page.requests == [reports["html"].as_uri()]

    word = reports["real"]["words"][CLICKED_WORD]
    target = page.page.locator("#take-1 .transcript .w").nth(CLICKED_WORD)
    assert target.inner_text() == word["text"]
    seeks = page.click_and_seek(target)
    assert seeks[0] == pytest.approx(word["start_s"], abs=1e-3)
    playing = page.page.evaluate("document.querySelector('#take-1 audio').paused")
    assert playing is False
    # The word being spoken is highlighted as playback moves.
    page.page.wait_for_selector("#take-1 .transcript .w.now", timeout=5_000)

    finding = reports["real"]["findings"][0]
    seeks = page.click_and_seek(page.page.locator("#take-1 .finding button.seek").first)
    assert seeks[0] == pytest.approx(finding["start_s"], abs=1e-3)

    # The hostile take: every payload is on the page as text and none of them ran.
    assert page.page.evaluate("typeof window.pwned") == "undefined"
    words = page.page.locator("#take-2 .transcript .w")
    assert words.nth(3).text_content() == SCRIPT_WORD
    assert words.nth(5).text_content() == IMG_WORD
    assert SVG_QUOTE in page.page.locator("#take-2 .finding blockquote").first.text_content()
    assert QUESTION in page.page.locator("#take-2 h2").text_content()
    assert STORY in page.page.locator("#take-2 .meta").text_content()
    assert page.page.locator("img").count() == 0
    assert page.page.evaluate("document.scripts.length") == 1
    assert page.errors == []
    page.page.close()


def test_linked_audio_plays_from_beside_the_report(browser, reports):
    page = Page(browser, reports["linked"])
    page.wait_for_audio(1)
    word = reports["real"]["words"][CLICKED_WORD]
    seeks = page.click_and_seek(page.page.locator("#take-1 .transcript .w").nth(CLICKED_WORD))
    assert seeks[0] == pytest.approx(word["start_s"], abs=1e-3)
    assert page.errors == []
    assert all(url.startswith("file:") for url in page.requests)
    assert any(url.endswith(f"{FIXTURE}.flac") for url in page.requests)
    page.page.close()


def test_the_webvtt_transcript_parses_in_the_browser_with_phase_labels(browser, reports):
    vtt = reports["vtt"].read_bytes()
    page = browser.new_page()
    page.set_content('<video><track default kind="captions" '
                     f'src="data:text/vtt;base64,{base64.b64encode(vtt).decode()}"></video>')
    page.wait_for_function("document.querySelector('track').readyState === 2", timeout=5_000)
    cues = page.evaluate("Array.from(document.querySelector('video').textTracks[0].cues)"
                         ".map(c => [c.startTime, c.getCueAsHTML().textContent])")
    assert cues and cues[0][0] == pytest.approx(reports["real"]["words"][0]["start_s"], abs=1e-3)
    phases = {text.split("]")[0] + "]" for _start, text in cues}
    assert phases <= {"[Situation]", "[Task]", "[Action]", "[Result]", "[Reflection]"} and len(phases) >= 3
    shown = " ".join(text.split("] ", 1)[1] for _start, text in cues)
    assert SCRIPT_WORD in shown and IMG_WORD in shown  # decoded as text, exactly as spoken
    page.close()
