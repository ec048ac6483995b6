"""bench/agreement.py compares each second labelling with its writer's labels, word for word."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELABELLED = ROOT / "fixtures" / "relabelled"


def _run(*names: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "bench" / "agreement.py"), *names],
                          capture_output=True, text=True, cwd=ROOT)


def test_every_second_labelling_covers_its_set_and_agrees_closely():
    names = sorted(p.name for p in RELABELLED.iterdir() if p.is_dir())
    assert len(names) >= 4
    for name in names:
        assert len(list((RELABELLED / name).glob("*.json"))) == len(list((ROOT / "fixtures" / name).glob("*.json")))
    result = _run()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == names
    for line in lines:
        agreement = float(line.split("labellers agree ")[1].split()[0])
        assert 0.90 <= agreement < 1.0, line


def test_a_set_without_a_second_labelling_is_reported():
    result = _run("no-such-set")
    assert result.returncode != 0
    assert "no second labelling" in result.stderr
